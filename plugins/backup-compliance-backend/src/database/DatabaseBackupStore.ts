import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  ComplianceLevel,
  EntityHistoryPoint,
  HistoryVerification,
  OrganizationBackupPolicy,
  ScorecardGroup,
  ScorecardHistoryDay,
  ScorecardRow,
} from '@backup-compliance/backstage-plugin-common';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AccountRegionSnapshot, ApiCallCounts } from '../collector/types';
import {
  AccountRegionState,
  BackupStore,
  CollectionCycle,
  CollectionShard,
  CollectionRun,
  EntityCatalogInfo,
  EntityOptIn,
  EntityResource,
  RefreshRequest,
  StoredObject,
  StoredOrganization,
} from './BackupStore';
import type { CollectedOrganizationPolicy } from '../organization/judgeOrganizationPolicies';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import type { BackupComplianceChange } from '@backup-compliance/backstage-plugin-node';
import { dayHead, GENESIS, rowHash } from './historyChain';
import { decodeGroup, encodeGroup } from './groupCodec';
import {
  candidatesOf,
  levelRank,
  ScorecardQuery,
  ScorecardResult,
  verdictRowOf,
  VisibleEntities,
} from '../service/scorecard';

const MIGRATIONS = resolvePackagePath(
  '@backup-compliance/backstage-plugin-backend',
  'migrations',
);

/**
 * Kinds kept one row per resource of an account-region, its items in an array: an estate
 * holds about fifteen recovery points and a few jobs per resource, and at a row each the
 * store's writes and the evaluation's reads cost by the row (300 000 rows for a bank of
 * 5 000 services). `listObjects` still answers them one object per item.
 */
const GROUPED: Record<
  string,
  { stored: string; keyOf: (item: any) => string | undefined }
> = {
  recovery_point: {
    stored: 'recovery_point_group',
    keyOf: p => p.RecoveryPointArn,
  },
  backup_job: { stored: 'backup_job_group', keyOf: j => j.BackupJobId },
  copy_job: { stored: 'copy_job_group', keyOf: j => j.CopyJobId },
};
/** The `kind` column of a kind's rows. */
const storedKind = (kind: string) => GROUPED[kind]?.stored ?? kind;

/** Kinds an incremental cycle only adds to (read `ByCreatedAfter`); the others are re-read whole. */
const INCREMENTAL_KINDS = [
  'recovery_point',
  'backup_job',
  'copy_job',
  'restore_job',
];
const ALL_KINDS = [
  'resource',
  'protected_resource',
  'vault',
  'backup_plan',
  'restore_testing_plan',
  'legal_hold',
  ...INCREMENTAL_KINDS,
];

const CHUNK = 200;
/** Bound parameters in one INSERT: far below SQLite's (32 766) and PostgreSQL's (65 535). */
const PARAMS_PER_INSERT = 10_000;
/**
 * Rows in one INSERT on SQLite: Knex writes them as a compound SELECT, which SQLite limits
 * to 500 terms (SQLITE_MAX_COMPOUND_SELECT).
 */
const SQLITE_ROWS_PER_INSERT = 500;
/** Values (resource ARNs, accounts) per `whereIn`: far below SQLite's and PostgreSQL's parameter limits. */
const ARN_CHUNK = 1000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type ObjectRow = {
  account_id: string;
  region: string;
  kind: string;
  object_key: string;
  resource_arn: string | null;
  created_at: Date | null;
  data: string;
};

/**
 * `rows` in slices of as many as one INSERT takes, by their columns (and on SQLite at most
 * {@link SQLITE_ROWS_PER_INSERT}): thousands of a narrow row (an entity's failing check),
 * hundreds of a wide one. Each statement is a round trip, and a transaction on PostgreSQL
 * waits for the backend's thread between two of them: saving a batch of 250 verdicts took
 * about 40 statements of 200 rows, and takes 12 on PostgreSQL, 18 on SQLite.
 */
function insertSlices<T extends object>(rows: T[], maxRows: number): T[][] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  const size = Math.max(
    1,
    Math.min(maxRows, Math.floor(PARAMS_PER_INSERT / (columns.size || 1))),
  );
  const slices: T[][] = [];
  for (let i = 0; i < rows.length; i += size) {
    slices.push(rows.slice(i, i + size));
  }
  return slices;
}

const toDate = (value: unknown) =>
  value === null || value === undefined ? undefined : new Date(value as any);

const isIsoTime = (value: string) =>
  value.length >= 20 &&
  value.length <= 30 &&
  value.charCodeAt(10) === 84 && // 'T'
  ISO_DATE.test(value);

/**
 * Times come back as Dates, as the SDK returned them. A walk over the parsed value, not a
 * `JSON.parse` reviver: a reviver makes parsing about four times slower, and evaluation
 * parses every recovery point of the estate.
 */
function reviveDates<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'string') {
        if (isIsoTime(item)) value[i] = new Date(item);
      } else if (item !== null && typeof item === 'object') {
        reviveDates(item);
      }
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') {
        if (isIsoTime(item)) record[key] = new Date(item);
      } else if (item !== null && typeof item === 'object') {
        reviveDates(item);
      }
    }
  }
  return value;
}

/** Items of a grouped kind, per resource ARN ('' for none), with the newest creation time. */
type Groups = Map<string, { items: any[]; newest?: Date }>;

/**
 * A snapshot's rows, and how many objects of each kind it holds: one row an object, except
 * the grouped kinds, one row a resource (see {@link GROUPED}).
 */
function rowsOf(snapshot: AccountRegionSnapshot): {
  rows: ObjectRow[];
  groups: Map<string, Groups>;
  counts: Record<string, number>;
} {
  const rows: ObjectRow[] = [];
  const groups = new Map<string, Groups>();
  const counts: Record<string, number> = {};
  const add = (
    kind: string,
    key: string | undefined,
    data: unknown,
    resourceArn?: string,
    createdAt?: Date,
  ) => {
    if (!key) return; // AWS always sends these keys; an object without one cannot be addressed
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (GROUPED[kind]) {
      let ofKind = groups.get(kind);
      if (!ofKind) groups.set(kind, (ofKind = new Map()));
      const group = ofKind.get(resourceArn ?? '');
      if (!group)
        ofKind.set(resourceArn ?? '', { items: [data], newest: createdAt });
      else {
        group.items.push(data);
        if (createdAt && (!group.newest || createdAt > group.newest)) {
          group.newest = createdAt;
        }
      }
      return;
    }
    rows.push({
      account_id: snapshot.accountId,
      region: snapshot.region,
      kind,
      object_key: key,
      resource_arn: resourceArn ?? null,
      created_at: createdAt ?? null,
      data: JSON.stringify(data),
    });
  };
  snapshot.resources.forEach(r => add('resource', r.arn, r, r.arn));
  snapshot.protectedResources.forEach(r =>
    add(
      'protected_resource',
      r.ResourceArn,
      r,
      r.ResourceArn,
      r.LastBackupTime,
    ),
  );
  snapshot.vaults.forEach(v =>
    add('vault', v.BackupVaultName, v, undefined, v.CreationDate),
  );
  snapshot.recoveryPoints.forEach(p =>
    add('recovery_point', p.RecoveryPointArn, p, p.ResourceArn, p.CreationDate),
  );
  snapshot.backupPlans.forEach(p =>
    add('backup_plan', p.plan.BackupPlanId, p, undefined, p.plan.CreationDate),
  );
  snapshot.backupJobs.forEach(j =>
    add('backup_job', j.BackupJobId, j, j.ResourceArn, j.CreationDate),
  );
  snapshot.copyJobs.forEach(j =>
    add('copy_job', j.CopyJobId, j, j.ResourceArn, j.CreationDate),
  );
  snapshot.restoreJobs.forEach(j =>
    add('restore_job', j.RestoreJobId, j, j.SourceResourceArn, j.CreationDate),
  );
  snapshot.restoreTestingPlans.forEach(p =>
    add(
      'restore_testing_plan',
      p.plan.RestoreTestingPlanName,
      p,
      undefined,
      p.plan.CreationTime,
    ),
  );
  snapshot.legalHolds.forEach(h =>
    add('legal_hold', h.hold.LegalHoldId, h, undefined, h.hold.CreationDate),
  );
  return { rows, groups, counts };
}

/** A grouped kind's items in their stored order: by key. */
function sortedByKey(kind: string, items: any[]) {
  const { keyOf } = GROUPED[kind];
  return items
    .map(item => ({ item, key: keyOf(item) ?? '' }))
    .sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key))
    .map(({ item }) => item);
}

function groupRow(
  scope: { account_id: string; region: string },
  kind: string,
  resourceArn: string,
  items: any[],
  newest: Date | undefined,
): ObjectRow {
  return {
    ...scope,
    kind: storedKind(kind),
    object_key: resourceArn,
    resource_arn: resourceArn || null,
    created_at: newest ?? null,
    data: encodeGroup(sortedByKey(kind, items)),
  };
}

/**
 * Rows counted per key and level (`n`, with `score_sum` and `scored` over the scored ones),
 * summed per key: entities, per level, and the rounded average score.
 */
function sumLevels(
  rows: any[],
  keyOf: (row: any) => string,
): Map<string, Omit<ScorecardGroup, 'key'>> {
  const sums = new Map<
    string,
    Omit<ScorecardGroup, 'key'> & { sum: number; scored: number }
  >();
  for (const row of rows) {
    const key = keyOf(row);
    const entry = sums.get(key) ?? {
      entities: 0,
      levels: {},
      averageScore: null,
      sum: 0,
      scored: 0,
    };
    entry.entities += Number(row.n);
    entry.levels[row.level as ComplianceLevel] = Number(row.n);
    entry.sum += Number(row.score_sum ?? 0);
    entry.scored += Number(row.scored);
    sums.set(key, entry);
  }
  return new Map(
    [...sums].map(([key, { sum, scored, ...entry }]) => [
      key,
      { ...entry, averageScore: scored ? Math.round(sum / scored) : null },
    ]),
  );
}

/** A day's count of entities at a level, with the sum and the count of their scores. */
type DayLevels = {
  day: string;
  level: string;
  n: number;
  score_sum: number | null;
  scored: number;
};

/** The levels of each day among the history rows `rows` selects. */
async function levelsOfDays(rows: Knex.QueryBuilder): Promise<DayLevels[]> {
  const found = await rows
    .select('day', 'level')
    .count({ n: '*' })
    .sum({ score_sum: 'score' })
    .count({ scored: 'score' })
    .groupBy('day', 'level');
  // PostgreSQL answers counts and sums of integers as text
  return found.map((row: any) => ({
    day: row.day,
    level: row.level,
    n: Number(row.n),
    score_sum: row.score_sum === null ? null : Number(row.score_sum),
    scored: Number(row.scored),
  }));
}

/** The most days the history names one by one: 13 years. */
const MOST_DAYS_NAMED = 5000;

/**
 * Every day from `first` to `last` (YYYY-MM-DD, UTC); none without `last`, undefined for
 * more than {@link MOST_DAYS_NAMED} days (a row dated years ahead by a clock gone wrong).
 */
function daysFrom(
  first: string,
  last: string | undefined,
): string[] | undefined {
  if (!last) return [];
  const from = Date.parse(`${first}T00:00:00Z`);
  const to = Date.parse(`${last}T00:00:00Z`);
  if ((to - from) / 86_400_000 >= MOST_DAYS_NAMED) return undefined;
  const days: string[] = [];
  for (let at = from; at <= to; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

/** Answers kept at once by one replica ({@link DatabaseBackupStore.kept}). */
const MOST_ANSWERS_KEPT = 500;

/** The key of each list of entities seen, while the list is in use (a caller's, kept). */
const viewKeys = new WeakMap<string[], string>();

/**
 * The part of a kept answer's key that says whose it is: none for a caller who sees every
 * entity, a digest of the entities seen otherwise (the same entities, the same answer).
 */
function viewKey(visible: VisibleEntities): string {
  if (visible === 'all') return '';
  let key = viewKeys.get(visible);
  if (key === undefined) {
    key = `:${createHash('sha256').update(visible.join('\n')).digest('hex')}`;
    viewKeys.set(visible, key);
  }
  return key;
}

/** The entities of each list a caller may see that its candidates hold and it does not. */
const deniedLists = new WeakMap<string[], string[]>();

/**
 * Those of `candidates` that `admitted`, taken from them in their order, left out: one
 * walk through both, once per list.
 */
function deniedOf(admitted: string[], candidates: string[]): string[] {
  let denied = deniedLists.get(admitted);
  if (!denied) {
    denied = [];
    let next = 0;
    for (const ref of candidates) {
      if (admitted[next] === ref) next++;
      else denied.push(ref);
    }
    deniedLists.set(admitted, denied);
  }
  return denied;
}

/** {@link BackupStore} on the plugin's own database (SQLite or PostgreSQL). */
export class DatabaseBackupStore implements BackupStore {
  static async create(options: { knex: Knex; skipMigrations?: boolean }) {
    if (!options.skipMigrations) {
      await options.knex.migrate.latest({ directory: MIGRATIONS });
    }
    return new DatabaseBackupStore(options.knex);
  }

  /**
   * Answers about every current verdict (the scorecard's counts, its groups, the history
   * of its levels), each with the generation of the verdicts it was read at: see
   * {@link DatabaseBackupStore.kept}.
   */
  private readonly keptAnswers = new Map<
    string,
    { generation: number; answer: unknown }
  >();

  /**
   * The generation each list of judged entities ({@link listSnapshotRefs}) was read at:
   * a caller who may see every entity on such a list sees every verdict of that
   * generation, and its scorecard's page needs no list of entities.
   */
  private readonly refsAt = new WeakMap<string[], number>();

  private constructor(private readonly db: Knex) {}

  async startRun(
    run: Omit<
      CollectionRun,
      'status' | 'apiCalls' | 'throttles' | 'itemCounts'
    >,
  ) {
    await this.db.transaction(async trx => {
      await trx('collection_runs').insert({
        id: run.id,
        cycle_id: run.cycleId,
        account_id: run.accountId,
        region: run.region,
        mode: run.mode,
        status: 'running',
        started_at: run.startedAt,
        throttles: 0,
        replica: run.replica ?? null,
        shard: run.shard ?? null,
      });
      await this.touchAccountRegion(trx, run.accountId, run.region, {
        last_attempt_at: run.startedAt,
      });
    });
  }

  async commitSnapshot(
    runId: string,
    snapshot: AccountRegionSnapshot & { notes?: string[] },
    counts: ApiCallCounts,
    finishedAt: Date,
  ) {
    const { rows, groups, counts: itemCounts } = rowsOf(snapshot);
    await this.db.transaction(async trx => {
      const run = await trx('collection_runs').where({ id: runId }).first();
      const scope = { account_id: snapshot.accountId, region: snapshot.region };
      if (this.isPostgres()) {
        // Commits of one account-region (a cycle and an entity refresh on two replicas)
        // take turns: an incremental one reads the groups it adds to.
        await trx('account_regions').where(scope).forUpdate().first();
      }
      const replaced =
        snapshot.mode === 'full'
          ? ALL_KINDS.filter(k => k !== 'restore_job')
          : ALL_KINDS.filter(k => !INCREMENTAL_KINDS.includes(k));
      await trx('aws_objects')
        .where(scope)
        .whereIn('kind', replaced.map(storedKind))
        .delete();
      if (snapshot.mode === 'full') {
        // Test restores older than what was read stay: AWS stops listing them, and
        // they remain the evidence that a restore was tested, and when.
        let stale = trx('aws_objects').where({ ...scope, kind: 'restore_job' });
        if (snapshot.restoreJobsSince) {
          const since = snapshot.restoreJobsSince;
          stale = stale.where(q =>
            q.where('created_at', '>=', since).orWhereNull('created_at'),
          );
        }
        await stale.delete();
      }
      for (const [kind, ofKind] of groups) {
        if (snapshot.mode === 'incremental') {
          await this.addStoredItems(trx, scope, kind, ofKind);
        }
        for (const [arn, { items, newest }] of ofKind) {
          rows.push(groupRow(scope, kind, arn, items, newest));
        }
      }
      for (const slice of this.insertSlices(rows)) {
        await trx('aws_objects')
          .insert(slice)
          .onConflict(['account_id', 'region', 'kind', 'object_key'])
          .merge();
      }
      await trx('collection_runs')
        .where({ id: runId })
        .update({
          status: 'succeeded',
          finished_at: finishedAt,
          api_calls: JSON.stringify(counts.calls),
          throttles: counts.throttles,
          item_counts: JSON.stringify(itemCounts),
          notes: snapshot.notes?.length ? JSON.stringify(snapshot.notes) : null,
        });
      await this.touchAccountRegion(trx, snapshot.accountId, snapshot.region, {
        last_success_started_at: run.started_at,
        ...(snapshot.mode === 'full'
          ? { last_full_started_at: run.started_at }
          : {}),
        stale: false,
        last_error: null,
      });
    });
  }

  /**
   * Adds to `groups` (an incremental snapshot's items of a grouped kind) the stored items
   * of their resources, those the snapshot does not read again: an incremental cycle only
   * adds objects, or newer states of them.
   */
  private async addStoredItems(
    trx: Knex.Transaction,
    scope: { account_id: string; region: string },
    kind: string,
    groups: Groups,
  ) {
    const { keyOf } = GROUPED[kind];
    const arns = [...groups.keys()];
    for (let i = 0; i < arns.length; i += ARN_CHUNK) {
      const stored = await trx('aws_objects')
        .where({ ...scope, kind: storedKind(kind) })
        .whereIn('object_key', arns.slice(i, i + ARN_CHUNK))
        .select('object_key', 'created_at', 'data');
      for (const row of stored) {
        const group = groups.get(row.object_key)!;
        const read = new Set(group.items.map(keyOf));
        // times revived, as the snapshot's own items hold them: equal values encode alike
        for (const item of decodeGroup(row.data, reviveDates)) {
          if (!read.has(keyOf(item))) group.items.push(item);
        }
        const created = toDate(row.created_at);
        if (created && (!group.newest || created > group.newest)) {
          group.newest = created;
        }
      }
    }
  }

  async failRun(
    runId: string,
    error: string,
    counts: ApiCallCounts,
    finishedAt: Date,
  ) {
    await this.db.transaction(async trx => {
      const run = await trx('collection_runs').where({ id: runId }).first();
      await trx('collection_runs')
        .where({ id: runId })
        .update({
          status: 'failed',
          finished_at: finishedAt,
          api_calls: JSON.stringify(counts.calls),
          throttles: counts.throttles,
          error,
        });
      await this.touchAccountRegion(trx, run.account_id, run.region, {
        stale: true,
        last_error: error,
      });
    });
  }

  private async touchAccountRegion(
    trx: Knex.Transaction,
    accountId: string,
    region: string,
    fields: Record<string, unknown>,
  ) {
    await trx('account_regions')
      .insert({ account_id: accountId, region, stale: false, ...fields })
      .onConflict(['account_id', 'region'])
      .merge(Object.keys(fields));
  }

  async listRuns(
    options: { cycleId?: string; limit?: number } = {},
  ): Promise<CollectionRun[]> {
    let query = this.db('collection_runs').orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'account_id' },
      { column: 'region' },
    ]);
    if (options.cycleId) query = query.where({ cycle_id: options.cycleId });
    const rows = await query.limit(options.limit ?? 100);
    return rows.map(row => ({
      id: row.id,
      cycleId: row.cycle_id,
      accountId: row.account_id,
      region: row.region,
      mode: row.mode,
      status: row.status,
      startedAt: toDate(row.started_at)!,
      finishedAt: toDate(row.finished_at),
      apiCalls: row.api_calls ? JSON.parse(row.api_calls) : {},
      throttles: row.throttles,
      itemCounts: row.item_counts ? JSON.parse(row.item_counts) : {},
      error: row.error ?? undefined,
      ...(row.notes ? { notes: JSON.parse(row.notes) } : {}),
      ...(row.replica ? { replica: row.replica } : {}),
      ...(row.shard ? { shard: row.shard } : {}),
    }));
  }

  async createShards(
    cycleId: string,
    parts: Array<Array<{ accountId: string; region: string }>>,
  ) {
    await this.db('collection_shards').insert(
      parts.map((accountRegions, i) => ({
        cycle_id: cycleId,
        shard: i + 1,
        account_regions: JSON.stringify(accountRegions),
        status: 'pending',
      })),
    );
  }

  private shardOf(row: any): CollectionShard {
    return {
      cycleId: row.cycle_id,
      shard: row.shard,
      accountRegions: JSON.parse(row.account_regions),
      status: row.status,
      replica: row.replica ?? undefined,
      startedAt: toDate(row.started_at),
      heartbeatAt: toDate(row.heartbeat_at),
      finishedAt: toDate(row.finished_at),
      error: row.error ?? undefined,
    };
  }

  async claimShard(options: {
    cycleId?: string;
    shard?: number;
    replica: string;
    now: Date;
    staleBefore: Date;
  }) {
    let query = this.db('collection_shards as s')
      .join('collection_cycles as c', 'c.id', 's.cycle_id')
      .where('c.status', 'running')
      .where(q =>
        q
          .where('s.status', 'pending')
          .orWhere(r =>
            r
              .where('s.status', 'running')
              .where('s.heartbeat_at', '<', options.staleBefore),
          ),
      )
      .orderBy([{ column: 'c.started_at', order: 'desc' }, 's.shard'])
      .select('s.*');
    if (options.cycleId) query = query.where('s.cycle_id', options.cycleId);
    if (options.shard) query = query.where('s.shard', options.shard);
    for (const row of await query) {
      const taken = await this.db.transaction(async trx => {
        // only if nobody took it since it was read
        const updated = await trx('collection_shards')
          .where({
            cycle_id: row.cycle_id,
            shard: row.shard,
            status: row.status,
          })
          .where(q =>
            row.heartbeat_at === null
              ? q.whereNull('heartbeat_at')
              : q.where('heartbeat_at', row.heartbeat_at),
          )
          .update({
            status: 'running',
            replica: options.replica,
            started_at: options.now,
            heartbeat_at: options.now,
          });
        if (updated !== 1) return false;
        if (row.status === 'running') {
          await trx('collection_runs')
            .where({
              cycle_id: row.cycle_id,
              shard: row.shard,
              status: 'running',
            })
            .update({
              status: 'interrupted',
              finished_at: options.now,
              error: `Interrupted: ${row.replica} stopped working on shard ${row.shard}; ${options.replica} took it over`,
            });
        }
        return true;
      });
      if (taken) {
        return this.shardOf({
          ...row,
          status: 'running',
          replica: options.replica,
          started_at: options.now,
          heartbeat_at: options.now,
        });
      }
    }
    return undefined;
  }

  async heartbeatShard(
    cycleId: string,
    shard: number,
    replica: string,
    now: Date,
  ) {
    const updated = await this.db('collection_shards')
      .where({ cycle_id: cycleId, shard, replica, status: 'running' })
      .update({ heartbeat_at: now });
    return updated === 1;
  }

  async finishShard(
    cycleId: string,
    shard: number,
    replica: string,
    outcome: { status: 'succeeded' | 'failed'; error?: string },
    finishedAt: Date,
  ) {
    await this.db('collection_shards')
      .where({ cycle_id: cycleId, shard, replica, status: 'running' })
      .update({
        status: outcome.status,
        error: outcome.error ?? null,
        finished_at: finishedAt,
      });
  }

  async listShards(cycleId: string) {
    const rows = await this.db('collection_shards')
      .where({ cycle_id: cycleId })
      .orderBy('shard');
    return rows.map(row => this.shardOf(row));
  }

  async interruptRuns(startedBefore: Date, finishedAt: Date): Promise<number> {
    const error =
      'Interrupted: the backend stopped (restart or crash) before this run finished; the data is from the cycle before';
    return this.db.transaction(async trx => {
      const runs = await trx('collection_runs')
        .where({ status: 'running' })
        .where('started_at', '<', startedBefore)
        .select('id', 'account_id', 'region');
      for (const run of runs) {
        await trx('collection_runs')
          .where({ id: run.id, status: 'running' })
          .update({ status: 'interrupted', finished_at: finishedAt, error });
        await this.touchAccountRegion(trx, run.account_id, run.region, {
          stale: true,
          last_error: error,
        });
      }
      return runs.length;
    });
  }

  async pruneRuns(before: Date): Promise<number> {
    await this.db('collection_shards')
      .whereIn(
        'cycle_id',
        this.db('collection_cycles')
          .where('started_at', '<', before)
          .whereNot({ status: 'running' })
          .select('id'),
      )
      .delete();
    await this.db('collection_cycles')
      .where('started_at', '<', before)
      .whereNot({ status: 'running' })
      .delete();
    await this.db('collection_requests')
      .where('requested_at', '<', before)
      .whereNotNull('cycle_id')
      .delete();
    return this.db('collection_runs')
      .where('started_at', '<', before)
      .whereNot({ status: 'running' })
      .delete();
  }

  async startCycle(
    cycle: Omit<CollectionCycle, 'status' | 'finishedAt' | 'error'>,
  ) {
    await this.db('collection_cycles').insert({
      id: cycle.id,
      scope: cycle.scope,
      entity_refs: cycle.entityRefs ? JSON.stringify(cycle.entityRefs) : null,
      status: 'running',
      started_at: cycle.startedAt,
      replica: cycle.replica ?? null,
    });
  }

  async finishCycle(
    id: string,
    outcome: { status: 'succeeded' | 'failed'; error?: string },
    finishedAt: Date,
  ) {
    await this.db('collection_cycles')
      .where({ id, status: 'running' })
      .update({
        status: outcome.status,
        error: outcome.error ?? null,
        finished_at: finishedAt,
      });
  }

  async interruptCycles(startedBefore: Date, finishedAt: Date) {
    return this.db('collection_cycles')
      .where({ status: 'running' })
      .where('started_at', '<', startedBefore)
      .update({
        status: 'interrupted',
        finished_at: finishedAt,
        error:
          'Interrupted: the backend stopped (restart or crash) before this cycle finished',
      });
  }

  private cycleOf(row: any): CollectionCycle {
    return {
      id: row.id,
      scope: row.scope,
      entityRefs: row.entity_refs ? JSON.parse(row.entity_refs) : undefined,
      status: row.status,
      startedAt: toDate(row.started_at)!,
      finishedAt: toDate(row.finished_at),
      replica: row.replica ?? undefined,
      error: row.error ?? undefined,
    };
  }

  async listCycles(options: { limit?: number } = {}) {
    const rows = await this.db('collection_cycles')
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 20);
    const shards = await this.db('collection_shards')
      .whereIn(
        'cycle_id',
        rows.map(row => row.id),
      )
      .orderBy(['cycle_id', 'shard']);
    return rows.map(row => {
      const own = shards.filter(shard => shard.cycle_id === row.id);
      return {
        ...this.cycleOf(row),
        ...(own.length
          ? {
              shards: own.map(shard => {
                const { cycleId: _, ...rest } = this.shardOf(shard);
                return rest;
              }),
            }
          : {}),
      };
    });
  }

  async getCycle(id: string) {
    const row = await this.db('collection_cycles').where({ id }).first();
    return row ? this.cycleOf(row) : undefined;
  }

  async lastFullCycleStartedAt() {
    const row = await this.db('collection_cycles')
      .where({ scope: 'full' })
      .whereIn('status', ['succeeded', 'failed'])
      .max({ started: 'started_at' })
      .first();
    return toDate(row?.started);
  }

  private requestOf(row: any): RefreshRequest {
    return {
      id: row.id,
      entityRef: row.entity_ref ?? undefined,
      requestedBy: row.requested_by,
      requestedAt: toDate(row.requested_at)!,
      cycleId: row.cycle_id ?? undefined,
    };
  }

  async addRefreshRequest(request: RefreshRequest) {
    await this.db('collection_requests').insert({
      id: request.id,
      entity_ref: request.entityRef ?? null,
      requested_by: request.requestedBy,
      requested_at: request.requestedAt,
      cycle_id: request.cycleId ?? null,
    });
  }

  async getRefreshRequest(id: string) {
    const row = await this.db('collection_requests').where({ id }).first();
    return row ? this.requestOf(row) : undefined;
  }

  async lastRefreshRequest(
    requestedBy: string,
    entityRef: string | undefined,
    since: Date,
  ) {
    let query = this.db('collection_requests')
      .where({ requested_by: requestedBy })
      .where('requested_at', '>=', since);
    query = entityRef
      ? query.where({ entity_ref: entityRef })
      : query.whereNull('entity_ref');
    const row = await query.orderBy('requested_at', 'desc').first();
    return row ? this.requestOf(row) : undefined;
  }

  async pendingRefreshRequests() {
    const rows = await this.db('collection_requests')
      .whereNull('cycle_id')
      .orderBy('requested_at');
    return rows.map(row => this.requestOf(row));
  }

  async takeRefreshRequests(ids: string[], cycleId: string) {
    let taken = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      taken += await this.db('collection_requests')
        .whereIn('id', ids.slice(i, i + CHUNK))
        .whereNull('cycle_id')
        .update({ cycle_id: cycleId });
    }
    return taken;
  }

  async getAccountRegionStates(
    only?: Array<{ accountId: string; region: string }>,
  ): Promise<AccountRegionState[]> {
    const inOrder = () =>
      this.db('account_regions').orderBy(['account_id', 'region']);
    if (!only) {
      return (await inOrder()).map(row => this.accountRegionStateOf(row));
    }
    // By account, then the exact pairs: a few rows per account, whatever the estate. The
    // accounts in order, chunk by chunk, give the order of the whole list.
    const wanted = new Set(only.map(s => `${s.accountId}/${s.region}`));
    const accounts = [...new Set(only.map(s => s.accountId))].sort();
    const rows: any[] = [];
    for (let i = 0; i < accounts.length; i += ARN_CHUNK) {
      rows.push(
        ...(await inOrder().whereIn(
          'account_id',
          accounts.slice(i, i + ARN_CHUNK),
        )),
      );
    }
    return rows
      .filter(row => wanted.has(`${row.account_id}/${row.region}`))
      .map(row => this.accountRegionStateOf(row));
  }

  private accountRegionStateOf(row: any): AccountRegionState {
    return {
      accountId: row.account_id,
      region: row.region,
      lastSuccessStartedAt: toDate(row.last_success_started_at),
      lastFullStartedAt: toDate(row.last_full_started_at),
      lastAttemptAt: toDate(row.last_attempt_at),
      stale: Boolean(row.stale),
      lastError: row.last_error ?? undefined,
    };
  }

  async getAccountRegionState(accountId: string, region: string) {
    const row = await this.db('account_regions')
      .where({ account_id: accountId, region })
      .first();
    return row ? this.accountRegionStateOf(row) : undefined;
  }

  async hasObjects(accountId: string, region: string) {
    const row = await this.db('aws_objects')
      .where({ account_id: accountId, region })
      .select('kind')
      .first();
    return row !== undefined;
  }

  async listObjects(
    kind: string,
    filter: {
      accountId?: string;
      region?: string;
      resourceArns?: string[];
    } = {},
  ): Promise<StoredObject[]> {
    const { resourceArns } = filter;
    type Row = Pick<ObjectRow, 'account_id' | 'region' | 'object_key' | 'data'>;
    // One query per chunk of ARNs, merged in the order one query would give.
    const chunks = resourceArns
      ? Array.from(
          { length: Math.ceil(resourceArns.length / ARN_CHUNK) },
          (_, i) => resourceArns.slice(i * ARN_CHUNK, (i + 1) * ARN_CHUNK),
        )
      : [undefined];
    const parts: Row[][] = [];
    for (const chunk of chunks) {
      let query = this.db<ObjectRow>('aws_objects').where({
        kind: storedKind(kind),
      });
      if (filter.accountId)
        query = query.where({ account_id: filter.accountId });
      if (filter.region) query = query.where({ region: filter.region });
      if (chunk) query = query.whereIn('resource_arn', chunk);
      parts.push(
        await query
          .select('account_id', 'region', 'object_key', 'data')
          .orderBy(['account_id', 'region', 'object_key']),
      );
    }
    let rows = parts.flat();
    if (parts.length > 1) {
      // each sort key built once, not twice per comparison
      rows = rows
        .map(row => ({
          row,
          order: `${row.account_id}\0${row.region}\0${row.object_key}`,
        }))
        .sort((a, b) => Number(a.order > b.order) - Number(a.order < b.order))
        .map(({ row }) => row);
    }
    const grouped = GROUPED[kind];
    if (!grouped) {
      return rows.map(row => ({
        accountId: row.account_id,
        region: row.region,
        kind,
        key: row.object_key,
        data: reviveDates(JSON.parse(row.data)),
      }));
    }
    // A row a resource: its items, in their stored order (by key).
    const objects: StoredObject[] = [];
    for (const row of rows) {
      for (const item of decodeGroup(row.data, reviveDates)) {
        objects.push({
          accountId: row.account_id,
          region: row.region,
          kind,
          key: grouped.keyOf(item) ?? '',
          data: item,
        });
      }
    }
    return objects;
  }

  async getEntity(entityRef: string): Promise<EntityOptIn | undefined> {
    const row = await this.db('entities')
      .where({ entity_ref: entityRef })
      .first();
    return row ? this.entityOf(row) : undefined;
  }

  private entityOf(row: any): EntityOptIn {
    return {
      entityRef: row.entity_ref,
      annotations: row.annotations ? JSON.parse(row.annotations) : undefined,
      problems: row.problems ? JSON.parse(row.problems) : undefined,
      catalog: row.catalog ? JSON.parse(row.catalog) : undefined,
    };
  }

  async replaceEntities(entities: EntityOptIn[], resources: EntityResource[]) {
    // Upserts, then removes what this write did not touch: running it twice, or
    // beside another writer, never breaks a unique key.
    await this.db.transaction(async trx => {
      // Later than every row already there, even when two writes fall in the same
      // millisecond (or a clock steps back): what this write did not touch is older.
      const latest = await trx('entities').max({ at: 'updated_at' }).first();
      const now = new Date(
        Math.max(Date.now(), (toDate(latest?.at)?.getTime() ?? 0) + 1),
      );
      await trx('entity_resources').delete();
      const entityRows = entities.map(e => ({
        entity_ref: e.entityRef,
        annotations: e.annotations ? JSON.stringify(e.annotations) : null,
        problems: e.problems ? JSON.stringify(e.problems) : null,
        catalog: e.catalog ? JSON.stringify(e.catalog) : null,
        updated_at: now,
      }));
      for (const slice of this.insertSlices(entityRows)) {
        await trx('entities').insert(slice).onConflict('entity_ref').merge();
      }
      await trx('entities').where('updated_at', '<', now).delete();
      const resourceRows = resources.map(r => ({
        entity_ref: r.entityRef,
        account_id: r.accountId,
        region: r.region,
        resource_arn: r.resourceArn,
      }));
      for (const slice of this.insertSlices(resourceRows)) {
        await trx('entity_resources')
          .insert(slice)
          .onConflict(['entity_ref', 'resource_arn'])
          .ignore();
      }
    });
  }

  async listEntityResources(entityRef?: string): Promise<EntityResource[]> {
    let query = this.db('entity_resources').orderBy([
      'entity_ref',
      'resource_arn',
    ]);
    if (entityRef) query = query.where({ entity_ref: entityRef });
    return (await query).map(row => ({
      entityRef: row.entity_ref,
      accountId: row.account_id,
      region: row.region,
      resourceArn: row.resource_arn,
    }));
  }

  async listEntities(): Promise<EntityOptIn[]> {
    const rows = await this.db('entities').orderBy('entity_ref');
    return rows.map(row => this.entityOf(row));
  }

  async saveEvaluation(
    snapshots: EntityComplianceSnapshot[],
    historyRetainDays: number,
  ) {
    await this.saveVerdicts(snapshots);
    const evaluatedAt = snapshots.reduce<Date | undefined>((min, s) => {
      const at = new Date(s.evaluatedAt);
      return !min || at < min ? at : min;
    }, undefined);
    await this.finishEvaluation(evaluatedAt, historyRetainDays);
  }

  async saveVerdicts(snapshots: EntityComplianceSnapshot[]) {
    if (snapshots.length === 0) return;
    const refs = snapshots.map(s => s.entityRef);
    await this.db.transaction(async trx => {
      // The catalog facts the scorecard filters, sorts and groups by, beside each verdict.
      const catalogOf = new Map<string, EntityCatalogInfo | undefined>();
      for (let i = 0; i < refs.length; i += ARN_CHUNK) {
        const found = await trx('entities')
          .whereIn('entity_ref', refs.slice(i, i + ARN_CHUNK))
          .select('entity_ref', 'catalog');
        for (const row of found) {
          catalogOf.set(
            row.entity_ref,
            row.catalog ? JSON.parse(row.catalog) : undefined,
          );
        }
      }
      // Each verdict is stored once, compressed, as its entity's row of its day; the
      // scorecard row points at it by that day.
      const dayOf = (s: EntityComplianceSnapshot) => s.evaluatedAt.slice(0, 10);
      const scorecardRows = snapshots.map(s => {
        const catalog = catalogOf.get(s.entityRef);
        const brief = verdictRowOf(s);
        return {
          entity_ref: s.entityRef,
          day: dayOf(s),
          evaluated_at: new Date(s.evaluatedAt),
          level: s.level,
          level_rank: levelRank(s.level),
          score: s.score,
          title: catalog?.title ?? null,
          owner: catalog?.owner ?? null,
          system: catalog?.system ?? null,
          domain: catalog?.domain ?? null,
          lifecycle: catalog?.lifecycle ?? null,
          search: [
            s.entityRef,
            catalog?.title,
            catalog?.owner,
            catalog?.system,
            catalog?.domain,
          ]
            .filter(Boolean)
            .join('\n')
            .toLowerCase(),
          brief: JSON.stringify({
            policies: brief.policies,
            statuses: brief.statuses,
            informational: brief.informational,
            stalestBackupAt: brief.stalestBackupAt,
            stalestRestoreTestAt: brief.stalestRestoreTestAt,
            nextWaiverExpiry: brief.nextWaiverExpiry,
          }),
        };
      });
      // Upserts: running it twice, or beside another writer, never breaks a unique key.
      for (const slice of this.insertSlices(scorecardRows)) {
        await trx('scorecard_rows')
          .insert(slice)
          .onConflict('entity_ref')
          .merge();
      }
      for (let i = 0; i < refs.length; i += ARN_CHUNK) {
        await trx('entity_failing_checks')
          .whereIn('entity_ref', refs.slice(i, i + ARN_CHUNK))
          .delete();
      }
      // Each verdict's failing checks, on its day: read once for both tables.
      const failingDays = snapshots.flatMap(s =>
        s.checks
          .filter(
            c => c.status === 'fail' && !c.notApplicable && !c.informational,
          )
          .map(c => ({
            entity_ref: s.entityRef,
            day: dayOf(s),
            check_id: c.checkId,
          })),
      );
      const failing = failingDays.map(({ entity_ref, check_id }) => ({
        entity_ref,
        check_id,
      }));
      for (const slice of this.insertSlices(failing)) {
        await trx('entity_failing_checks')
          .insert(slice)
          .onConflict(['entity_ref', 'check_id'])
          .ignore();
      }
      // The same, kept per day: the scorecard as of a past day.
      for (const slice of this.insertSlices(scorecardRows)) {
        await trx('scorecard_days')
          .insert(slice)
          .onConflict(['entity_ref', 'day'])
          .merge();
      }
      for (const day of new Set(snapshots.map(dayOf))) {
        const ofDay = refs.filter((_, i) => dayOf(snapshots[i]) === day);
        for (let i = 0; i < ofDay.length; i += ARN_CHUNK) {
          await trx('failing_check_days')
            .where({ day })
            .whereIn('entity_ref', ofDay.slice(i, i + ARN_CHUNK))
            .delete();
        }
      }
      for (const slice of this.insertSlices(failingDays)) {
        await trx('failing_check_days')
          .insert(slice)
          .onConflict(['entity_ref', 'day', 'check_id'])
          .ignore();
      }
      // The day's last evaluation wins: one row per entity per day.
      const history = snapshots.map(s => ({
        entity_ref: s.entityRef,
        day: s.evaluatedAt.slice(0, 10),
        level: s.level,
        score: s.score,
        failing_checks: JSON.stringify(
          s.checks
            .filter(c => c.status === 'fail' && !c.informational)
            .map(c => c.checkId),
        ),
        evaluated_at: new Date(s.evaluatedAt),
      }));
      // Each row chained to its entity's previous day (the hash covers the row and the
      // previous row's hash): a row edited in the database no longer matches.
      const chained: Array<
        (typeof history)[number] & { prev_hash: string; hash: string }
      > = [];
      for (const day of new Set(history.map(h => h.day))) {
        const ofDay = history.filter(h => h.day === day);
        const prevHash = new Map<string, string>();
        for (let i = 0; i < ofDay.length; i += ARN_CHUNK) {
          const refsChunk = ofDay
            .slice(i, i + ARN_CHUNK)
            .map(h => h.entity_ref);
          for (const row of await this.newestHashesBefore(
            trx,
            refsChunk,
            day,
          )) {
            if (row.hash) prevHash.set(row.entity_ref, row.hash);
          }
        }
        for (const h of ofDay) {
          const prev = prevHash.get(h.entity_ref) ?? GENESIS;
          chained.push({
            ...h,
            prev_hash: prev,
            hash: rowHash(prev, {
              entityRef: h.entity_ref,
              day: h.day,
              level: h.level,
              score: h.score,
              failingChecks: h.failing_checks,
              evaluatedAt: h.evaluated_at.toISOString(),
            }),
          });
        }
      }
      for (const slice of this.insertSlices(chained)) {
        await trx('entity_history')
          .insert(slice)
          .onConflict(['entity_ref', 'day'])
          .merge();
      }
      // The verdict: the current one, and the day's for questions "as of" it later.
      const days = snapshots.map(s => ({
        entity_ref: s.entityRef,
        day: dayOf(s),
        evaluated_at: new Date(s.evaluatedAt),
        snapshot: gzipSync(JSON.stringify(s), { level: 1 }),
      }));
      for (const slice of this.insertSlices(days)) {
        await trx('entity_snapshot_days')
          .insert(slice)
          .onConflict(['entity_ref', 'day'])
          .merge();
      }
      await this.nextGeneration(trx);
      // The sums of the days written no longer hold: those days are summed from their
      // rows until an evaluation's end sums them again. Cleared after the generation is
      // raised, as `finishEvaluation` raises it before it sums: on PostgreSQL an
      // evaluation ending meanwhile either sums these rows or has its sums cleared here,
      // and the two take their locks in the same order.
      await trx('history_heads')
        .whereIn('day', [...new Set(history.map(h => h.day))])
        .update({ level_sums: null });
    });
  }

  /**
   * The hash of each entity's newest history row before `day`: one seek backwards in the
   * primary key (entity, day) an entity. Taking the greatest day of each entity's rows
   * read every row kept, about 400 an entity after a year (`history.retainDays`), on
   * every batch of every evaluation.
   */
  private async newestHashesBefore(
    trx: Knex.Transaction,
    refs: string[],
    day: string,
  ): Promise<Array<{ entity_ref: string; hash: string | null }>> {
    const newest = `(SELECT h.hash FROM entity_history h WHERE h.entity_ref = r.entity_ref AND h.day < ? ORDER BY h.day DESC LIMIT 1)`;
    // the refs as one JSON text, a row each: no parameter a ref
    const refsTable = this.isPostgres()
      ? 'json_array_elements_text(?::json) AS r(entity_ref)'
      : '(SELECT value AS entity_ref FROM json_each(?)) AS r';
    const result = await trx.raw(
      `SELECT r.entity_ref, ${newest} AS hash FROM ${refsTable}`,
      [day, JSON.stringify(refs)],
    );
    return this.isPostgres() ? result.rows : result;
  }

  /** Raises the generation of the current verdicts, in the transaction that changed them. */
  private async nextGeneration(trx: Knex.Transaction) {
    await trx('scorecard_generation')
      .where({ id: 1 })
      .increment('generation', 1);
  }

  async finishEvaluation(
    evaluatedAt: Date | undefined,
    historyRetainDays: number,
  ) {
    await this.db.transaction(async trx => {
      // The verdicts of entities this evaluation did not judge (every verdict of one
      // evaluation carries its time), with their failing checks.
      await (evaluatedAt
        ? trx('scorecard_rows').where('evaluated_at', '<', evaluatedAt)
        : trx('scorecard_rows')
      ).delete();
      await trx('entity_failing_checks')
        .whereNotIn('entity_ref', trx('scorecard_rows').select('entity_ref'))
        .delete();
      await this.nextGeneration(trx);
      if (evaluatedAt) {
        const cutoff = new Date(
          evaluatedAt.getTime() - historyRetainDays * 86_400_000,
        )
          .toISOString()
          .slice(0, 10);
        await trx('entity_history').where('day', '<', cutoff).delete();
        await trx('history_heads').where('day', '<', cutoff).delete();
        await trx('entity_snapshot_days').where('day', '<', cutoff).delete();
        await trx('scorecard_days').where('day', '<', cutoff).delete();
        await trx('failing_check_days').where('day', '<', cutoff).delete();
        // The day's head over every entity's row of the day, after the previous day's.
        // A day whose rows were written after its head (an evaluation of that day that
        // stopped midway) is headed again, and every day after it, to chain to it; so is
        // a day with rows and no head since the newest head (its only evaluation stopped
        // midway), read from the index on day: none, the usual case, is one seek.
        const day = evaluatedAt.toISOString().slice(0, 10);
        const reopened = await trx('history_heads')
          .whereNull('level_sums')
          .where('day', '<', day)
          .orderBy('day', 'asc')
          .first('day');
        const newest = await trx('history_heads')
          .where('day', '<', day)
          .orderBy('day', 'desc')
          .first('day');
        const unheaded: string[] = newest
          ? await trx('entity_history')
              .distinct('day')
              .where('day', '>', newest.day)
              .where('day', '<', day)
              .orderBy('day', 'asc')
              .pluck('day')
          : [];
        const from: string = [reopened?.day, unheaded[0], day]
          .filter((d): d is string => !!d)
          .sort()[0];
        const between: string[] =
          from < day
            ? [
                ...new Set([
                  ...(await trx('history_heads')
                    .where('day', '>=', from)
                    .where('day', '<', day)
                    .pluck('day')),
                  ...unheaded,
                ]),
              ].sort()
            : [];
        const previous = await trx('history_heads')
          .where('day', '<', from)
          .orderBy('day', 'desc')
          .first('hash');
        let prevHead: string = previous?.hash ?? GENESIS;
        for (const headed of [...between, day]) {
          prevHead = await this.writeHead(trx, headed, prevHead);
        }
      }
    });
  }

  /**
   * Writes a day's head over every entity's row of the day, chained to `prevHead`, with the
   * day's sums of levels and scores; answers the head.
   */
  private async writeHead(
    trx: Knex.Transaction,
    day: string,
    prevHead: string,
  ): Promise<string> {
    const rows = await trx('entity_history')
      .where({ day })
      .whereNotNull('hash')
      .select('entity_ref', 'hash');
    const levels = await levelsOfDays(trx('entity_history').where({ day }));
    const hash = dayHead(
      prevHead,
      rows.map(r => ({ entityRef: r.entity_ref, hash: r.hash })),
    );
    await trx('history_heads')
      .insert({
        day,
        prev_hash: prevHead,
        hash,
        entities: rows.length,
        computed_at: new Date(),
        level_sums: JSON.stringify(
          levels.map(({ level, n, score_sum, scored }) => ({
            level,
            n,
            score_sum,
            scored,
          })),
        ),
      })
      .onConflict('day')
      .merge();
    return hash;
  }

  /**
   * Recomputes every entity's chain and every day's head from the rows as they are now,
   * and names the first row (by entity, then day) and the first day that do not match.
   * A chain starts at its oldest row kept: older rows were pruned (history.retainDays).
   */
  async verifyHistory(): Promise<HistoryVerification> {
    let rows = 0;
    let entities = 0;
    let unchained = 0;
    let firstMismatch: HistoryVerification['firstMismatch'];
    let last: { entityRef: string; hash: string } | undefined;
    const PAGE = 5_000;
    let after: { entityRef: string; day: string } | undefined;
    for (;;) {
      let query = this.db('entity_history')
        .orderBy([
          { column: 'entity_ref', order: 'asc' },
          { column: 'day', order: 'asc' },
        ])
        .limit(PAGE);
      if (after) {
        const { entityRef, day } = after;
        query = query.where(q =>
          q
            .where('entity_ref', '>', entityRef)
            .orWhere(q2 =>
              q2.where('entity_ref', entityRef).where('day', '>', day),
            ),
        );
      }
      const page = await query;
      for (const row of page) {
        rows++;
        const entityRef: string = row.entity_ref;
        const sameEntity = last?.entityRef === entityRef;
        if (!sameEntity) entities++;
        if (!row.hash) {
          // written before the chain existed; the next row starts it
          unchained++;
          last = { entityRef, hash: '' };
          continue;
        }
        if (!firstMismatch) {
          const where = { entityRef, day: row.day as string };
          if (sameEntity && last!.hash && row.prev_hash !== last!.hash) {
            firstMismatch = {
              ...where,
              problem: `its previous hash ${
                row.prev_hash
              } is not the hash of the entity's previous row (${
                last!.hash
              }): a row was edited, removed or inserted before it`,
            };
          } else {
            const expected = rowHash(row.prev_hash, {
              entityRef,
              day: row.day,
              level: row.level,
              score: row.score === null ? null : Number(row.score),
              failingChecks: row.failing_checks,
              evaluatedAt: toDate(row.evaluated_at)!.toISOString(),
            });
            if (expected !== row.hash) {
              firstMismatch = {
                ...where,
                problem: `its content does not match its hash ${row.hash} (recomputed: ${expected}): the row was edited`,
              };
            }
          }
        }
        last = { entityRef, hash: row.hash };
      }
      if (page.length < PAGE) break;
      const tail = page[page.length - 1];
      after = { entityRef: tail.entity_ref, day: tail.day };
    }

    // The heads, day by day, from the row hashes as they are now. A head and its day's
    // rows are read in one transaction, at one moment (an evaluation may be writing).
    const heads: Array<{ day: string; hash: string }> = await this.db(
      'history_heads',
    )
      .orderBy('day', 'asc')
      .select('day', 'hash');
    let firstHeadMismatch: HistoryVerification['heads']['firstMismatch'];
    const open: NonNullable<HistoryVerification['heads']['open']> = [];
    let prevHead: string | undefined;
    for (const { day } of heads) {
      if (firstHeadMismatch) break;
      const read = await this.db.transaction(
        async trx => {
          const head = await trx('history_heads').where({ day }).first();
          const ofDay = await trx('entity_history')
            .where({ day })
            .whereNotNull('hash')
            .select('entity_ref', 'hash');
          return { head, ofDay };
        },
        this.isPostgres() ? { isolationLevel: 'repeatable read' } : {},
      );
      const { head, ofDay } = read;
      if (!head) continue; // pruned meanwhile
      const expected = dayHead(
        head.prev_hash,
        ofDay.map(r => ({ entityRef: r.entity_ref, hash: r.hash })),
      );
      if (prevHead !== undefined && head.prev_hash !== prevHead) {
        firstHeadMismatch = {
          day,
          problem: `its previous head is not the previous day's head (${prevHead})`,
        };
      } else if (expected !== head.hash) {
        if (head.level_sums === null) {
          // rows written after the head by an evaluation of that day that has not ended
          open.push({
            day,
            note: `rows were written after its head ${head.hash} by an evaluation that has not ended (or stopped midway): the next evaluation's end heads this day again, and the days after it. Its rows are checked against their chains meanwhile`,
          });
        } else {
          firstHeadMismatch = {
            day,
            problem: `the rows of that day no longer give its head ${head.hash} (recomputed: ${expected})`,
          };
        }
      }
      prevHead = head.hash;
    }
    const latest = heads[heads.length - 1];
    return {
      verified: !firstMismatch && !firstHeadMismatch,
      rows,
      entities,
      unchainedRows: unchained,
      ...(firstMismatch ? { firstMismatch } : {}),
      heads: {
        days: heads.length,
        ...(latest ? { latest: { day: latest.day, hash: latest.hash } } : {}),
        ...(firstHeadMismatch ? { firstMismatch: firstHeadMismatch } : {}),
        ...(open.length ? { open } : {}),
      },
    };
  }

  async historyChainOf(entityRef: string) {
    const [row, head] = await Promise.all([
      this.db('entity_history')
        .where({ entity_ref: entityRef })
        .whereNotNull('hash')
        .orderBy('day', 'desc')
        .first('day', 'hash'),
      this.db('history_heads').orderBy('day', 'desc').first('day', 'hash'),
    ]);
    return {
      ...(row ? { entity: { day: row.day, hash: row.hash } } : {}),
      ...(head ? { head: { day: head.day, hash: head.hash } } : {}),
    };
  }

  /** The current verdicts: each scorecard row's verdict of its day. */
  private currentSnapshots() {
    return this.db('scorecard_rows').join('entity_snapshot_days', join =>
      join
        .on('entity_snapshot_days.entity_ref', '=', 'scorecard_rows.entity_ref')
        .andOn('entity_snapshot_days.day', '=', 'scorecard_rows.day'),
    );
  }

  async getSnapshot(entityRef: string) {
    const gzipped = await this.getSnapshotGzip(entityRef);
    return gzipped ? this.unzipSnapshot(gzipped) : undefined;
  }

  async getSnapshotAsOf(entityRef: string, day: string) {
    const gzipped = await this.getSnapshotGzip(entityRef, day);
    return gzipped ? this.unzipSnapshot(gzipped) : undefined;
  }

  async getSnapshotGzip(entityRef: string, day?: string) {
    const row = day
      ? await this.db('entity_snapshot_days')
          .where({ entity_ref: entityRef })
          .where('day', '<=', day)
          .orderBy('day', 'desc')
          .first('snapshot')
      : await this.currentSnapshots()
          .where('scorecard_rows.entity_ref', entityRef)
          .first('entity_snapshot_days.snapshot');
    return row ? this.bytes(row.snapshot) : undefined;
  }

  async getOptedInSnapshotGzip(entityRef: string, day?: string) {
    const query = this.db('entities').where('entities.entity_ref', entityRef);
    const ofEntity = (join: Knex.JoinClause) =>
      join.on('entity_snapshot_days.entity_ref', '=', 'entities.entity_ref');
    if (day) {
      const newest = this.db('entity_snapshot_days')
        .max('day')
        .where({ entity_ref: entityRef })
        .where('day', '<=', day);
      query.leftJoin('entity_snapshot_days', join =>
        ofEntity(join).andOn(
          'entity_snapshot_days.day',
          '=',
          this.db.raw('(?)', [newest]),
        ),
      );
    } else {
      query
        .leftJoin(
          'scorecard_rows',
          'scorecard_rows.entity_ref',
          'entities.entity_ref',
        )
        .leftJoin('entity_snapshot_days', join =>
          ofEntity(join).andOn(
            'entity_snapshot_days.day',
            '=',
            'scorecard_rows.day',
          ),
        );
    }
    const row = await query.first('entity_snapshot_days.snapshot');
    if (!row) return { optedIn: false };
    return row.snapshot
      ? { optedIn: true, gzipped: this.bytes(row.snapshot) }
      : { optedIn: true };
  }

  /** A Buffer from both drivers; a copy only for another byte array. */
  private bytes(data: Buffer | Uint8Array): Buffer {
    return Buffer.isBuffer(data) ? data : Buffer.from(data);
  }

  private unzipSnapshot(data: Buffer | Uint8Array): EntityComplianceSnapshot {
    return JSON.parse(gunzipSync(data).toString('utf8'));
  }

  async lastEvaluatedDay(onOrBefore: string) {
    const row = await this.db('entity_snapshot_days')
      .where('day', '<=', onOrBefore)
      .max({ day: 'day' })
      .first();
    return (row?.day as string | null) ?? undefined;
  }

  /**
   * The verdicts stored for `day` (each entity's last of that day), of the entities among
   * `visible`, in entity order, `pageSize` at a time.
   */
  async *snapshotsOfDay(
    day: string,
    visible: VisibleEntities,
    pageSize = 200,
  ): AsyncGenerator<EntityComplianceSnapshot[]> {
    if (visible !== 'all' && visible.length === 0) return;
    const allowed = visible === 'all' ? undefined : new Set(visible);
    let after = '';
    for (;;) {
      const page = await this.db('entity_snapshot_days')
        .where({ day })
        .where('entity_ref', '>', after)
        .orderBy('entity_ref')
        .limit(pageSize)
        .select('entity_ref', 'snapshot');
      if (page.length === 0) return;
      const shown = page.filter(row => !allowed || allowed.has(row.entity_ref));
      if (shown.length)
        yield shown.map(row => this.unzipSnapshot(row.snapshot));
      if (page.length < pageSize) return;
      after = page[page.length - 1].entity_ref;
    }
  }

  async historyHeadOf(day: string) {
    const row = await this.db('history_heads')
      .where('day', '<=', day)
      .orderBy('day', 'desc')
      .first('day', 'hash');
    return row
      ? { day: row.day as string, hash: row.hash as string }
      : undefined;
  }

  async listSnapshots() {
    const rows = await this.currentSnapshots()
      .orderBy('scorecard_rows.entity_ref')
      .select('entity_snapshot_days.snapshot');
    return rows.map(row => this.unzipSnapshot(row.snapshot));
  }

  async scorecardRefsOf(day: string): Promise<string[]> {
    const rows = await this.db('scorecard_days')
      .where({ day })
      .select('entity_ref')
      .orderBy('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  /** Kept until the verdicts change, as the counts are; the same array while kept. */
  async listSnapshotRefs(): Promise<string[]> {
    const generation = this.generation();
    const refs = await this.kept('refs', generation, async () => {
      const rows = await this.db('scorecard_rows')
        .select('entity_ref')
        .orderBy('entity_ref');
      return rows.map(row => row.entity_ref as string);
    });
    // Read after the generation, and kept only while it stays: a generation's list.
    this.refsAt.set(refs, await generation);
    return refs;
  }

  /** Restricts a query to the entities the caller may see. */
  private visible(
    query: Knex.QueryBuilder,
    visible: VisibleEntities,
    column = 'scorecard_rows.entity_ref',
  ) {
    if (visible === 'all') return query;
    const client = String(this.db.client.config.client);
    if (this.isPostgres()) {
      // One array parameter, however many entities the catalog answered.
      return query.whereRaw(`${column} = ANY(?::text[])`, [visible]);
    }
    if (client.includes('sqlite')) {
      return query.whereRaw(`${column} IN (SELECT value FROM json_each(?))`, [
        JSON.stringify(visible),
      ]);
    }
    return query.whereIn(column, visible);
  }

  /**
   * How a caller's page is read without naming the entities it may see: a list the catalog
   * admitted from the whole list of entities judged at `generation` (or that list itself)
   * is that generation's rows but the `denied`, when those are fewer. The statement must
   * answer nothing unless the verdicts are still that generation: an entity judged since
   * was never asked about.
   */
  private withoutList(
    visible: VisibleEntities,
  ): { generation: number; denied: string[] } | undefined {
    if (!Array.isArray(visible)) return undefined;
    const candidates = this.refsAt.has(visible)
      ? visible
      : candidatesOf(visible);
    const generation = candidates && this.refsAt.get(candidates);
    if (!candidates || generation === undefined) return undefined;
    const denied = candidates === visible ? [] : deniedOf(visible, candidates);
    return denied.length < visible.length ? { generation, denied } : undefined;
  }

  /** Leaves out of a query the entities the caller may not see. */
  private notVisible(query: Knex.QueryBuilder, denied: string[]) {
    const column = 'scorecard_rows.entity_ref';
    if (this.isPostgres()) {
      return query.whereRaw(`NOT (${column} = ANY(?::text[]))`, [denied]);
    }
    if (String(this.db.client.config.client).includes('sqlite')) {
      return query.whereRaw(
        `${column} NOT IN (SELECT value FROM json_each(?))`,
        [JSON.stringify(denied)],
      );
    }
    return query.whereNotIn(column, denied);
  }

  /** Kept until the history changes, as its levels are; the same array while kept. */
  async listHistoryRefs(sinceDay: string): Promise<string[]> {
    return this.kept(
      `history-refs:${sinceDay}`,
      this.generation(),
      async () => {
        const rows = await this.db('entity_history')
          .distinct('entity_ref')
          .where('day', '>=', sinceDay)
          .orderBy('entity_ref');
        return rows.map(row => row.entity_ref as string);
      },
    );
  }

  /**
   * The levels of each day since `sinceDay`. The scorecard page asks for 90 days on every
   * load: over 5 000 entities that is 450 000 history rows, 100 ms of PostgreSQL and 210 ms
   * of SQLite (in the backend's thread). For a caller who sees every verdict it is kept
   * per generation of the verdicts, as the counts are (every write of the history raises
   * the generation in its transaction), and read again from each past day's sums. A
   * caller who sees some entities gets their rows summed.
   */
  async historySummary(
    sinceDay: string,
    visible: VisibleEntities,
  ): Promise<ScorecardHistoryDay[]> {
    const read = async () => {
      const rows =
        visible === 'all'
          ? await this.levelsOfEveryEntity(sinceDay)
          : await levelsOfDays(
              this.visible(
                this.db('entity_history').where('day', '>=', sinceDay),
                visible,
                'entity_history.entity_ref',
              ),
            );
      rows.sort((a, b) => a.day.localeCompare(b.day));
      return [...sumLevels(rows, row => row.day)].map(([day, sums]) => ({
        day,
        ...sums,
      }));
    };
    return this.kept(
      `history:${sinceDay}${viewKey(visible)}`,
      this.generation(),
      read,
    );
  }

  /**
   * Each day's levels since `sinceDay` over every entity: those an evaluation's end
   * summed with the day's head (one row a day), the other days (today's after a write,
   * days no evaluation ended) from their rows, by the index on the day.
   */
  private async levelsOfEveryEntity(sinceDay: string): Promise<DayLevels[]> {
    const [summed, newest] = await Promise.all([
      this.db('history_heads')
        .where('day', '>=', sinceDay)
        .whereNotNull('level_sums')
        .select('day', 'level_sums'),
      this.db('entity_history')
        .where('day', '>=', sinceDay)
        .max({ day: 'day' })
        .first(),
    ]);
    const rows: DayLevels[] = summed.flatMap(head =>
      (JSON.parse(head.level_sums) as Array<Omit<DayLevels, 'day'>>).map(
        sums => ({ day: head.day, ...sums }),
      ),
    );
    const done = new Set(summed.map(head => head.day));
    const open = daysFrom(sinceDay, newest?.day)?.filter(day => !done.has(day));
    if (!open) {
      // too many days to name: every row since, but those of the days summed
      rows.push(
        ...(await levelsOfDays(
          this.db('entity_history')
            .where('day', '>=', sinceDay)
            .whereNotIn('day', [...done]),
        )),
      );
      return rows;
    }
    for (let i = 0; i < open.length; i += ARN_CHUNK) {
      rows.push(
        ...(await levelsOfDays(
          this.db('entity_history').whereIn(
            'day',
            open.slice(i, i + ARN_CHUNK),
          ),
        )),
      );
    }
    return rows;
  }

  /** `rows` in slices of what one INSERT on this database takes. */
  private insertSlices<T extends object>(rows: T[]): T[][] {
    return insertSlices(
      rows,
      this.isPostgres() ? Number.MAX_SAFE_INTEGER : SQLITE_ROWS_PER_INSERT,
    );
  }

  private isPostgres() {
    return String(this.db.client.config.client) === 'pg';
  }

  get inThisThread() {
    return String(this.db.client.config.client).includes('sqlite');
  }

  /** The generation of the current verdicts: every write of them raises it. */
  private async generation(): Promise<number> {
    const row = await this.db('scorecard_generation')
      .where({ id: 1 })
      .first('generation');
    return Number(row?.generation);
  }

  /**
   * `read`'s answer, kept under `key` while the verdicts' generation stays `generation`:
   * one primary key lookup instead of reading them again. Read after the generation was,
   * an answer is at least as new as it, and a write after the read raises the generation,
   * so a kept answer is never older than the verdicts of the generation it is kept for.
   */
  private async kept<T>(
    key: string,
    generation: Promise<number>,
    read: () => Promise<T>,
  ): Promise<T> {
    const now = await generation;
    const kept = this.keptAnswers.get(key);
    if (kept && kept.generation === now) return kept.answer as T;
    const answer = await read();
    // those of an older generation can never be answered again (a past day's history, say)
    for (const [other, { generation: of }] of this.keptAnswers) {
      if (of < now) this.keptAnswers.delete(other);
    }
    // many callers, each seeing other entities: the oldest answers make room
    while (this.keptAnswers.size >= MOST_ANSWERS_KEPT) {
      this.keptAnswers.delete(this.keptAnswers.keys().next().value!);
    }
    this.keptAnswers.set(key, { generation: now, answer });
    return answer;
  }

  /** Byte order on both databases: PostgreSQL would otherwise sort by its locale. */
  private ordered(column: string) {
    return this.isPostgres() ? `${column} COLLATE "C"` : column;
  }

  async queryScorecard(
    query: ScorecardQuery & { all?: boolean },
    visible: VisibleEntities,
    day?: string,
  ): Promise<ScorecardResult> {
    // A past day's scorecard is the same SQL over that day's rows, under the same names.
    const rowsTable = () =>
      day
        ? this.db({ scorecard_rows: 'scorecard_days' }).where(
            'scorecard_rows.day',
            day,
          )
        : this.db('scorecard_rows');
    const failingTable = () =>
      day
        ? this.db({ entity_failing_checks: 'failing_check_days' }).where(
            'entity_failing_checks.day',
            day,
          )
        : this.db('entity_failing_checks');
    // Read without naming the caller's entities where the store knows the list they were
    // admitted from; answered nothing, read again with them.
    const unlisted = day ? undefined : this.withoutList(visible);
    const base = (listed = true) => {
      if (listed) return this.visible(rowsTable(), visible);
      const rows = rowsTable().whereRaw(
        '(SELECT generation FROM scorecard_generation WHERE id = 1) = ?',
        [unlisted!.generation],
      );
      return unlisted!.denied.length
        ? this.notVisible(rows, unlisted!.denied)
        : rows;
    };
    const unlessEmpty = async <T>(
      read: (listed: boolean) => Promise<T[]>,
    ): Promise<T[]> => {
      if (!unlisted) return read(true);
      const rows = await read(false);
      return rows.length > 0 ? rows : read(true);
    };
    // Sorted by level, worst first, levels asked for as their ranks: the index the page is
    // read in (rank, entity) then finds them too, and a page stops at its last row, where
    // the index on the level finds every row of those levels to sort them (a search over
    // 14 000 non-compliant entities of 20 000: 0.07 ms against 7.8 ms on SQLite). Sorted
    // otherwise, by the level: the rows come in the order they were written, not scattered.
    const byRank = query.sort === 'level' && query.order !== 'desc';
    const filtered = (listed = true) => {
      let q = base(listed);
      if (query.level) {
        q = byRank
          ? q.whereIn('level_rank', query.level.map(levelRank))
          : q.whereIn('level', query.level);
      }
      if (Array.isArray(query.owner)) q = q.whereIn('owner', query.owner);
      else if (query.owner) q = q.where({ owner: query.owner });
      if (query.check) {
        q = q.whereIn(
          'scorecard_rows.entity_ref',
          failingTable()
            .select('entity_failing_checks.entity_ref')
            .where('entity_failing_checks.check_id', query.check),
        );
      }
      if (query.q) {
        const pattern = `%${query.q
          .toLowerCase()
          .replace(/[\\%_]/g, c => `\\${c}`)}%`;
        q = q.whereRaw(`search LIKE ? ESCAPE '\\'`, [pattern]);
      }
      return q;
    };
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const sortColumn = {
      level: 'level_rank',
      score: 'COALESCE(score, -1)',
      owner: this.ordered("COALESCE(owner, '')"),
      entity: this.ordered('scorecard_rows.entity_ref'),
    }[query.sort];
    const pageOf = (listed: boolean) => {
      let page = filtered(listed)
        .select(
          'scorecard_rows.entity_ref',
          'evaluated_at',
          'level',
          'score',
          'brief',
          'title',
          'owner',
          'system',
          'domain',
          'lifecycle',
        )
        .orderByRaw(
          // ties by entity (unique); sorted by entity, there are none
          query.sort === 'entity'
            ? `${sortColumn} ${direction}`
            : `${sortColumn} ${direction}, ${this.ordered(
                'scorecard_rows.entity_ref',
              )} ASC`,
        );
      if (!query.all) {
        page = page
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize);
      }
      return page;
    };
    // Filtered by level at most, the total is the sum of those levels' counts: no query.
    const byLevelOnly =
      !Array.isArray(query.owner) && !query.owner && !query.check && !query.q;
    // The current verdicts' counts, and the groups of them all, are the same for every
    // caller who sees the same entities: kept by this replica until the verdicts change.
    const generation = day ? undefined : this.generation();
    const view = viewKey(visible);
    const tiles = async () => {
      const read = async () => {
        const [levels, failing] = await Promise.all([
          base().select('level').count({ n: '*' }).groupBy('level'),
          // the table holds the failures of the latest verdicts only: no join needed
          this.visible(
            failingTable(),
            visible,
            'entity_failing_checks.entity_ref',
          )
            .select('check_id')
            .count({ n: '*' })
            .groupBy('check_id'),
        ]);
        return { levels, failing };
      };
      return generation ? this.kept(`counts${view}`, generation, read) : read();
    };
    const groupsOf = (by: NonNullable<ScorecardQuery['groupBy']>) => {
      const read = () =>
        unlessEmpty(listed => this.groups(filtered(listed), by));
      const unfiltered = byLevelOnly && !query.level;
      return generation && unfiltered
        ? this.kept(`groups:${by}${view}`, generation, read)
        : read();
    };
    const [rows, { levels, failing }, groups] = await Promise.all([
      unlessEmpty<any>(pageOf),
      tiles(),
      query.groupBy ? groupsOf(query.groupBy) : undefined,
    ]);
    const levelCounts = Object.fromEntries(
      levels.map((l: any) => [l.level, Number(l.n)]),
    );
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    // A page that is not full ends the list (a search finds a few, say): its total is
    // known without reading the filtered rows a second time to count them.
    const offset = (query.page - 1) * query.pageSize;
    const lastPage =
      query.all ||
      (rows.length < query.pageSize && (rows.length > 0 || offset === 0));
    let total: number;
    if (byLevelOnly) {
      total = sum(
        Object.entries(levelCounts)
          .filter(
            ([level]) =>
              !query.level || query.level.includes(level as ComplianceLevel),
          )
          .map(([, n]) => n),
      );
    } else if (lastPage) {
      total = query.all ? rows.length : offset + rows.length;
    } else {
      // Kept per filter, as the counts are: paging through a search, or the page polling,
      // counts the same rows again otherwise.
      const count = async () => {
        const [counted] = await unlessEmpty<any>(listed =>
          filtered(listed)
            .count({ total: '*' })
            .then(([row]: any[]) => (Number(row.total) > 0 ? [row] : [])),
        );
        return Number(counted?.total ?? 0);
      };
      const filter = JSON.stringify([
        query.level,
        query.owner,
        query.check,
        query.q,
      ]);
      total = generation
        ? await this.kept(`total:${filter}${view}`, generation, count)
        : await count();
    }
    return {
      totalEntities: sum(Object.values(levelCounts)),
      total,
      levels: levelCounts,
      failingChecks: Object.fromEntries(
        failing.map((f: any) => [f.check_id, Number(f.n)]),
      ),
      ...(groups ? { groups } : {}),
      items: rows.map((row: any): ScorecardRow => {
        const brief = row.brief
          ? JSON.parse(row.brief)
          : { policies: [], statuses: {} };
        const statuses: Record<string, string> = brief.statuses ?? {};
        return {
          entityRef: row.entity_ref,
          title: row.title ?? undefined,
          owner: row.owner ?? undefined,
          system: row.system ?? undefined,
          domain: row.domain ?? undefined,
          lifecycle: row.lifecycle ?? undefined,
          policies: brief.policies ?? [],
          level: row.level,
          score: row.score ?? null,
          failingChecks: Object.entries(statuses)
            .filter(
              ([checkId, status]) =>
                status === 'fail' &&
                !(brief.informational ?? []).includes(checkId),
            )
            .map(([checkId]) => checkId),
          statuses,
          evaluatedAt: toDate(row.evaluated_at)!.toISOString(),
          ...(brief.stalestBackupAt
            ? { stalestBackupAt: brief.stalestBackupAt }
            : {}),
          ...(brief.stalestRestoreTestAt
            ? { stalestRestoreTestAt: brief.stalestRestoreTestAt }
            : {}),
          ...(brief.nextWaiverExpiry
            ? { nextWaiverExpiry: brief.nextWaiverExpiry }
            : {}),
        };
      }),
    };
  }

  private async groups(
    filtered: Knex.QueryBuilder,
    by: 'owner' | 'system' | 'domain',
  ): Promise<ScorecardGroup[]> {
    const rows = await filtered
      .select(this.db.raw(`COALESCE(${by}, '(none)') AS group_key`), 'level')
      .count({ n: '*' })
      .sum({ score_sum: 'score' })
      .count({ scored: 'score' })
      .groupBy('group_key', 'level');
    return [...sumLevels(rows, row => row.group_key)]
      .map(([key, sums]) => ({ key, ...sums }))
      .sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key));
  }

  async listHistory(options: {
    entityRef?: string;
    sinceDay?: string;
  }): Promise<EntityHistoryPoint[]> {
    let query = this.db('entity_history').orderBy(['day', 'entity_ref']);
    if (options.entityRef)
      query = query.where({ entity_ref: options.entityRef });
    if (options.sinceDay) query = query.where('day', '>=', options.sinceDay);
    return (await query).map(row => ({
      entityRef: row.entity_ref,
      day: row.day,
      level: row.level,
      score: row.score ?? null,
      failingChecks: JSON.parse(row.failing_checks),
    }));
  }

  async saveOrganizationPolicies(
    read:
      | { at: Date; policies: CollectedOrganizationPolicy[] }
      | { at: Date; error: string },
  ) {
    const row =
      'error' in read
        ? { id: 'current', attempted_at: read.at, error: read.error }
        : {
            id: 'current',
            attempted_at: read.at,
            collected_at: read.at,
            error: null,
            policies: JSON.stringify(read.policies),
          };
    await this.db('organization_policies').insert(row).onConflict('id').merge();
  }

  async saveOrganizationVerdicts(verdicts: OrganizationBackupPolicy[]) {
    await this.db('organization_policies')
      .insert({ id: 'current', verdicts: JSON.stringify(verdicts) })
      .onConflict('id')
      .merge();
  }

  async getOrganization(): Promise<StoredOrganization> {
    const row = await this.db('organization_policies')
      .where({ id: 'current' })
      .first();
    if (!row) return {};
    return {
      collectedAt: toDate(row.collected_at),
      attemptedAt: toDate(row.attempted_at),
      error: row.error ?? undefined,
      policies: row.policies ? JSON.parse(row.policies) : undefined,
      verdicts: row.verdicts ? JSON.parse(row.verdicts) : undefined,
    };
  }

  async levelsOf(entityRefs: string[]) {
    const levels = new Map<
      string,
      { level: ComplianceLevel; evaluatedAt: string }
    >();
    for (let i = 0; i < entityRefs.length; i += ARN_CHUNK) {
      const rows = await this.db('scorecard_rows')
        .whereIn('entity_ref', entityRefs.slice(i, i + ARN_CHUNK))
        .select('entity_ref', 'level', 'evaluated_at');
      for (const row of rows) {
        levels.set(row.entity_ref, {
          level: row.level,
          evaluatedAt: toDate(row.evaluated_at)!.toISOString(),
        });
      }
    }
    return levels;
  }

  async enqueueChanges(changes: BackupComplianceChange[], at: Date) {
    const rows = changes.map(change => ({
      id: change.id,
      entity_ref: change.entityRef,
      kind: change.kind,
      change: JSON.stringify(change),
      created_at: at,
      attempts: 0,
    }));
    for (const slice of this.insertSlices(rows)) {
      await this.db('notification_outbox')
        .insert(slice)
        .onConflict('id')
        .ignore();
    }
  }

  async claimChanges(options: {
    replica: string;
    at: Date;
    limit: number;
    maxAttempts: number;
  }) {
    const free = new Date(options.at.getTime() - 10 * 60_000);
    const pending = () =>
      this.db('notification_outbox')
        .whereNull('delivered_at')
        .where('attempts', '<', options.maxAttempts)
        .where(q => q.whereNull('claimed_at').orWhere('claimed_at', '<', free));
    const candidates = await pending()
      .orderBy('created_at')
      .limit(options.limit)
      .select('id');
    const claimed: BackupComplianceChange[] = [];
    for (const { id } of candidates) {
      // A conditional update: of two replicas, one changes the row and takes it.
      const taken = await pending()
        .where({ id })
        .update({
          claimed_at: options.at,
          claimed_by: options.replica,
          attempts: this.db.raw('attempts + 1'),
        });
      if (taken === 1) {
        const row = await this.db('notification_outbox')
          .where({ id })
          .first('change');
        claimed.push(JSON.parse(row.change));
      }
    }
    return claimed;
  }

  async finishChange(id: string, at: Date, error?: string) {
    await this.db('notification_outbox')
      .where({ id })
      // A failed one stays claimed: it is tried again when the claim lapses.
      .update(
        error ? { last_error: error } : { delivered_at: at, last_error: null },
      );
  }
}
