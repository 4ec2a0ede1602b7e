export { TrendChart } from './TrendChart';
export { EntityScoreTrend } from './EntityScoreTrend';
export { RestoreTestsChart } from './RestoreTestsChart';
