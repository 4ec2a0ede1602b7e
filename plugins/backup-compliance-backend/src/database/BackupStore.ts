import type { BackupComplianceChange } from '@backup-compliance/backstage-plugin-node';
import {
  BackupAnnotationProblem,
  ComplianceLevel,
  BackupAnnotations,
  EntityHistoryPoint,
  HistoryVerification,
  OrganizationBackupPolicy,
  ScorecardHistoryDay,
  ScorecardRow,
} from '@backup-compliance/backstage-plugin-common';
import { AccountRegionSnapshot, ApiCallCounts } from '../collector/types';
import type { CollectedOrganizationPolicy } from '../organization/judgeOrganizationPolicies';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import type {
  ScorecardQuery,
  ScorecardResult,
  VisibleEntities,
} from '../service/scorecard';

export type CollectionRunStatus =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'interrupted';

export type CollectionRun = {
  id: string;
  cycleId: string;
  accountId: string;
  region: string;
  mode: 'full' | 'incremental';
  status: CollectionRunStatus;
  startedAt: Date;
  finishedAt?: Date;
  apiCalls: Record<string, number>;
  throttles: number;
  itemCounts: Record<string, number>;
  error?: string;
  /** What the run met and worked around, e.g. a vault deleted while it was read. */
  notes?: string[];
  /** host:pid/instance of the replica that ran it. */
  replica?: string;
  /** The cycle's shard it belonged to, when the cycle was split into shards. */
  shard?: number;
};

/**
 * One part of a full cycle's account-regions (`backupCompliance.shards`), collected
 * by whichever replica takes it.
 */
export type CollectionShard = {
  cycleId: string;
  shard: number;
  accountRegions: Array<{ accountId: string; region: string }>;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  replica?: string;
  startedAt?: Date;
  /** Updated while the replica collects it; one that stops lets another take over. */
  heartbeatAt?: Date;
  finishedAt?: Date;
  error?: string;
};

export type CollectionCycleStatus = CollectionRunStatus;

export type CollectionCycle = {
  id: string;
  scope: 'full' | 'entities';
  entityRefs?: string[];
  status: CollectionCycleStatus;
  startedAt: Date;
  finishedAt?: Date;
  /** host:pid of the backend that ran it. */
  replica?: string;
  error?: string;
  /** The shards of a full cycle split into them, in order. */
  shards?: Array<Omit<CollectionShard, 'cycleId'>>;
};

export type RefreshRequest = {
  id: string;
  /** Absent: a full refresh. */
  entityRef?: string;
  requestedBy: string;
  requestedAt: Date;
  /** The cycle that took it; absent while pending. */
  cycleId?: string;
};

export type AccountRegionState = {
  accountId: string;
  region: string;
  lastSuccessStartedAt?: Date;
  lastFullStartedAt?: Date;
  lastAttemptAt?: Date;
  /** The last attempt failed: the data served is from an earlier cycle. */
  stale: boolean;
  lastError?: string;
};

/** Catalog facts about an entity that the scorecard shows and groups by. */
export type EntityCatalogInfo = {
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  lifecycle?: string;
  type?: string;
};

export type EntityOptIn = {
  entityRef: string;
  catalog?: EntityCatalogInfo;
  annotations?: BackupAnnotations;
  problems?: BackupAnnotationProblem[];
};

export type EntityResource = {
  entityRef: string;
  accountId: string;
  region: string;
  resourceArn: string;
};

export type StoredObject = {
  accountId: string;
  region: string;
  kind: string;
  key: string;
  data: any;
};

/** Where the collector keeps what it read, and the API reads it back. */
export interface BackupStore {
  startRun(
    run: Omit<
      CollectionRun,
      'status' | 'apiCalls' | 'throttles' | 'itemCounts'
    >,
  ): Promise<void>;
  /** Splits a cycle into shards, all pending: shard i + 1 collects `parts[i]`. */
  createShards(
    cycleId: string,
    parts: Array<Array<{ accountId: string; region: string }>>,
  ): Promise<void>;
  /**
   * Takes a shard of a running cycle for `replica`: a pending one, or a running one
   * whose heartbeat is older than `staleBefore` (its replica stopped; its runs still
   * `running` are closed as interrupted). Only `shard`, or only `cycleId`'s, when
   * given; the lowest shard first. Answers the shard taken, or undefined when none is
   * left. Two replicas never take the same shard.
   */
  claimShard(options: {
    cycleId?: string;
    shard?: number;
    replica: string;
    now: Date;
    staleBefore: Date;
  }): Promise<CollectionShard | undefined>;
  /** Records that `replica` still works on the shard; false when another took it over. */
  heartbeatShard(
    cycleId: string,
    shard: number,
    replica: string,
    now: Date,
  ): Promise<boolean>;
  finishShard(
    cycleId: string,
    shard: number,
    replica: string,
    outcome: { status: 'succeeded' | 'failed'; error?: string },
    finishedAt: Date,
  ): Promise<void>;
  listShards(cycleId: string): Promise<CollectionShard[]>;
  /**
   * Replaces one account-region's data with a snapshot (full), or merges the
   * snapshot's new jobs and points into it (incremental), and closes the run:
   * all in one transaction.
   */
  commitSnapshot(
    runId: string,
    snapshot: AccountRegionSnapshot & { notes?: string[] },
    counts: ApiCallCounts,
    finishedAt: Date,
  ): Promise<void>;
  /** Closes a run as failed and marks its account-region stale; its data stays. */
  failRun(
    runId: string,
    error: string,
    counts: ApiCallCounts,
    finishedAt: Date,
  ): Promise<void>;
  listRuns(options?: {
    cycleId?: string;
    limit?: number;
  }): Promise<CollectionRun[]>;
  /**
   * Closes as `interrupted` the runs still `running` that started before `startedBefore`
   * (a backend that was killed or restarted mid-cycle never closed them), and marks their
   * account-regions stale: their data is from the cycle before. Answers how many.
   */
  interruptRuns(startedBefore: Date, finishedAt: Date): Promise<number>;
  /** Deletes finished runs, cycles and taken requests from before `before`; answers how many runs. */
  pruneRuns(before: Date): Promise<number>;
  startCycle(
    cycle: Omit<CollectionCycle, 'status' | 'finishedAt' | 'error'>,
  ): Promise<void>;
  finishCycle(
    id: string,
    outcome: { status: 'succeeded' | 'failed'; error?: string },
    finishedAt: Date,
  ): Promise<void>;
  /**
   * Closes as `interrupted` the cycles still `running` that started before `startedBefore`;
   * answers how many.
   */
  interruptCycles(startedBefore: Date, finishedAt: Date): Promise<number>;
  listCycles(options?: { limit?: number }): Promise<CollectionCycle[]>;
  getCycle(id: string): Promise<CollectionCycle | undefined>;
  /** When the newest full cycle that finished (succeeded or failed) started. */
  lastFullCycleStartedAt(): Promise<Date | undefined>;
  addRefreshRequest(request: RefreshRequest): Promise<void>;
  getRefreshRequest(id: string): Promise<RefreshRequest | undefined>;
  /** The caller's newest request for this scope (an entity, or a full refresh) since `since`. */
  lastRefreshRequest(
    requestedBy: string,
    entityRef: string | undefined,
    since: Date,
  ): Promise<RefreshRequest | undefined>;
  pendingRefreshRequests(): Promise<RefreshRequest[]>;
  /** Marks requests as taken by a cycle; answers how many were still pending. */
  takeRefreshRequests(ids: string[], cycleId: string): Promise<number>;
  /**
   * Whether the database runs in this process's thread (SQLite): its statements do not go
   * on while the thread does other work.
   */
  readonly inThisThread: boolean;
  /** Every account-region's state; with `only`, those of these account-regions that have one. */
  getAccountRegionStates(
    only?: Array<{ accountId: string; region: string }>,
  ): Promise<AccountRegionState[]>;
  getAccountRegionState(
    accountId: string,
    region: string,
  ): Promise<AccountRegionState | undefined>;
  /** Whether anything at all is stored for the account-region. */
  hasObjects(accountId: string, region: string): Promise<boolean>;
  /**
   * The stored objects of a kind, by account, region, then resource ARN for the kinds
   * read per resource (recovery points, backup and copy jobs: then by key) or key for the
   * others.
   */
  listObjects(
    kind: string,
    filter?: { accountId?: string; region?: string; resourceArns?: string[] },
  ): Promise<StoredObject[]>;
  getEntity(entityRef: string): Promise<EntityOptIn | undefined>;
  /** Replaces the opted-in entities and their resources in one transaction. */
  replaceEntities(
    entities: EntityOptIn[],
    resources: EntityResource[],
  ): Promise<void>;
  listEntityResources(entityRef?: string): Promise<EntityResource[]>;
  listEntities(): Promise<EntityOptIn[]>;
  /**
   * Stores verdicts (snapshot, scorecard row, failing checks) and today's history row of
   * each of their entities: one batch of an evaluation, in one transaction.
   */
  saveVerdicts(snapshots: EntityComplianceSnapshot[]): Promise<void>;
  /**
   * Ends an evaluation: removes the verdicts from before `evaluatedAt` (entities it did
   * not judge; all of them when undefined) and history older than the retention.
   */
  finishEvaluation(
    evaluatedAt: Date | undefined,
    historyRetainDays: number,
  ): Promise<void>;
  /** {@link BackupStore.saveVerdicts} and {@link BackupStore.finishEvaluation} at once. */
  saveEvaluation(
    snapshots: EntityComplianceSnapshot[],
    historyRetainDays: number,
  ): Promise<void>;
  getSnapshot(entityRef: string): Promise<EntityComplianceSnapshot | undefined>;
  /**
   * The entity's verdict as stored, gzipped JSON: the current one, or with `day` its newest
   * on or before that day. What answers it without parsing and writing it again.
   */
  getSnapshotGzip(entityRef: string, day?: string): Promise<Buffer | undefined>;
  /**
   * In one query, whether the entity opted in at the last catalog read and, when it did,
   * its verdict as {@link BackupStore.getSnapshotGzip} gives it: what an entity page needs
   * from the store for an entity that opted in.
   */
  getOptedInSnapshotGzip(
    entityRef: string,
    day?: string,
  ): Promise<{ optedIn: boolean; gzipped?: Buffer }>;
  listSnapshots(): Promise<EntityComplianceSnapshot[]>;
  /** The entities that have a verdict. */
  listSnapshotRefs(): Promise<string[]>;
  /**
   * The scorecard from SQL: filtered, sorted and paged (all rows when `all`), with the
   * counts over every visible verdict and the groups of the filtered ones. With `day`,
   * the scorecard of that day (each entity's last verdict of the day).
   */
  queryScorecard(
    query: ScorecardQuery & { all?: boolean },
    visible: VisibleEntities,
    day?: string,
  ): Promise<ScorecardResult>;
  /** The entities with a scorecard row on `day`. */
  scorecardRefsOf(day: string): Promise<string[]>;
  /** Entities with history since the day. */
  listHistoryRefs(sinceDay: string): Promise<string[]>;
  /** Per day since `sinceDay`: entities, their levels and average score, over the visible ones. */
  historySummary(
    sinceDay: string,
    visible: VisibleEntities,
  ): Promise<ScorecardHistoryDay[]>;
  listHistory(options: {
    entityRef?: string;
    sinceDay?: string;
  }): Promise<EntityHistoryPoint[]>;
  /**
   * The organization backup policies of a full cycle; with `error`, the read failed
   * and the policies read before stay.
   */
  saveOrganizationPolicies(
    read:
      | { at: Date; policies: CollectedOrganizationPolicy[] }
      | { at: Date; error: string },
  ): Promise<void>;
  /** The policies judged, written by the evaluation. */
  saveOrganizationVerdicts(verdicts: OrganizationBackupPolicy[]): Promise<void>;
  getOrganization(): Promise<StoredOrganization>;

  /** The stored level, and when it was judged, of each of these entities that has a verdict. */
  levelsOf(
    entityRefs: string[],
  ): Promise<Map<string, { level: ComplianceLevel; evaluatedAt: string }>>;
  /** Adds changes for the notifiers; a change already there (same id) is left as it is. */
  enqueueChanges(changes: BackupComplianceChange[], at: Date): Promise<void>;
  /**
   * Takes up to `limit` changes not yet delivered, not taken by another replica in the
   * last 10 minutes, and tried fewer than `maxAttempts` times: each goes to one taker.
   */
  claimChanges(options: {
    replica: string;
    at: Date;
    limit: number;
    maxAttempts: number;
  }): Promise<BackupComplianceChange[]>;
  /** The entity's verdict as it was on `day`: its newest on or before that day. */
  getSnapshotAsOf(
    entityRef: string,
    day: string,
  ): Promise<EntityComplianceSnapshot | undefined>;
  /** The newest day with stored verdicts on or before `onOrBefore`. */
  lastEvaluatedDay(onOrBefore: string): Promise<string | undefined>;
  /** The verdicts stored for `day`, of the visible entities, a page at a time. */
  snapshotsOfDay(
    day: string,
    visible: VisibleEntities,
    pageSize?: number,
  ): AsyncGenerator<EntityComplianceSnapshot[]>;
  /** The daily head of the history on `day` (or the newest before it). */
  historyHeadOf(
    day: string,
  ): Promise<{ day: string; hash: string } | undefined>;
  /** Recomputes the history's hash chains and daily heads, naming the first mismatch. */
  verifyHistory(): Promise<HistoryVerification>;
  /** The hash of the entity's newest history row, and the newest daily head. */
  historyChainOf(entityRef: string): Promise<{
    entity?: { day: string; hash: string };
    head?: { day: string; hash: string };
  }>;
  /** A claimed change delivered, or not (`error`: it stays for a later attempt). */
  finishChange(id: string, at: Date, error?: string): Promise<void>;
}

export type StoredOrganization = {
  collectedAt?: Date;
  attemptedAt?: Date;
  error?: string;
  policies?: CollectedOrganizationPolicy[];
  verdicts?: OrganizationBackupPolicy[];
};

export type VerdictRow = {
  entityRef: string;
  evaluatedAt: string;
  level: EntityComplianceSnapshot['level'];
  score: number | null;
  policies: string[];
  /** Check id to status, `n/a` where the policy does not ask for it. */
  statuses: Record<string, string>;
  /** Informational checks: never among the failing ones. */
  informational: string[];
} & Pick<
  ScorecardRow,
  'stalestBackupAt' | 'stalestRestoreTestAt' | 'nextWaiverExpiry'
>;
