type Counter = { calls: number; throttled: number; errors: number };

const counter = (): Counter => ({ calls: 0, throttled: 0, errors: 0 });

/** What `GET /_emulator/stats` returns. */
export type EmulatorStats = {
  calls: number;
  throttled: number;
  errors: number;
  /** List pages the `ShortPageRate` fault answered with fewer items than asked for (with a token). */
  shortPages: number;
  /** Of those, pages with no items at all. */
  emptyPages: number;
  /** Calls waiting out `LatencyMs` at this moment. */
  held: number;
  /** Per operation, over all accounts and regions. */
  operations: Record<string, Counter>;
  /** Per `account/region`, then per operation. */
  accountRegions: Record<
    string,
    Counter & { operations: Record<string, number> }
  >;
};

/** Counts calls per operation and per account-region, for tests and benchmarks. */
export class StatsRecorder {
  private stats: EmulatorStats = StatsRecorder.empty();

  private static empty(): EmulatorStats {
    return {
      calls: 0,
      throttled: 0,
      errors: 0,
      shortPages: 0,
      emptyPages: 0,
      held: 0,
      operations: {},
      accountRegions: {},
    };
  }

  record(
    accountRegion: string,
    operation: string,
    outcome: 'ok' | 'throttled' | 'error',
  ) {
    const op = (this.stats.operations[operation] ??= counter());
    const ar = (this.stats.accountRegions[accountRegion] ??= {
      ...counter(),
      operations: {},
    });
    for (const c of [this.stats, op, ar]) {
      c.calls += 1;
      if (outcome === 'throttled') c.throttled += 1;
      if (outcome === 'error') c.errors += 1;
    }
    ar.operations[operation] = (ar.operations[operation] ?? 0) + 1;
  }

  /** A page cut to `items` of the `full` it could have held. */
  recordShortPage(items: number, full: number) {
    if (items < full) this.stats.shortPages += 1;
    if (items === 0) this.stats.emptyPages += 1;
  }

  /** The counts, with the calls `held` now. */
  snapshot(held: number): EmulatorStats {
    return { ...structuredClone(this.stats), held };
  }

  reset() {
    this.stats = StatsRecorder.empty();
  }
}
