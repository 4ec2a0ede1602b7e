import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResourceSummary } from '@backup-compliance/backstage-plugin-common';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useEntityName } from '../../hooks/useEntityName';
import { backupComplianceApiRef, EntityResource } from '../../api';

type Row = EntityResource & { summary?: ResourceSummary };

function consoleUrl(resource: Row) {
  const arn = encodeURIComponent(resource.resourceArn);
  return `https://${resource.region}.console.aws.amazon.com/backup/home?region=${resource.region}#/resources/${arn}`;
}

const KEY_TYPES: Record<string, string> = {
  CUSTOMER_MANAGED_KMS_KEY: 'customer-managed',
  AWS_OWNED_KMS_KEY: 'AWS-owned',
};

function NewestPoint({ row }: { row: Row }) {
  const s = row.summary;
  if (s?.newestPointAgeHours !== undefined) {
    const text = `${s.newestPointAgeHours} h ago (RPO ${s.rpoHours} h)`;
    return s.newestPointAgeHours <= s.rpoHours ? (
      <StatusOK>{text}</StatusOK>
    ) : (
      <StatusError>{text}</StatusError>
    );
  }
  if (row.lastBackupTime) {
    return <StatusOK>{new Date(row.lastBackupTime).toLocaleString()}</StatusOK>;
  }
  return <StatusWarning>No backup found</StatusWarning>;
}

function retention(s?: ResourceSummary) {
  if (!s) return '';
  const tiers = (['daily', 'monthly', 'yearly'] as const)
    .filter(t => s.retentionDays[t] !== undefined)
    .map(
      t =>
        `${t} ${
          s.retentionDays[t] === null ? 'forever' : `${s.retentionDays[t]} d`
        }`,
    );
  return tiers.join(', ') || 'none';
}

function restoreTest(s?: ResourceSummary) {
  const t = s?.lastRestoreTest;
  if (!t) return 'none';
  const parts = [t.status, t.validation && `validation ${t.validation}`]
    .filter(Boolean)
    .join(', ');
  const duration =
    t.minutes !== undefined ? `, ${t.minutes} min (RTO ${s!.rtoMinutes})` : '';
  const when = t.at ? ` on ${t.at.slice(0, 10)}` : '';
  return `${parts}${duration}${when}`;
}

const columns: TableColumn<Row>[] = [
  {
    title: 'Type',
    render: r =>
      r.summary?.resourceType ?? r.resourceType ?? r.resourceArn.split(':')[2],
  },
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
  { title: 'Account / region', render: r => `${r.accountId} ${r.region}` },
  { title: 'Newest point', render: r => <NewestPoint row={r} /> },
  { title: 'Retention kept', render: r => retention(r.summary) },
  {
    title: 'Vault (lock)',
    render: r =>
      r.summary?.vaults.map(v => `${v.name} (${v.lock})`).join(', ') || '',
  },
  {
    title: 'Key',
    render: r =>
      r.summary?.keyTypes.map(k => KEY_TYPES[k] ?? k).join(', ') || '',
  },
  { title: 'Copies', render: r => r.summary?.copies.join(', ') || 'none' },
  { title: 'Last restore test', render: r => restoreTest(r.summary) },
  {
    title: 'Legal hold',
    render: r =>
      r.summary?.legalHolds ? `${r.summary.legalHolds} active` : 'none',
  },
];

/** The AWS resources whose tags match the entity's annotation, as last collected and judged. */
export const EntityResourcesCard = () => {
  const api = useApi(backupComplianceApiRef);
  const { namespace, kind, name } = useEntityName();
  const result = useAsync(async () => {
    const [resources, snapshot] = await Promise.all([
      api.getEntityResources({ namespace, kind, name }),
      api.getEntityCompliance({ namespace, kind, name }),
    ]);
    return { resources, snapshot };
  }, [api, namespace, kind, name]);

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
  const { resources, snapshot } = result.value!;
  const summaries = new Map(
    snapshot?.resources.map(r => [
      `${r.accountId}/${r.region}/${r.arn}`,
      r.summary,
    ]),
  );
  const rows: Row[] = resources.resources.map(r => ({
    ...r,
    summary: summaries.get(`${r.accountId}/${r.region}/${r.resourceArn}`),
  }));
  let empty =
    'No AWS resource carries all of these tags in the configured accounts and regions.';
  if (!resources.optedIn) {
    empty =
      'Not collected yet: the next collection cycle will look for resources with these tags.';
  }
  return (
    <InfoCard title={`AWS resources (${rows.length})`}>
      <Table
        options={{
          search: false,
          paging: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
        emptyContent={<Typography style={{ padding: 16 }}>{empty}</Typography>}
      />
    </InfoCard>
  );
};
