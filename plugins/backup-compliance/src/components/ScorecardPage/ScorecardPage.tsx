import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { CollectionStatusCard } from '../CollectionStatus';
import { ScorecardSummary } from '../ScorecardSummary';
import { ScorecardTable } from '../ScorecardTable';

/**
 * The org-wide Backup compliance scorecard. `withHeader={false}` leaves the
 * header to the app (the New Frontend System draws one from the page title).
 *
 * @public
 */
export const ScorecardPage = (props: { withHeader?: boolean }) => {
  const content = (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <ScorecardSummary />
        </Grid>
        <Grid item xs={12}>
          <ScorecardTable />
        </Grid>
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
