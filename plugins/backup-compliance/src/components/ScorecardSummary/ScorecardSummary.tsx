import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { isBackupComplianceAvailable } from '@backup-compliance/backstage-plugin-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef } from '../../api';
import { useSharedScorecardTotals } from '../ScorecardTotals';
import { TrendChart } from '../TrendChart';

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
    const [scorecard, history, production, checks] = await Promise.all([
      sharing ? undefined : api.getScorecard({ pageSize: '1' }),
      api.getScorecardHistory(90),
      catalogApi.getEntities({
        filter: { kind: 'component', 'spec.lifecycle': 'production' },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
        ],
      }),
      api.getChecks(),
    ]);
    return {
      titles: new Map(checks.map(c => [c.id, c.title])),
      scorecard,
      history,
      notOptedIn: production.items.filter(e => !isBackupComplianceAvailable(e)),
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
            {notOptedIn.length}
          </Typography>
          <Typography
            component="ul"
            variant="body2"
            style={{ margin: 0, paddingLeft: 16 }}
          >
            {notOptedIn.slice(0, 10).map(e => (
              <li key={e.metadata.name}>
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
