import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export type TrendSeries = { key: string; name: string; color: string };

/**
 * A day-by-day line chart of percentages (scores, shares) from the history
 * endpoints. A single day shows as points; the title says how many days.
 */
export const TrendChart = (props: {
  title: string;
  data: Array<Record<string, string | number | null>>;
  series: TrendSeries[];
}) => (
  <InfoCard
    title={`${props.title} (${props.data.length} ${
      props.data.length === 1 ? 'day' : 'days'
    })`}
  >
    {props.data.length === 0 ? (
      <Typography>
        No history yet: one point is recorded per day after each evaluation.
      </Typography>
    ) : (
      <ResponsiveContainer width="100%" height={220}>
        <LineChart
          data={props.data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis width={56} domain={[0, 100]} unit=" %" />
          <Tooltip />
          <Legend />
          {props.series.map(s => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              dot
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    )}
  </InfoCard>
);
