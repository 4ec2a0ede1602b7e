import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { useEntityName } from '../../hooks/useEntityName';
import { backupComplianceApiRef } from '../../api';
import { TrendChart } from './TrendChart';

/** The entity's score, one point per day, from its history. */
export const EntityScoreTrend = () => {
  const api = useApi(backupComplianceApiRef);
  const { namespace, kind, name } = useEntityName();
  const history = useAsync(
    () => api.getEntityHistory({ namespace, kind, name }, 90),
    [api, namespace, kind, name],
  );
  if (history.loading) return <Progress />;
  if (history.error) {
    return (
      <ResponseErrorPanel
        error={history.error}
        title="Could not load the history"
      />
    );
  }
  return (
    <TrendChart
      title="Score over time"
      data={history.value!.map(h => ({ day: h.day, score: h.score }))}
      series={[{ key: 'score', name: 'Score', color: '#1f77b4' }]}
    />
  );
};
