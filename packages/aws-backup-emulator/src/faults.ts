import { ShortPage } from './protocol/pagination';
import { AwsObject, Faults, RegionState } from './scenario/types';

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

/** A call waiting out `LatencyMs`. */
type Wait = { since: number; release: () => void; timer?: NodeJS.Timeout };

export type FaultDecision =
  | { kind: 'pass' }
  | { kind: 'throttle'; reason: string }
  | { kind: 'fail'; reason: string };

/**
 * Fault state of one account-region: call count, token buckets per operation,
 * random streams (throttling and short pages apart, so one does not shift the
 * other) and the vaults that have vanished.
 */
export class FaultInjector {
  private faults: Faults;
  private calls = 0;
  private readonly buckets = new Map<string, Bucket>();
  private random: () => number;
  private pageRandom: () => number;
  private readonly vanished = new Set<string>();
  private readonly waiting = new Set<Wait>();
  private view?: { of: RegionState; vanished: number; state: RegionState };

  constructor(faults: Faults, private readonly clock: () => number = Date.now) {
    this.faults = faults;
    this.random = seededRandom(faults.ThrottleSeed ?? 1);
    this.pageRandom = seededRandom(faults.ShortPageSeed ?? 1);
  }

  get latencyMs(): number {
    return this.faults.LatencyMs ?? 0;
  }

  /** Calls waiting out `LatencyMs` now. */
  get held(): number {
    return this.waiting.size;
  }

  /**
   * Waits `LatencyMs` from the call's arrival. New faults apply to the calls already
   * waiting: lowering the latency releases those that have waited long enough, so a
   * test can hold an account-region's calls and let them go when it is ready.
   */
  delay(): Promise<void> {
    if (this.latencyMs <= 0) return Promise.resolve();
    return new Promise(release => {
      const wait: Wait = { since: this.clock(), release };
      this.waiting.add(wait);
      this.wake(wait);
    });
  }

  private wake(wait: Wait) {
    clearTimeout(wait.timer);
    wait.timer = setTimeout(() => {
      this.waiting.delete(wait);
      wait.release();
    }, Math.max(0, wait.since + this.latencyMs - this.clock()));
  }

  /** Replaces the faults and starts their state afresh; calls waiting get the new latency. */
  reset(faults: Faults) {
    this.faults = faults;
    this.waiting.forEach(wait => this.wake(wait));
    this.calls = 0;
    this.buckets.clear();
    this.random = seededRandom(faults.ThrottleSeed ?? 1);
    this.pageRandom = seededRandom(faults.ShortPageSeed ?? 1);
    this.vanished.clear();
    this.view = undefined;
  }

  /** Cuts list pages short at `ShortPageRate`, to any size from empty to full. */
  get shortPage(): ShortPage | undefined {
    const rate = this.faults.ShortPageRate ?? 0;
    if (rate <= 0) return undefined;
    return full =>
      this.pageRandom() < rate
        ? Math.floor(this.pageRandom() * (full + 1))
        : undefined;
  }

  /** The region as callers see it now: without the vaults that vanished, nor their recovery points. */
  visible(state: RegionState): RegionState {
    if (this.vanished.size === 0) return state;
    if (this.view?.of !== state || this.view.vanished !== this.vanished.size) {
      const gone = (o: AwsObject) => this.vanished.has(o.BackupVaultName);
      this.view = {
        of: state,
        vanished: this.vanished.size,
        state: {
          ...state,
          vaults: state.vaults.filter(v => !gone(v)),
          recoveryPoints: state.recoveryPoints.filter(p => !gone(p)),
        },
      };
    }
    return this.view.state;
  }

  /** Sees what was answered: a `VanishingVaults` vault is deleted once a listing has named it. */
  answered(operation: string, body: AwsObject) {
    const vanishing = this.faults.VanishingVaults ?? [];
    if (operation !== 'ListBackupVaults' || vanishing.length === 0) return;
    for (const vault of body.BackupVaultList ?? []) {
      if (vanishing.includes(vault.BackupVaultName)) {
        this.vanished.add(vault.BackupVaultName);
      }
    }
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
