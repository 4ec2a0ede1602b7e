import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef, ScorecardRow } from '../../api';
import { LevelStatus } from '../ComplianceStatus';

function backupTabLink(entityRef: string) {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/backup`;
}

const columns: TableColumn<ScorecardRow>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: row => (
      <Link to={backupTabLink(row.entityRef)}>
        {row.title ?? parseEntityRef(row.entityRef).name}
      </Link>
    ),
  },
  { title: 'Owner', field: 'owner' },
  { title: 'System', field: 'system' },
  { title: 'Policy', render: row => row.policies.join(', ') },
  {
    title: 'Level',
    field: 'level',
    render: row => <LevelStatus level={row.level} />,
  },
  {
    title: 'Score',
    field: 'score',
    render: row => (row.score === null ? 'n/a' : `${row.score} %`),
  },
  { title: 'Failing checks', render: row => row.failingChecks.join(', ') },
];

/**
 * Every opted-in entity's verdict, failures first. Filters, grouping,
 * server-side paging, the heatmap and trends come with the full scorecard.
 */
export const ScorecardTable = () => {
  const api = useApi(backupComplianceApiRef);
  const result = useAsync(() => api.getScorecard({ pageSize: '1000' }), [api]);
  if (result.loading) return <Progress />;
  if (result.error) {
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the scorecard"
      />
    );
  }
  const scorecard = result.value!;
  const levels = Object.entries(scorecard.levels)
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
  return (
    <Table
      title={`Services (${scorecard.totalEntities}${
        levels ? `: ${levels}` : ''
      })`}
      options={{ paging: false, search: true, padding: 'dense' }}
      columns={columns}
      data={scorecard.items}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No verdict yet: no opted-in entity has been evaluated. Nothing has
          been checked, so nothing passed either.
        </Typography>
      }
    />
  );
};
