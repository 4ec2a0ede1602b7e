export { TrendChart } from './TrendChart';
export { EntityScoreTrend } from './EntityScoreTrend';
