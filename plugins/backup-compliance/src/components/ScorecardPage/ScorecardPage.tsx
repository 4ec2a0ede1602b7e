import { Content, Header, Page } from '@backstage/core-components';
import { CollectionStatusCard } from '../CollectionStatus';

/**
 * The org-wide Backup compliance scorecard. `withHeader={false}` leaves the
 * header to the app (the New Frontend System draws one from the page title).
 *
 * @public
 */
export const ScorecardPage = (props: { withHeader?: boolean }) => {
  const content = (
    <Content>
      <CollectionStatusCard subject="scorecard" />
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
