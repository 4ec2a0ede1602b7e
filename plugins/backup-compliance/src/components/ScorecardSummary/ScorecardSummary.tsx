import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  CatalogApi,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
import {
  BACKUP_RESOURCE_TAGS_ANNOTATION,
  isBackupComplianceAvailable,
} from '@backup-compliance/backstage-plugin-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef } from '../../api';
import { useSharedScorecardTotals } from '../ScorecardTotals';
import { TrendChart } from '../TrendChart';

/** How many production components not opted in the tile names. */
const LISTED = 10;
/** The first page of production components; each next one is twice as big, up to {@link MAX_PAGE}. */
const FIRST_PAGE = 100;
const MAX_PAGE = 500;

const PRODUCTION = { kind: 'component', 'spec.lifecycle': 'production' };
const TAGS_KEY = `metadata.annotations.${BACKUP_RESOURCE_TAGS_ANNOTATION}`;
/** All the tile reads of a component: its name, title and opt-in annotation (not its other annotations). */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  TAGS_KEY,
];

/**
 * Production components not opted in: how many, and the first {@link LISTED}
 * by name. Never the whole production catalog in one response:
 *
 * - the count is `production - annotated + annotated blank`, from the
 *   `totalItems` of three queries (two with `limit: 0`);
 * - the names come from pages of production components (100, then 200, 400,
 *   500 each), asking only for the fields shown, until {@link LISTED} (or as
 *   many as the count says there are) are found or the pages end.
 *
 * "Opted in" is {@link isBackupComplianceAvailable}: the tags annotation,
 * trimmed, is not empty. The catalog cannot filter on a trimmed value, so the
 * blank ones counted back are those whose annotation is exactly `''`; one of
 * only spaces (`'  '`) is counted as opted in, unless the pages walked were all
 * of production (then the count is exact, from the pages). Such an entity is
 * still listed by name when a page walked holds it.
 */
async function fetchNotOptedIn(
  catalogApi: CatalogApi,
): Promise<{ count: number; first: Entity[] }> {
  const notOptedIn = (items: Entity[]) =>
    items.filter(e => !isBackupComplianceAvailable(e));
  const [firstPage, annotated, annotatedBlank] = await Promise.all([
    catalogApi.queryEntities({
      filter: PRODUCTION,
      orderFields: { field: 'metadata.name', order: 'asc' },
      fields: FIELDS,
      limit: FIRST_PAGE,
    }),
    catalogApi.queryEntities({
      filter: { ...PRODUCTION, [TAGS_KEY]: CATALOG_FILTER_EXISTS },
      limit: 0,
    }),
    catalogApi.queryEntities({
      filter: { ...PRODUCTION, [TAGS_KEY]: '' },
      limit: 0,
    }),
  ]);
  const estimate = Math.max(
    0,
    firstPage.totalItems - annotated.totalItems + annotatedBlank.totalItems,
  );
  const found = notOptedIn(firstPage.items);
  let cursor = firstPage.pageInfo.nextCursor;
  let limit = FIRST_PAGE;
  while (cursor && found.length < Math.min(LISTED, estimate)) {
    limit = Math.min(limit * 2, MAX_PAGE);
    const page = await catalogApi.queryEntities({
      cursor,
      limit,
      fields: FIELDS,
    });
    found.push(...notOptedIn(page.items));
    cursor = page.pageInfo.nextCursor;
  }
  return {
    // No cursor left: every production component was seen.
    count: cursor ? Math.max(estimate, found.length) : found.length,
    first: found.slice(0, LISTED),
  };
}

/**
 * The scorecard's tiles: services opted in, share compliant, failing checks
 * by type, production components not opted in, and the trend.
 *
 * Inside a `ScorecardTotalsProvider` (the scorecard page) the totals come from
 * the table's scorecard responses and follow them; on its own, the summary
 * asks for them itself.
 */
export const ScorecardSummary = () => {
  const api = useApi(backupComplianceApiRef);
  const catalogApi = useApi(catalogApiRef);
  const shared = useSharedScorecardTotals();
  const sharing = shared !== undefined;
  const result = useAsync(async () => {
    const [scorecard, history, notOptedIn, checks] = await Promise.all([
      sharing ? undefined : api.getScorecard({ pageSize: '1' }),
      api.getScorecardHistory(90),
      fetchNotOptedIn(catalogApi),
      api.getChecks(),
    ]);
    return {
      titles: new Map(checks.map(c => [c.id, c.title])),
      scorecard,
      history,
      notOptedIn,
    };
  }, [api, catalogApi, sharing]);

  const error = result.error ?? shared?.error;
  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title="Could not load the scorecard summary"
      />
    );
  }
  const scorecard = sharing ? shared.value : result.value?.scorecard;
  if (result.loading || !result.value || !scorecard) return <Progress />;
  const { history, notOptedIn, titles } = result.value;
  const compliant = scorecard.levels.compliant ?? 0;
  const share = scorecard.totalEntities
    ? Math.round((compliant / scorecard.totalEntities) * 100)
    : null;
  const failing = Object.entries(scorecard.failingChecks).sort(
    (a, b) => b[1] - a[1],
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} sm={6} md={3}>
        <InfoCard title="Services opted in">
          <Typography variant="h3" component="p">
            {scorecard.totalEntities}
          </Typography>
          <Typography variant="body2">
            {Object.entries(scorecard.levels)
              .map(([level, n]) => `${n} ${level}`)
              .join(', ') || 'none evaluated yet'}
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <InfoCard title="Compliant">
          <Typography variant="h3" component="p">
            {share === null ? 'n/a' : `${share} %`}
          </Typography>
          <Typography variant="body2">
            {compliant} of {scorecard.totalEntities} services
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <InfoCard title="Failing checks">
          {failing.length === 0 ? (
            <Typography>None</Typography>
          ) : (
            <Typography
              component="ul"
              variant="body2"
              style={{ margin: 0, paddingLeft: 16 }}
            >
              {failing.map(([check, n]) => (
                <li key={check}>
                  {titles.get(check) ?? check}: {n}
                </li>
              ))}
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <InfoCard title="Production components not opted in">
          <Typography variant="h3" component="p">
            {notOptedIn.count}
          </Typography>
          <Typography
            component="ul"
            variant="body2"
            style={{ margin: 0, paddingLeft: 16 }}
          >
            {notOptedIn.first.map(e => (
              <li
                key={`${e.metadata.namespace ?? 'default'}/${e.metadata.name}`}
              >
                <Link
                  to={`/catalog/${
                    e.metadata.namespace ?? 'default'
                  }/component/${e.metadata.name}`}
                >
                  {e.metadata.title ?? e.metadata.name}
                </Link>
              </li>
            ))}
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <TrendChart
          title="Compliance over time"
          data={history.map(h => ({
            day: h.day,
            averageScore: h.averageScore,
            compliantShare: h.entities
              ? Math.round(((h.levels.compliant ?? 0) / h.entities) * 100)
              : null,
          }))}
          series={[
            { key: 'averageScore', name: 'Average score', color: '#1f77b4' },
            {
              key: 'compliantShare',
              name: 'Share compliant',
              color: '#2ca02c',
            },
          ]}
        />
      </Grid>
    </Grid>
  );
};
