import { Faults } from './scenario/types';

/** Deterministic PRNG (mulberry32), so seeded random throttling repeats run after run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Bucket = { tokens: number; updatedAt: number };

export type FaultDecision =
  | { kind: 'pass' }
  | { kind: 'throttle'; reason: string }
  | { kind: 'fail'; reason: string };

/** Fault state of one account-region: call count, token buckets per operation, random stream. */
export class FaultInjector {
  private faults: Faults;
  private calls = 0;
  private readonly buckets = new Map<string, Bucket>();
  private random: () => number;

  constructor(faults: Faults, private readonly clock: () => number = Date.now) {
    this.faults = faults;
    this.random = seededRandom(faults.ThrottleSeed ?? 1);
  }

  get latencyMs(): number {
    return this.faults.LatencyMs ?? 0;
  }

  /** Replaces the faults and starts their state afresh. */
  reset(faults: Faults) {
    this.faults = faults;
    this.calls = 0;
    this.buckets.clear();
    this.random = seededRandom(faults.ThrottleSeed ?? 1);
  }

  /** Decides the fate of one call to `operation`. */
  decide(operation: string): FaultDecision {
    this.calls += 1;
    const { FailAfterCalls, MaxRequestsPerSecond, ThrottleRate } = this.faults;
    if (FailAfterCalls !== undefined && this.calls > FailAfterCalls) {
      return {
        kind: 'fail',
        reason: `injected failure: call ${this.calls} is past FailAfterCalls=${FailAfterCalls}`,
      };
    }
    if (
      MaxRequestsPerSecond !== undefined &&
      !this.takeToken(operation, MaxRequestsPerSecond)
    ) {
      return {
        kind: 'throttle',
        reason: `Rate exceeded: more than ${MaxRequestsPerSecond} ${operation} requests per second`,
      };
    }
    if (
      ThrottleRate !== undefined &&
      ThrottleRate > 0 &&
      this.random() < ThrottleRate
    ) {
      return { kind: 'throttle', reason: 'Rate exceeded (injected at random)' };
    }
    return { kind: 'pass' };
  }

  private takeToken(operation: string, rate: number): boolean {
    const now = this.clock();
    const capacity = Math.max(1, rate);
    const bucket = this.buckets.get(operation) ?? {
      tokens: capacity,
      updatedAt: now,
    };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate,
    );
    bucket.updatedAt = now;
    this.buckets.set(operation, bucket);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
