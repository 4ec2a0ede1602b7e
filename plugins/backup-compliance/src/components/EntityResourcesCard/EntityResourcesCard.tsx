import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef, EntityResource } from '../../api';

function consoleUrl(resource: EntityResource) {
  const arn = encodeURIComponent(resource.resourceArn);
  return `https://${resource.region}.console.aws.amazon.com/backup/home?region=${resource.region}#/resources/${arn}`;
}

function LastBackup({ resource }: { resource: EntityResource }) {
  if (!resource.lastBackupTime) {
    return <StatusWarning>No backup found</StatusWarning>;
  }
  return (
    <StatusOK>{new Date(resource.lastBackupTime).toLocaleString()}</StatusOK>
  );
}

const columns: TableColumn<EntityResource>[] = [
  { title: 'Type', render: r => r.resourceType ?? r.resourceArn.split(':')[2] },
  {
    title: 'Resource',
    render: r => (
      <>
        <Link to={consoleUrl(r)}>{r.resourceArn.split(/[:/]/).pop()}</Link>
        <Typography variant="caption" display="block" color="textSecondary">
          {r.resourceArn}
        </Typography>
      </>
    ),
  },
  { title: 'Account', field: 'accountId' },
  { title: 'Region', field: 'region' },
  { title: 'Last backup', render: r => <LastBackup resource={r} /> },
];

/** The AWS resources whose tags match the entity's annotation, as last collected. */
export const EntityResourcesCard = () => {
  const { entity } = useEntity();
  const api = useApi(backupComplianceApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const { kind } = entity;
  const { name } = entity.metadata;
  const result = useAsync(
    () => api.getEntityResources({ namespace, kind, name }),
    [api, namespace, kind, name],
  );

  if (result.loading) {
    return <Progress />;
  }
  if (result.error) {
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the AWS resources"
      />
    );
  }
  const { optedIn, resources } = result.value!;
  let empty =
    'No AWS resource carries all of these tags in the configured accounts and regions.';
  if (!optedIn) {
    empty =
      'Not collected yet: the next collection cycle will look for resources with these tags.';
  }
  return (
    <InfoCard title={`AWS resources (${resources.length})`}>
      <Table
        options={{
          search: false,
          paging: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={resources}
        emptyContent={<Typography style={{ padding: 16 }}>{empty}</Typography>}
      />
    </InfoCard>
  );
};
