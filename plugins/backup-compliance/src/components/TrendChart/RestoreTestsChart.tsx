import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useEntityName } from '../../hooks/useEntityName';
import { backupComplianceApiRef, RestoreTest } from '../../api';

// The outcome in words on every bar: never colour alone.
function outcome(test: RestoreTest) {
  if (test.status !== 'COMPLETED') return test.status.toLowerCase();
  if (test.validationStatus && test.validationStatus !== 'SUCCESSFUL') {
    return `validation ${test.validationStatus.toLowerCase()}`;
  }
  return 'ok';
}

/** Test restores over time: how long each took against the RTO, and how it ended. */
export const RestoreTestsChart = () => {
  const api = useApi(backupComplianceApiRef);
  const { namespace, kind, name } = useEntityName();
  const tests = useAsync(async () => {
    const [items, snapshot] = await Promise.all([
      api.getRestoreTests({ namespace, kind, name }),
      api.getEntityCompliance({ namespace, kind, name }),
    ]);
    return {
      items,
      rtoMinutes: snapshot?.resources.find(r => r.summary)?.summary?.rtoMinutes,
    };
  }, [api, namespace, kind, name]);
  if (tests.loading) return <Progress />;
  if (tests.error) {
    return (
      <ResponseErrorPanel
        error={tests.error}
        title="Could not load the restore tests"
      />
    );
  }
  const { items, rtoMinutes } = tests.value!;
  const data = items.map(t => ({
    day: t.createdAt.slice(0, 10),
    minutes: t.minutes ?? 0,
    outcome: outcome(t),
    fill: outcome(t) === 'ok' ? '#2ca02c' : '#d62728',
  }));
  return (
    <InfoCard title={`Restore tests over time (${data.length})`}>
      {data.length === 0 ? (
        <Typography>
          No test restore of these resources in the collected history.
        </Typography>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <BarChart
            data={data}
            margin={{ top: 20, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis
              width={72}
              unit=" min"
              domain={[0, (max: number) => Math.max(max, rtoMinutes ?? 0)]}
            />
            <Tooltip />
            {rtoMinutes && (
              <ReferenceLine
                y={rtoMinutes}
                stroke="#d62728"
                strokeDasharray="4 4"
                label={`RTO ${rtoMinutes} min`}
              />
            )}
            <Bar
              dataKey="minutes"
              name="Duration"
              isAnimationActive={false}
              maxBarSize={48}
            >
              {data.map(d => (
                <Cell
                  key={`${d.day}-${d.minutes}-${d.outcome}`}
                  fill={d.fill}
                />
              ))}
              <LabelList dataKey="outcome" position="top" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </InfoCard>
  );
};
