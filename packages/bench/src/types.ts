import type { CycleLog } from './processes';

export type Size = {
  entities: number;
  resources: number;
  accountRegions: number;
  recoveryPoints: number;
  seed: number;
};

/** The sizes: the CI run, the bank it was measured on, and the growth check. */
export const SIZES: Record<'small' | 'medium' | 'bank' | 'growth', Size> = {
  small: {
    entities: 500,
    resources: 2000,
    accountRegions: 12,
    recoveryPoints: 30_000,
    seed: 1,
  },
  medium: {
    entities: 1000,
    resources: 4000,
    accountRegions: 24,
    recoveryPoints: 60_000,
    seed: 1,
  },
  bank: {
    entities: 5000,
    resources: 20_000,
    accountRegions: 60,
    recoveryPoints: 300_000,
    seed: 1,
  },
  growth: {
    entities: 20_000,
    resources: 80_000,
    accountRegions: 240,
    recoveryPoints: 1_200_000,
    seed: 1,
  },
};

export type BenchOptions = {
  root: string;
  work: string;
  size: Size;
  latencyMs: number;
  awsRate: number;
  concurrency: number;
  /** HTTP requests per endpoint and client count. */
  requests: number;
  postgres?: string;
  chromium: string;
  /** The backend's V8 heap limit (`--max-old-space-size`), in MB; 0 leaves V8's default. */
  backendHeapMb: number;
  /**
   * The backend's young generation semi-space (`--max-semi-space-size`), in MB; 0 leaves
   * V8's default (16 MB). A cycle allocates quickly, and short-lived objects that outgrow
   * a small young generation are collected by the slower full collections.
   */
  backendYoungMb: number;
  /**
   * Days of history (one `entity_history` row per component per day) written before the
   * first cycle, as months of daily evaluations leave them: what chaining a day's rows and
   * the scorecard's trend read at a bank's steady state. 0: a fresh database.
   */
  historyDays: number;
  /**
   * The example backend's permission policy (`exampleBackend.permissionPolicy`):
   * `allow-all`, or `conditional-catalog`, under which the catalog decides which entities
   * each caller may see, as under a bank's owner or namespace policies.
   */
  policy: 'allow-all' | 'conditional-catalog';
  /** Components the policy hides from the benchmark's caller (see restrict.ts). */
  hiddenComponents: number;
  /** A directory for the backend's V8 CPU profiles (`--cpu-prof`), one per process. */
  profile?: string;
  /**
   * Replicas for the shards run on PostgreSQL (`shards` = this): the full cycle on one
   * replica, then on this many. 1: no shards run.
   */
  replicas: number;
};

export type Latency = {
  endpoint: string;
  clients: number;
  p50: number;
  p95: number;
  perSecond: number;
  errors: number;
};

export type CycleFigures = {
  seconds: number;
  collectSeconds: number;
  evaluateSeconds: number;
  calls: number;
  throttled: number;
  floorSeconds: number;
  entities: number;
  failedAccountRegions: number;
  /** CPU seconds the backend and the emulator used during the cycle. */
  backendCpu?: number;
  /** Of the backend's, its main thread's: where all its JavaScript runs, one core at most. */
  backendJsCpu?: number;
  emulatorCpu?: number;
  /** CPU seconds the PostgreSQL server's processes used, when it runs on this machine. */
  databaseCpu?: number;
  /** CPU seconds this benchmark's own process used (sampling, polling, logs). */
  benchCpu?: number;
  /** The share of a core the backend's JavaScript thread used during join + evaluate. */
  evaluateJsShare?: number;
  /** Cores' worth of CPU the PostgreSQL server used during join + evaluate. */
  evaluateDatabaseShare?: number;
  /** The join's and the evaluation's own timings, from the backend's log. */
  logged?: CycleLog;
};

export type DatabaseResult = {
  database: 'sqlite' | 'postgres';
  full?: CycleFigures;
  incremental?: CycleFigures & { grown: number };
  perEntityCalls?: number;
  rss: {
    /** Just started, before its first cycle. */
    start?: number;
    cyclePeak?: number;
    /** After the cycles, before the HTTP load. */
    idle?: number;
    afterLoad?: number;
    loadPeak?: number;
  };
  latencies: Latency[];
  /**
   * The share of a core the backend's JavaScript thread used between the cycles, with no
   * request and no cycle running: the catalog's own processing, mostly.
   */
  idleJsShare?: number;
  /** The full cycle with shards, on 1, then more replicas (PostgreSQL). */
  sharded?: Array<{
    replicas: number;
    shards: number;
    figures: CycleFigures;
    /** How many account-regions each replica collected, most first. */
    accountRegionsByReplica: number[];
  }>;
  pageSeconds?: number;
  pageNote?: string;
  /** The plugin's database after the cycles, in MB: in all, and its largest tables. */
  storage?: { totalMb: number; tables: Array<{ name: string; mb: number }> };
  errors: string[];
};

/** The name of the HTTP rows that measure Backstage itself, not the plugin. */
export const FLOOR = 'Backstage alone';
/** Backstage's own read of one entity: a permission round trip and a query, as a verdict. */
export const CATALOG_READ = `${FLOOR}: the catalog reading one of the entities`;
