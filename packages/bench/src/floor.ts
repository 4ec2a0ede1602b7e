import { BenchOptions } from './types';

type Stats = {
  accountRegions: Record<string, { operations: Record<string, number> }>;
};

/**
 * The least time a cycle's calls can take: within an account-region, operations that do
 * not depend on each other run side by side, each at most `awsRate` calls per second (AWS's
 * documented rate for the Backup list APIs), and a listing that depends on another (points
 * after vaults, plan details after plans) waits one round trip more; account-regions run
 * `concurrency` at a time, longest first.
 */
export function cycleFloorSeconds(stats: Stats, options: BenchOptions): number {
  const latency = options.latencyMs / 1000;
  const perAccountRegion = Object.values(stats.accountRegions)
    .map(ar => {
      const slowest = Math.max(
        0,
        ...Object.values(ar.operations).map(calls =>
          options.awsRate > 0 ? calls / options.awsRate : calls * latency,
        ),
      );
      return slowest + 2 * latency;
    })
    .sort((a, b) => b - a);
  const lanes = new Array(Math.max(1, options.concurrency)).fill(0);
  for (const seconds of perAccountRegion) {
    const i = lanes.indexOf(Math.min(...lanes));
    lanes[i] += seconds;
  }
  return Math.max(...lanes);
}
