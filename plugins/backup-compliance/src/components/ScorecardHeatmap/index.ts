export { ScorecardHeatmap } from './ScorecardHeatmap';
