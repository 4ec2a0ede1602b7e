import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef } from '../../api';

/**
 * Says plainly that no backup data is collected yet, after checking that the
 * backend plugin answers (so an install problem shows as an error instead).
 */
export const CollectionNotSetUp = (props: { subject: string }) => {
  const api = useApi(backupComplianceApiRef);
  const health = useAsync(() => api.getHealth(), [api]);

  if (health.loading) {
    return <Progress />;
  }
  if (health.error) {
    return (
      <ResponseErrorPanel
        error={health.error}
        title="Backup compliance backend unreachable"
      />
    );
  }
  return (
    <EmptyState
      missing="data"
      title="Data collection is not set up yet"
      description={`The Backup compliance backend is installed and answering, but it does not collect AWS Backup data yet, so there is no ${props.subject} to show. No result here means nothing was checked, not that anything passed.`}
    />
  );
};
