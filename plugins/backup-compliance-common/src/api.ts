// What the backend's REST API returns, as JSON: times are ISO-8601 strings.

import type { ComplianceLevel } from './checks';

/**
 * Collection state of one account-region.
 *
 * @public
 */
export type AccountRegionCollectionState = {
  accountId: string;
  region: string;
  lastSuccessStartedAt?: string;
  lastAttemptAt?: string;
  /** The last attempt failed: the data kept is from an earlier cycle. */
  stale: boolean;
  lastError?: string;
};

/**
 * One collection of one account-region.
 *
 * @public
 */
export type CollectionRun = {
  id: string;
  cycleId: string;
  accountId: string;
  region: string;
  mode: 'full' | 'incremental';
  /** `interrupted`: the backend stopped before the run finished (restart or crash). */
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  apiCalls: Record<string, number>;
  throttles: number;
  itemCounts: Record<string, number>;
  error?: string;
  /** What the run met and worked around, e.g. a vault deleted while it was read. */
  notes?: string[];
  /** The backend that ran it: host:pid/instance. */
  replica?: string;
  /** The cycle's shard it belonged to, when the cycle was split (`backupCompliance.shards`). */
  shard?: number;
};

/**
 * One part of a full cycle's account-regions (`backupCompliance.shards`), collected by
 * whichever replica takes it.
 *
 * @public
 */
export type CollectionShard = {
  /** 1 to the number of shards. */
  shard: number;
  accountRegions: Array<{ accountId: string; region: string }>;
  /** `running` with an old `heartbeatAt`: its replica stopped, another will take it over. */
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  /** The backend collecting or that collected it: host:pid/instance. */
  replica?: string;
  startedAt?: string;
  heartbeatAt?: string;
  finishedAt?: string;
  error?: string;
};

/**
 * One collection cycle. Cycles run one at a time across all replicas.
 *
 * @public
 */
export type CollectionCycle = {
  id: string;
  /** `full`: every account-region; `entities`: those of the entities refreshes asked for. */
  scope: 'full' | 'entities';
  entityRefs?: string[];
  /** `interrupted`: the backend running it stopped (restart or crash). */
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  /** The backend that ran it: host:pid/instance. */
  replica?: string;
  /** Why the cycle failed, e.g. a database write after collection. */
  error?: string;
  /** A full cycle split into shards: each shard, who took it and how it went. */
  shards?: CollectionShard[];
};

/**
 * A refresh asked for with `POST /api/backup-compliance/v1/collection/refresh`
 * (answer 202), and its progress from `GET .../v1/collection/refresh/{requestId}`.
 * The next cycle, on whichever replica runs it, takes every pending request.
 *
 * @public
 */
export type CollectionRefreshRequest = {
  requestId: string;
  /** The entity to refresh; absent for a full refresh. */
  entityRef?: string;
  requestedAt: string;
  /** `queued` until a cycle takes it, then that cycle's status. */
  status: 'queued' | CollectionCycle['status'];
  /** The cycle that took it. */
  cycleId?: string;
  /** In the 202 answer: other requests were already waiting, one cycle answers them all. */
  coalesced?: boolean;
};

/**
 * Answer of `GET /api/backup-compliance/v1/collection`.
 *
 * @public
 */
export type CollectionStatus = {
  enabled: boolean;
  /** Why collection is off, when it is. */
  message?: string;
  accounts: string[];
  regions: string[];
  accountRegions: AccountRegionCollectionState[];
  /** The newest cycles first. */
  cycles: CollectionCycle[];
  /** Refreshes waiting for the next cycle. */
  pendingRequests: number;
  runs: CollectionRun[];
};

/**
 * An AWS resource matched to an entity by its tags.
 *
 * @public
 */
export type EntityResource = {
  resourceArn: string;
  accountId: string;
  region: string;
  tags: Record<string, string>;
  /** AWS Backup's resource type, known once the resource has a backup. */
  resourceType?: string;
  /** Newest backup AWS Backup knows of; absent: no backup found. */
  lastBackupTime?: string;
  /** When its account-region was last collected. */
  collectedAt?: string;
  stale: boolean;
};

/**
 * Answer of `GET /api/backup-compliance/v1/entities/{namespace}/{kind}/{name}/resources`.
 *
 * @public
 */
export type EntityResources = {
  entityRef: string;
  /** False until a collection cycle has seen the entity. */
  optedIn: boolean;
  resources: EntityResource[];
};

/**
 * Answer of `GET /api/backup-compliance/health`.
 *
 * @public
 */
export type BackupComplianceHealth = {
  status: 'ok';
};

/**
 * One day of an entity's history: an item of
 * `GET /api/backup-compliance/v1/entities/{namespace}/{kind}/{name}/history`.
 *
 * @public
 */
export type EntityHistoryPoint = {
  entityRef: string;
  /** The day, `YYYY-MM-DD` (UTC). */
  day: string;
  level: ComplianceLevel;
  score: number | null;
  failingChecks: string[];
};

/**
 * A test restore (by a restore-testing plan) of one of the entity's resources: an item of
 * `GET /api/backup-compliance/v1/entities/{namespace}/{kind}/{name}/restore-tests`.
 *
 * @public
 */
export type RestoreTest = {
  resourceArn: string;
  restoreJobId: string;
  createdAt: string;
  /** Absent until the restore job ends. */
  completedAt?: string;
  /** From creation to completion, rounded; null until the restore job ends. */
  minutes: number | null;
  status: string;
  validationStatus: string | null;
  validationMessage: string | null;
};

/**
 * One line of `GET /api/backup-compliance/v1/scorecard` (and of its export).
 *
 * @public
 */
export type ScorecardRow = {
  entityRef: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  lifecycle?: string;
  policies: string[];
  level: ComplianceLevel;
  score: number | null;
  failingChecks: string[];
  /** Every check's status, `n/a` where the policy does not ask for it: the heatmap's cells. */
  statuses: Record<string, string>;
  evaluatedAt: string;
  /**
   * The newest recovery point of its least recently backed-up resource: how old its
   * backups are at worst. Absent when a resource has none, or nothing matched.
   */
  stalestBackupAt?: string;
  /**
   * The last successful test restore of its least recently tested resource. Absent when
   * a resource has none, or nothing matched.
   */
  stalestRestoreTestAt?: string;
  /** The nearest expiry (YYYY-MM-DD) of a waiver in force on one of its checks. */
  nextWaiverExpiry?: string;
};

/**
 * The scorecard's rows grouped by owner, system or domain.
 *
 * @public
 */
export type ScorecardGroup = {
  /** The owner, system or domain; `(none)` for rows without one. */
  key: string;
  entities: number;
  levels: Partial<Record<ComplianceLevel, number>>;
  averageScore: number | null;
};

/**
 * Answer of `GET /api/backup-compliance/v1/scorecard`: one page of rows, with counts
 * over every row the caller may see.
 *
 * @public
 */
export type Scorecard = {
  /** Entities the caller may see, before filters. */
  totalEntities: number;
  /** Entities that match the filters. */
  total: number;
  page: number;
  pageSize: number;
  /** Per level, before filters. */
  levels: Partial<Record<ComplianceLevel, number>>;
  /** Per check id, entities failing it, before filters. */
  failingChecks: Record<string, number>;
  /** Groups of the filtered rows, when `groupBy` is asked for. */
  groups?: ScorecardGroup[];
  items: ScorecardRow[];
};

/**
 * One day of the organisation's history: an item of
 * `GET /api/backup-compliance/v1/scorecard/history`.
 *
 * @public
 */
export type ScorecardHistoryDay = {
  /** The day, `YYYY-MM-DD` (UTC). */
  day: string;
  entities: number;
  levels: Partial<Record<ComplianceLevel, number>>;
  averageScore: number | null;
};

/**
 * `GET /v1/history/verify`: the history's hash chains and daily heads recomputed from the
 * rows as they are now.
 *
 * @public
 */
export type HistoryVerification = {
  /** Every chain matches, and every head but those in `heads.open`, which an evaluation is rewriting. */
  verified: boolean;
  rows: number;
  entities: number;
  /** Rows written before the chain existed (not covered). */
  unchainedRows: number;
  /** The first row, by entity then day, that does not match, and how. */
  firstMismatch?: { entityRef: string; day: string; problem: string };
  heads: {
    days: number;
    latest?: { day: string; hash: string };
    firstMismatch?: { day: string; problem: string };
    /**
     * Days whose rows were written after their head by an evaluation of that day that has
     * not ended, or stopped midway. Not a mismatch: the next evaluation's end heads them
     * again, and the days after them. Their rows are still checked against their chains.
     */
    open?: Array<{ day: string; note: string }>;
  };
};

/**
 * One service in the register: its verdict on the register's day, by DORA article.
 *
 * @public
 */
export type BackupRegisterEntry = {
  entityRef: string;
  title?: string;
  owner?: string;
  policies: string[];
  level: ComplianceLevel;
  score: number | null;
  evaluatedAt: string;
  /** Each DORA article the checks stand for, its status (the worst of its checks) and the checks. */
  articles: Array<{
    article: string;
    status: string;
    checks: Array<{ checkId: string; title: string; status: string }>;
  }>;
  /** Waivers in force on the day. */
  waivers: Array<{
    check: string;
    approvedBy: string;
    reason: string;
    expires: string;
  }>;
  /** Account-regions whose data was older than the day's collection. */
  staleAccountRegions: string[];
};

/**
 * `GET /v1/register`: every opted-in service the caller may read, as the last evaluation
 * on or before `asOf` judged it.
 *
 * @public
 */
export type BackupRegister = {
  /** The day asked for (today when none was). */
  asOf: string;
  /** The day of the verdicts shown: the newest evaluated on or before `asOf`. */
  day?: string;
  generatedAt: string;
  /** The tamper-evident history's daily head for that day. */
  historyHead?: { day: string; hash: string };
  services: BackupRegisterEntry[];
};
