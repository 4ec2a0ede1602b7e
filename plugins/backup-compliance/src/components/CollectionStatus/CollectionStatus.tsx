import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { backupComplianceCollectionReadPermission } from '@backup-compliance/backstage-plugin-common';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  AccountRegionCollectionState,
  backupComplianceApiRef,
} from '../../api';

function when(iso?: string) {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

// Status in words next to the icon: never by colour alone.
function CollectionState({ state }: { state: AccountRegionCollectionState }) {
  if (state.stale) {
    return <StatusError>Stale: last attempt failed</StatusError>;
  }
  if (!state.lastSuccessStartedAt) {
    return <StatusPending>Not collected yet</StatusPending>;
  }
  return <StatusOK>Current</StatusOK>;
}

const columns: TableColumn<AccountRegionCollectionState>[] = [
  { title: 'Account', field: 'accountId' },
  { title: 'Region', field: 'region' },
  { title: 'Status', render: state => <CollectionState state={state} /> },
  {
    title: 'Last successful collection',
    render: state => when(state.lastSuccessStartedAt),
  },
  { title: 'Last error', render: state => state.lastError ?? '' },
];

/**
 * What the backend has collected, per account-region, and where it failed. Account ids
 * and AWS error messages are for those with backup-compliance.collection.read; for
 * everyone else the card is not there.
 */
export const CollectionStatusCard = () => {
  const api = useApi(backupComplianceApiRef);
  const permission = usePermission({
    permission: backupComplianceCollectionReadPermission,
  });
  const status = useAsync(
    async () =>
      permission.allowed ? api.getCollectionStatus({ limit: 1 }) : undefined,
    [api, permission.allowed],
  );

  if (permission.loading) {
    return <Progress />;
  }
  if (!permission.allowed) {
    return null;
  }
  if (status.error) {
    return (
      <ResponseErrorPanel
        error={status.error}
        title="Backup compliance backend unreachable"
      />
    );
  }
  if (!status.value) {
    return <Progress />; // loading, or about to load now that the permission is known
  }
  const { enabled, message, accountRegions, cycles, pendingRequests } =
    status.value;
  if (!enabled) {
    return (
      <EmptyState
        missing="data"
        title="Data collection is not set up yet"
        description={`${
          message ?? ''
        } Until then nothing is checked: no verdict here is not a pass.`}
      />
    );
  }
  const current = accountRegions.filter(
    s => s.lastSuccessStartedAt && !s.stale,
  ).length;
  return (
    <InfoCard title="AWS Backup collection">
      <Typography variant="body1" paragraph>
        AWS Backup data is collected from {accountRegions.length}{' '}
        account-regions ({current} current). Verdicts are evaluated after each
        collection.
        {cycles[0] && (
          <>
            {' '}
            Last cycle ({cycles[0].scope === 'full' ? 'full' : 'refresh'}):{' '}
            {cycles[0].status}
            {cycles[0].finishedAt ? ` at ${when(cycles[0].finishedAt)}` : ''}
            {cycles[0].error ? ` (${cycles[0].error})` : ''}.
          </>
        )}
        {pendingRequests > 0 &&
          ` ${pendingRequests} refresh request${
            pendingRequests === 1 ? '' : 's'
          } waiting for the next cycle.`}
      </Typography>
      <Table
        options={{
          search: false,
          paging: false,
          toolbar: false,
          padding: 'dense',
          // no focusable drag handle nested in the sort button
          draggable: false,
        }}
        columns={columns}
        data={accountRegions}
        emptyContent={<Typography>No collection has run yet.</Typography>}
      />
    </InfoCard>
  );
};
