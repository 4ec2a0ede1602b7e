export {
  ScorecardTotalsProvider,
  useSharedScorecardTotals,
  useScorecardTotalsPublisher,
} from './ScorecardTotals';
export type { ScorecardTotals, ScorecardTotalsState } from './ScorecardTotals';
