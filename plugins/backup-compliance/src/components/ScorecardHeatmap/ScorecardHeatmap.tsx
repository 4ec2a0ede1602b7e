import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef } from '../../api';

const PAGE = 50;

// A letter in every cell, so the status never rests on colour alone.
const CELLS: Record<string, { letter: string; label: string; color: string }> =
  {
    pass: { letter: '✓', label: 'pass', color: '#c8e6c9' },
    fail: { letter: '✗', label: 'fail', color: '#ffcdd2' },
    warn: { letter: '!', label: 'warning', color: '#ffe0b2' },
    waived: { letter: 'W', label: 'waived', color: '#e1bee7' },
    unknown: { letter: '?', label: 'unknown', color: '#e0e0e0' },
    'n/a': { letter: '–', label: 'not required', color: 'transparent' },
  };

const useStyles = makeStyles({
  table: { borderCollapse: 'collapse', fontSize: 12 },
  head: {
    writingMode: 'vertical-rl',
    transform: 'rotate(180deg)',
    padding: 4,
    fontWeight: 'normal',
  },
  cell: {
    width: 28,
    height: 24,
    textAlign: 'center',
    border: '1px solid #eee',
  },
  name: { paddingRight: 12, whiteSpace: 'nowrap' },
});

/** Entities × checks, one page at a time, with the scorecard's filters. */
export const ScorecardHeatmap = (props: { query: Record<string, string> }) => {
  const api = useApi(backupComplianceApiRef);
  const classes = useStyles();
  const [page, setPage] = useState(1);
  const result = useAsync(async () => {
    const [scorecard, checks] = await Promise.all([
      api.getScorecard({
        ...props.query,
        page: String(page),
        pageSize: String(PAGE),
      }),
      api.getChecks(),
    ]);
    return { ...scorecard, checks };
  }, [api, JSON.stringify(props.query), page]);
  if (result.loading) return <Progress />;
  if (result.error)
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the heatmap"
      />
    );
  const { items, total, checks } = result.value!;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <Box>
      <Box overflow="auto">
        <table className={classes.table} aria-label="Checks per service">
          <thead>
            <tr>
              <td />
              {checks.map(c => (
                <th key={c.id} className={classes.head} scope="col">
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map(row => {
              const { kind, namespace, name } = parseEntityRef(row.entityRef);
              return (
                <tr key={row.entityRef}>
                  <th scope="row" className={classes.name}>
                    <Link
                      to={`/catalog/${namespace}/${kind.toLocaleLowerCase(
                        'en-US',
                      )}/${name}/backup`}
                    >
                      {row.title ?? name}
                    </Link>
                  </th>
                  {checks.map(c => {
                    const status = row.statuses[c.id] ?? 'unknown';
                    const cell = CELLS[status] ?? CELLS.unknown;
                    return (
                      <Tooltip key={c.id} title={`${c.title}: ${cell.label}`}>
                        <td
                          className={classes.cell}
                          style={{ background: cell.color }}
                          aria-label={`${row.title ?? name}, ${c.title}: ${
                            cell.label
                          }`}
                        >
                          {cell.letter}
                        </td>
                      </Tooltip>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Box>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mt={1}>
        <Button
          size="small"
          disabled={page <= 1}
          onClick={() => setPage(page - 1)}
        >
          Previous
        </Button>
        <Typography variant="body2">
          Page {page} of {pages} ({total} services)
        </Typography>
        <Button
          size="small"
          disabled={page >= pages}
          onClick={() => setPage(page + 1)}
        >
          Next
        </Button>
        <Typography variant="caption">
          ✓ pass · ✗ fail · ! warning · W waived · ? unknown · – not required
        </Typography>
      </Box>
    </Box>
  );
};
