import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { CollectionStatusCard } from '../CollectionStatus';
import { ScorecardSummary } from '../ScorecardSummary';
import { ScorecardTable } from '../ScorecardTable';
import { ScorecardTotalsProvider } from '../ScorecardTotals';

/**
 * The org-wide Backup compliance scorecard. `withHeader={false}` leaves the
 * header to the app (the New Frontend System draws one from the page title).
 * The summary's tiles take their totals from the table's scorecard responses,
 * so the page opens with one `GET /v1/scorecard`.
 *
 * @public
 */
export const ScorecardPage = (props: { withHeader?: boolean }) => {
  const content = (
    <Content>
      <Grid container spacing={3}>
        <ScorecardTotalsProvider>
          <Grid item xs={12}>
            <ScorecardSummary />
          </Grid>
          <Grid item xs={12}>
            <ScorecardTable />
          </Grid>
        </ScorecardTotalsProvider>
        <Grid item xs={12}>
          <CollectionStatusCard />
        </Grid>
      </Grid>
    </Content>
  );
  if (props.withHeader === false) {
    return content;
  }
  return (
    <Page themeId="tool">
      <Header
        title="Backup compliance"
        subtitle="DORA Art. 11-12 backup evidence for every opted-in service"
      />
      {content}
    </Page>
  );
};
