import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from 'react';
import { Scorecard } from '../../api';

/**
 * What the scorecard's tiles show. The backend computes these over every row
 * the caller may see, whatever the filters and the page, so any scorecard
 * response carries them.
 */
export type ScorecardTotals = Pick<
  Scorecard,
  'totalEntities' | 'levels' | 'failingChecks'
>;

/** The latest totals (none yet: loading), and the error of a call that failed before any arrived. */
export type ScorecardTotalsState = {
  value?: ScorecardTotals;
  error?: Error;
};

type ScorecardTotalsPublisher = {
  /** A scorecard response arrived: its totals become the tiles'. */
  publish(scorecard: Scorecard): void;
  /** A scorecard call failed. */
  fail(error: Error): void;
};

// Two contexts, so that the component publishing (the table) does not render
// again each time the totals change; only the one reading them does.
const StateContext = createContext<ScorecardTotalsState | undefined>(undefined);
const PublisherContext = createContext<ScorecardTotalsPublisher | undefined>(
  undefined,
);

/**
 * Shares the totals of the scorecard responses one component fetches (the
 * table) with another (the summary), so that the page opens with one
 * `GET /v1/scorecard` instead of two.
 */
export const ScorecardTotalsProvider = (props: { children?: ReactNode }) => {
  const [state, setState] = useState<ScorecardTotalsState>({});
  const publish = useCallback((scorecard: Scorecard) => {
    setState({
      value: {
        totalEntities: scorecard.totalEntities,
        levels: scorecard.levels,
        failingChecks: scorecard.failingChecks,
      },
    });
  }, []);
  // Totals already shown stay: they do not depend on the query that failed,
  // and the table shows that error itself.
  const fail = useCallback((error: Error) => {
    setState(previous => (previous.value ? previous : { error }));
  }, []);
  const publisher = useMemo(() => ({ publish, fail }), [publish, fail]);
  return (
    <PublisherContext.Provider value={publisher}>
      <StateContext.Provider value={state}>
        {props.children}
      </StateContext.Provider>
    </PublisherContext.Provider>
  );
};

/** The shared totals, or `undefined` outside a {@link ScorecardTotalsProvider}. */
export function useSharedScorecardTotals(): ScorecardTotalsState | undefined {
  return useContext(StateContext);
}

/** Where to report scorecard responses, or `undefined` outside a {@link ScorecardTotalsProvider}. */
export function useScorecardTotalsPublisher():
  | ScorecardTotalsPublisher
  | undefined {
  return useContext(PublisherContext);
}
