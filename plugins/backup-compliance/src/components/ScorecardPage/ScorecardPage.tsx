import { Header, Page, TabbedLayout } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { CollectionStatusCard } from '../CollectionStatus';
import { PoliciesContent } from '../PoliciesPage';
import { ScorecardSummary } from '../ScorecardSummary';
import { ScorecardTable } from '../ScorecardTable';
import { ScorecardTotalsProvider } from '../ScorecardTotals';

/**
 * The scorecard: tiles, every service's verdict, and the collection. The
 * summary's tiles take their totals from the table's scorecard responses, so
 * the tab opens with one `GET /v1/scorecard`.
 */
export const ScorecardContent = () => (
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
);

/**
 * The org-wide Backup compliance page: the scorecard at its root, the policies
 * at `policies`. Tabs with nested routes, so that both frontend systems mount
 * one page. `withHeader={false}` leaves the header to the app (the New Frontend
 * System draws one from the page title).
 *
 * @public
 */
export const ScorecardPage = (props: { withHeader?: boolean }) => {
  const tabs = (
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Scorecard">
        <ScorecardContent />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/policies" title="Policies">
        <PoliciesContent />
      </TabbedLayout.Route>
    </TabbedLayout>
  );
  if (props.withHeader === false) {
    return tabs;
  }
  return (
    <Page themeId="tool">
      <Header
        title="Backup compliance"
        subtitle="DORA Art. 11-12 backup evidence for every opted-in service"
      />
      {tabs}
    </Page>
  );
};
