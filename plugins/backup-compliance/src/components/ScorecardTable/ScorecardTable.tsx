import { Link, Table, TableColumn } from '@backstage/core-components';
import { errorApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import { createContext, ReactNode, useContext, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef, ScorecardRow } from '../../api';
import { COMPLIANCE_LEVELS } from '@backup-compliance/backstage-plugin-common';
import { downloadText } from '../../util/download';
import { LevelStatus } from '../ComplianceStatus';
import { ScorecardHeatmap } from '../ScorecardHeatmap';
import { useScorecardTotalsPublisher } from '../ScorecardTotals';

function backupTabLink(entityRef: string) {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/backup`;
}

const SORTABLE: Record<string, string> = {
  entityRef: 'entity',
  owner: 'owner',
  level: 'level',
  score: 'score',
};

// MUI's label grey is 4.6:1 on white, 4.2:1 on Backstage's page grey: below
// WCAG's 4.5:1 wherever a theme or a layer puts the fields on anything but
// white. A darker grey keeps the filters legible on either.
const useStyles = makeStyles(theme => ({
  label: {
    '&:not(.Mui-focused):not(.Mui-error)': {
      color: alpha(theme.palette.text.primary, 0.7),
    },
  },
}));

// Through a context, so rows already rendered follow when the titles arrive.
const CheckTitles = createContext<Map<string, string>>(new Map());

const FailingChecks = ({ ids }: { ids: string[] }) => {
  const titles = useContext(CheckTitles);
  return <>{ids.map(id => titles.get(id) ?? id).join(', ')}</>;
};

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
  { title: 'System', field: 'system', sorting: false },
  { title: 'Policy', sorting: false, render: row => row.policies.join(', ') },
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
  {
    title: 'Failing checks',
    sorting: false,
    render: row => <FailingChecks ids={row.failingChecks} />,
  },
  {
    title: 'Evaluated',
    sorting: false,
    render: row => new Date(row.evaluatedAt).toLocaleString(),
  },
];

const LEVELS = COMPLIANCE_LEVELS;

/** A row of fields and buttons on paper (the fields' grey labels are too faint on grey). */
const Toolbar = ({ children }: { children: ReactNode }) => (
  <Box
    component={Paper}
    display="flex"
    flexWrap="wrap"
    alignItems="center"
    style={{ gap: 16 }}
    p={2}
    mb={2}
  >
    {children}
  </Box>
);

type Filters = {
  level: string;
  check: string;
  groupBy: string;
  owner: string;
  /** A past day (YYYY-MM-DD) the scorecard and the register answer for; empty: now. */
  asOf: string;
};

const ScorecardGroups = (props: {
  groupBy: string;
  query: Record<string, string>;
}) => {
  const api = useApi(backupComplianceApiRef);
  return (
    <Box mb={2}>
      <Table
        key={JSON.stringify(props)}
        title={`By ${props.groupBy}`}
        options={{
          search: false,
          paging: false,
          padding: 'dense',
          draggable: false,
        }}
        columns={[
          { title: props.groupBy, field: 'key' },
          { title: 'Services', field: 'entities' },
          {
            title: 'Levels',
            render: (g: any) =>
              Object.entries(g.levels)
                .map(([l, n]) => `${n} ${l}`)
                .join(', '),
          },
          {
            title: 'Average score',
            render: (g: any) =>
              g.averageScore === null ? 'n/a' : `${g.averageScore} %`,
          },
        ]}
        data={async () => {
          const result = await api.getScorecard({
            ...props.query,
            groupBy: props.groupBy,
            pageSize: '1',
          });
          const groups = result.groups ?? [];
          return { data: groups, page: 0, totalCount: groups.length };
        }}
      />
      <Typography variant="caption">
        Groups count the services that match the filters.
      </Typography>
    </Box>
  );
};

/**
 * Every opted-in entity's verdict, failures first, filtered, sorted and paged
 * by the backend, with CSV and JSON export of what the filters select.
 *
 * Inside a `ScorecardTotalsProvider` each response's totals (which do not
 * depend on the filters) go to the summary's tiles, so that the page needs
 * one scorecard call, not one for the table and one for the tiles.
 */
export const ScorecardTable = () => {
  const api = useApi(backupComplianceApiRef);
  const errorApi = useApi(errorApiRef);
  const classes = useStyles();
  const totals = useScorecardTotalsPublisher();
  const [filters, setFilters] = useState<Filters>({
    level: '',
    check: '',
    groupBy: '',
    owner: '',
    asOf: '',
  });
  const [summary, setSummary] = useState<string>('');
  const [view, setView] = useState<'table' | 'heatmap'>('table');
  const checks = useAsync(() => api.getChecks(), [api]).value;
  const titles = useMemo(
    () => new Map((checks ?? []).map(c => [c.id, c.title])),
    [checks],
  );
  const query = (extra: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries({
        level: filters.level,
        check: filters.check,
        owner: filters.owner,
        asOf: filters.asOf,
        ...extra,
      }).filter(([, v]) => v),
    );

  async function exportAs(format: 'csv' | 'json') {
    try {
      const text = await api.exportScorecard(format, query());
      const day = new Date().toISOString().slice(0, 10);
      downloadText(
        text,
        `backup-compliance-${day}.${format}`,
        format === 'csv' ? 'text/csv' : 'application/json',
      );
    } catch (error) {
      errorApi.post(error as Error);
    }
  }

  // The register: an empty day is today. The window opens on the click (a window opened
  // after the answer arrives would be a blocked pop-up) and shows the HTML when it comes.
  const registerDay = filters.asOf;
  const today = new Date().toISOString().slice(0, 10);
  async function openRegister() {
    const win = window.open('', '_blank');
    try {
      const html = await api.getRegister('html', registerDay || undefined);
      if (win) {
        win.document.open();
        win.document.write(html);
        win.document.close();
      }
    } catch (error) {
      win?.close();
      errorApi.post(error as Error);
    }
  }
  async function downloadRegister() {
    try {
      const csv = await api.getRegister('csv', registerDay || undefined);
      downloadText(
        csv,
        `backup-compliance-register-${registerDay || today}.csv`,
        'text/csv',
      );
    } catch (error) {
      errorApi.post(error as Error);
    }
  }

  const select = (
    key: keyof Filters,
    label: string,
    options: Array<[string, string]>,
  ) => (
    <TextField
      select
      size="small"
      variant="outlined"
      label={label}
      value={filters[key]}
      onChange={e => setFilters({ ...filters, [key]: e.target.value })}
      style={{ minWidth: 180 }}
      InputLabelProps={{ className: classes.label }}
      inputProps={{ 'aria-label': label }}
    >
      <MenuItem value="">All</MenuItem>
      {options.map(([value, text]) => (
        <MenuItem key={value} value={value}>
          {text}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <CheckTitles.Provider value={titles}>
      <Toolbar>
        {select(
          'level',
          'Level',
          LEVELS.map(l => [l, l]),
        )}
        {select(
          'check',
          'Failing check',
          (checks ?? []).map(c => [c.id, c.title]),
        )}
        <TextField
          size="small"
          variant="outlined"
          label="Owner"
          placeholder="e.g. payments"
          value={filters.owner}
          onChange={e =>
            setFilters({ ...filters, owner: e.target.value.trim() })
          }
          InputLabelProps={{ className: classes.label }}
          inputProps={{ 'aria-label': 'Owner' }}
        />
        {select('groupBy', 'Group by', [
          ['owner', 'Owner'],
          ['system', 'System'],
          ['domain', 'Domain'],
        ])}
        <TextField
          type="date"
          size="small"
          variant="outlined"
          label="As of"
          value={filters.asOf}
          onChange={e => setFilters({ ...filters, asOf: e.target.value })}
          InputLabelProps={{ shrink: true, className: classes.label }}
          inputProps={{ max: today, 'aria-label': 'As of' }}
        />
        <Box flexGrow={1} />
        <Button
          variant={view === 'heatmap' ? 'contained' : 'outlined'}
          onClick={() => setView(view === 'heatmap' ? 'table' : 'heatmap')}
        >
          {view === 'heatmap' ? 'Show table' : 'Show heatmap'}
        </Button>
        <Button variant="outlined" onClick={() => exportAs('csv')}>
          Export CSV
        </Button>
        <Button variant="outlined" onClick={() => exportAs('json')}>
          Export JSON
        </Button>
      </Toolbar>
      <Toolbar>
        <Typography variant="body2" style={{ flexBasis: '100%' }}>
          The register an auditor files: every service, its policy, level, each
          DORA article with the checks behind it and the waivers in force, as
          judged on the day in As of (today when empty).
        </Typography>
        <Button variant="outlined" onClick={openRegister}>
          Open register (prints to PDF)
        </Button>
        <Button variant="outlined" onClick={downloadRegister}>
          Register CSV
        </Button>
      </Toolbar>
      {filters.groupBy && (
        <ScorecardGroups groupBy={filters.groupBy} query={query()} />
      )}
      {view === 'heatmap' && <ScorecardHeatmap query={query()} />}
      {view === 'table' && (
        <Table<ScorecardRow>
          key={JSON.stringify(filters)}
          title={summary || 'Services'}
          options={{
            search: true,
            paging: true,
            pageSize: 20,
            pageSizeOptions: [20, 50, 100],
            padding: 'dense',
            debounceInterval: 300,
            // A draggable column puts a focusable handle inside the sort
            // button: nested controls that screen readers cannot reach.
            draggable: false,
          }}
          columns={columns}
          data={async tableQuery => {
            const orderBy = tableQuery.orderBy?.field
              ? SORTABLE[String(tableQuery.orderBy.field)]
              : undefined;
            let result;
            try {
              result = await api.getScorecard(
                query({
                  page: String(tableQuery.page + 1),
                  pageSize: String(tableQuery.pageSize),
                  ...(tableQuery.search ? { q: tableQuery.search } : {}),
                  ...(orderBy
                    ? {
                        sort: orderBy,
                        order: tableQuery.orderDirection || 'asc',
                      }
                    : {}),
                }),
              );
            } catch (error) {
              totals?.fail(error as Error);
              throw error;
            }
            totals?.publish(result);
            setSummary(`Services (${result.total} of ${result.totalEntities})`);
            return {
              data: result.items,
              page: result.page - 1,
              totalCount: result.total,
            };
          }}
          localization={{
            body: {
              emptyDataSourceMessage:
                'No verdict matches: with no filter, no opted-in entity has been evaluated yet, so nothing was checked and nothing passed.',
            },
          }}
        />
      )}
    </CheckTitles.Provider>
  );
};
