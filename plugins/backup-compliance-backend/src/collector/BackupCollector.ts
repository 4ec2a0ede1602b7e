import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BACKUP_RESOURCE_TAGS_ANNOTATION,
  parseBackupAnnotations,
} from '@backup-compliance/backstage-plugin-common';
import { durationToMilliseconds } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BackupComplianceConfig } from '../config/readBackupComplianceConfig';
import {
  BackupStore,
  CollectionShard,
  EntityOptIn,
  EntityResource,
} from '../database/BackupStore';
import { ApiCallCounter, AwsClients } from './awsClients';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { collectOrganization } from '../organization/collectOrganization';
import { collectAccountRegion, isStillEmpty } from './collectAccountRegion';
import { IndexedResource, ResourceIndex } from './resourceIndex';
import { AccountRegion } from './types';

/** Clients for one account-region; every call they make stops when `signal` aborts. */
export type ClientFactory = (
  target: AccountRegion,
  counter: ApiCallCounter,
  signal?: AbortSignal,
) => Promise<AwsClients>;

export type CycleSummary = {
  cycleId: string;
  scope: 'full' | 'entities';
  entities: number;
  accountRegions: Array<
    AccountRegion & { status: 'succeeded' | 'failed'; error?: string }
  >;
};

const DAY_MS = 86_400_000;

/** How often a replica collecting a shard says it is alive, and when others stop believing it. */
export const SHARD_TIMING = {
  heartbeatMs: 15_000,
  staleMs: 120_000,
  /** How often the replica running the cycle looks at its shards while others collect them. */
  pollMs: 1_000,
  /**
   * After its first shard, how long the replica running the cycle leaves the other
   * shards to the other replicas before it takes them itself: their shard workers look
   * every 5 seconds.
   */
  handOffMs: 10_000,
};

type AccountRegionResult = CycleSummary['accountRegions'][number];

/**
 * Splits the account-regions into at most `count` shards of nearly equal size, in
 * account and region order, dealt round-robin so that each shard gets some of every
 * account rather than a few accounts whole; empty shards are left out.
 */
export function splitIntoShards(
  targets: AccountRegion[],
  count: number,
): AccountRegion[][] {
  const sorted = [...targets].sort(
    (a, b) =>
      a.accountId.localeCompare(b.accountId) ||
      a.region.localeCompare(b.region),
  );
  const parts = Array.from({ length: count }, () => [] as AccountRegion[]);
  sorted.forEach((target, i) => parts[i % count].push(target));
  return parts.filter(part => part.length > 0);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** An incremental snapshot of an account-region that holds nothing. */
function emptySnapshot(target: AccountRegion, since: Date) {
  return {
    ...target,
    mode: 'incremental' as const,
    since,
    resources: [],
    protectedResources: [],
    vaults: [],
    recoveryPoints: [],
    backupPlans: [],
    backupJobs: [],
    copyJobs: [],
    restoreJobs: [],
    restoreTestingPlans: [],
    legalHolds: [],
  };
}

class DeadlineError extends Error {
  name = 'DeadlineExceeded';
}

/**
 * Resolves or rejects as `work` does, or rejects with the signal's reason when it
 * aborts first: a call that ignores the signal cannot hold the cycle.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Runs `tasks` with at most `limit` at once. */
async function runBounded<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
) {
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const item = items[next++];
        await task(item);
      }
    },
  );
  await Promise.all(workers);
}

function describeError(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode
    ? ` (HTTP ${e.$metadata.httpStatusCode})`
    : '';
  return `${e.name ?? 'Error'}${status}: ${e.message ?? String(error)}`;
}

/**
 * One collection cycle: opted-in entities from the catalog, then every
 * configured account-region in bulk (bounded concurrency), each stored in
 * its own transaction, then the entity-to-resource join. A failing
 * account-region is recorded and logged; it never stops the others.
 */
export class BackupCollector {
  private running?: { cycleId: string; done: Promise<CycleSummary> };
  /** This replica collects a shard now: it takes no other until it is done. */
  private shardBusy = false;
  /** Which backend ran a cycle (host:pid/instance), for operators reading the cycle list. */
  private readonly replica = `${hostname()}:${process.pid}/${randomUUID().slice(
    0,
    8,
  )}`;

  constructor(
    private readonly options: {
      config: BackupComplianceConfig;
      logger: LoggerService;
      catalog: CatalogService;
      auth: AuthService;
      store: BackupStore;
      clients: ClientFactory;
      /**
       * A client of AWS Organizations in the management or delegated-administrator
       * account: full cycles read the organization's backup policies with it.
       */
      organization?: () => Promise<OrganizationsClient>;
      /** Runs after the join, e.g. the compliance evaluation. */
      afterCycle?: () => Promise<unknown>;
      /**
       * A sharded cycle has shards waiting: asks the scheduler to run this replica's
       * shard worker now (the other replicas' workers look at their next tick).
       */
      onShardsWaiting?: () => void;
      now?: () => Date;
      shardTiming?: typeof SHARD_TIMING;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The scheduled task's work, run by one replica at a time (`scope: 'global'`): a full
   * cycle when one is due (`schedule.frequency` since the last full cycle started, or a
   * full refresh was asked for), else a cycle over the account-regions of the entities
   * refreshes asked for, else nothing. The cycle takes every pending request, so
   * requests that arrive together are answered by one cycle, and an entity refresh
   * never takes the place of a full cycle that is due. Requests that arrived during a
   * cycle are taken by the next one straight after, for up to half of
   * `schedule.timeout`; then the scheduler runs the task again. Answers the last
   * cycle run.
   */
  async runDueWork(signal?: AbortSignal): Promise<CycleSummary | undefined> {
    const until =
      this.now().getTime() +
      durationToMilliseconds(this.options.config.schedule.timeout) / 2;
    let last: CycleSummary | undefined;
    while (!signal?.aborted && this.now().getTime() < until) {
      const summary = await this.runDueCycle(signal);
      if (!summary) break;
      last = summary;
    }
    return last;
  }

  private async runDueCycle(
    signal?: AbortSignal,
  ): Promise<CycleSummary | undefined> {
    const { store, config } = this.options;
    const pending = await store.pendingRefreshRequests();
    const lastFull = await store.lastFullCycleStartedAt();
    const fullDue =
      !lastFull ||
      this.now().getTime() - lastFull.getTime() >=
        durationToMilliseconds(config.schedule.frequency) ||
      pending.some(r => !r.entityRef);
    if (!fullDue && pending.length === 0) {
      // no cycle to run, which would close them: close what a stopped replica left
      await this.closeInterruptedRuns();
      return undefined;
    }
    return this.runCycle({
      entityRefs: fullDue
        ? undefined
        : [...new Set(pending.map(r => r.entityRef!))].sort(),
      requestIds: pending.map(r => r.id),
      signal,
    });
  }

  /**
   * Runs a cycle now: a full one, or over the account-regions of `entityRefs`. In one
   * process there is never more than one; across replicas the scheduler's lock on
   * {@link BackupCollector.runDueWork} sees to it.
   */
  async runCycle(
    request: {
      entityRefs?: string[];
      requestIds?: string[];
      signal?: AbortSignal;
    } = {},
  ): Promise<CycleSummary> {
    if (this.running) {
      return this.running.done;
    }
    const cycleId = randomUUID();
    const done = this.recordedCycle(cycleId, request);
    this.running = { cycleId, done };
    try {
      return await done;
    } finally {
      this.running = undefined;
    }
  }

  private async recordedCycle(
    cycleId: string,
    request: {
      entityRefs?: string[];
      requestIds?: string[];
      signal?: AbortSignal;
    },
  ): Promise<CycleSummary> {
    const { store, logger } = this.options;
    await this.closeInterruptedRuns();
    await store.startCycle({
      id: cycleId,
      scope: request.entityRefs ? 'entities' : 'full',
      entityRefs: request.entityRefs,
      startedAt: this.now(),
      replica: this.replica,
    });
    if (request.requestIds?.length) {
      await store.takeRefreshRequests(request.requestIds, cycleId);
    }
    try {
      const summary = await this.cycle(
        cycleId,
        request.entityRefs,
        request.signal,
      );
      await store.finishCycle(cycleId, { status: 'succeeded' }, this.now());
      return summary;
    } catch (error) {
      const message = describeError(error);
      logger.error(`Backup collection cycle ${cycleId} failed: ${message}`);
      // The database may be what failed: then the cycle is closed as interrupted later.
      await store
        .finishCycle(cycleId, { status: 'failed', error: message }, this.now())
        .catch(e =>
          logger.error(
            `Could not record that cycle ${cycleId} failed: ${describeError(
              e,
            )}`,
          ),
        );
      throw error;
    }
  }

  /**
   * Closes the runs that cannot be running any more: started longer ago than a cycle
   * may take (`schedule.timeout`), by this replica or another, and never closed
   * because the backend was killed or restarted. Runs at start-up and at each cycle.
   */
  async closeInterruptedRuns(): Promise<number> {
    const now = this.now();
    const startedBefore = new Date(
      now.getTime() -
        durationToMilliseconds(this.options.config.schedule.timeout),
    );
    await this.options.store.interruptCycles(startedBefore, now);
    const closed = await this.options.store.interruptRuns(startedBefore, now);
    if (closed > 0) {
      this.options.logger.warn(
        `Closed ${closed} collection run(s) left running by a backend that stopped mid-cycle; their account-regions are marked stale`,
      );
    }
    return closed;
  }

  private async cycle(
    cycleId: string,
    entityRefs?: string[],
    signal?: AbortSignal,
  ): Promise<CycleSummary> {
    const { config, logger } = this.options;
    const entities = await this.readEntities();
    let targets = config.accounts.flatMap(accountId =>
      config.regions.map(region => ({ accountId, region })),
    );
    if (entityRefs) {
      const scopes = entityRefs.map(ref => {
        const annotations = entities.find(
          e => e.entityRef === ref,
        )?.annotations;
        return {
          accounts: annotations?.accounts,
          regions: annotations?.regions,
        };
      });
      targets = targets.filter(t =>
        scopes.some(
          ({ accounts, regions }) =>
            (!accounts || accounts.includes(t.accountId)) &&
            (!regions || regions.includes(t.region)),
        ),
      );
    }
    logger.info(
      `Backup collection cycle ${cycleId}: ${entities.length} opted-in entities, ${targets.length} account-regions`,
    );

    const results =
      !entityRefs && config.shards > 1
        ? await this.collectSharded(cycleId, targets, signal)
        : await this.collectTargets(cycleId, targets, signal);

    if (!entityRefs && this.options.organization && !signal?.aborted) {
      await this.readOrganization(this.options.organization);
    }
    await this.joinEntities(entities);
    await this.options.afterCycle?.();
    // Run records are kept as long as the compliance history.
    await this.options.store.pruneRuns(
      new Date(this.now().getTime() - config.historyRetainDays * DAY_MS),
    );
    const failed = results.filter(r => r.status === 'failed');
    logger.info(
      `Backup collection cycle ${cycleId} done: ${
        results.length - failed.length
      } account-regions collected, ${failed.length} failed`,
    );
    return {
      cycleId,
      scope: entityRefs ? 'entities' : 'full',
      entities: entities.length,
      accountRegions: results,
    };
  }

  /**
   * Reads the organization's backup policies. A failure is recorded and logged, never
   * fatal to the cycle: the policies read before stay, and their check says it.
   */
  private async readOrganization(client: () => Promise<OrganizationsClient>) {
    const { store, logger, config } = this.options;
    const at = this.now();
    try {
      const policies = await collectOrganization(await client());
      await store.saveOrganizationPolicies({ at, policies });
      logger.info(
        `Read ${policies.length} organization backup policies from account ${config.organization?.accountId}`,
      );
    } catch (error) {
      const message = `${(error as Error).name}: ${(error as Error).message}`;
      logger.warn(
        `Reading the organization's backup policies from account ${config.organization?.accountId} failed: ${message}`,
      );
      await store.saveOrganizationPolicies({ at, error: message });
    }
  }

  /** Collects `targets`, `concurrency` at a time; throws once `signal` aborts. */
  private async collectTargets(
    cycleId: string,
    targets: AccountRegion[],
    signal?: AbortSignal,
    shard?: number,
  ): Promise<AccountRegionResult[]> {
    const results: AccountRegionResult[] = [];
    const ordered = await this.longestFirst(targets);
    await runBounded(ordered, this.options.config.concurrency, async target => {
      // Once the scheduler aborts (timeout, shutdown), no account-region starts.
      if (signal?.aborted) return;
      results.push(await this.collectOne(cycleId, target, signal, shard));
    });
    if (signal?.aborted) {
      throw new Error(
        `Stopped after ${results.length} of ${
          targets.length
        } account-regions: ${describeError(signal.reason)}`,
      );
    }
    return results;
  }

  /**
   * `targets`, the account-regions whose newest finished run (of any cycle, an entity
   * refresh's too) took longest first, and those without one (new, or only interrupted)
   * before them all: a long account-region started last keeps the whole cycle waiting on
   * it alone while the other lanes are idle. Equal ones keep their order. Only a hint:
   * when the runs cannot be read, the configured order, with a warning.
   */
  private async longestFirst(targets: AccountRegion[]) {
    const { store, logger } = this.options;
    const took = new Map<string, number>();
    try {
      // newest first; a few cycles' worth, so that every account-region has one
      const limit = Math.max(targets.length * 4, 1_000);
      for (const run of await store.listRuns({ limit })) {
        const key = `${run.accountId}/${run.region}`;
        if (
          !took.has(key) &&
          run.finishedAt &&
          (run.status === 'succeeded' || run.status === 'failed')
        ) {
          took.set(key, run.finishedAt.getTime() - run.startedAt.getTime());
        }
      }
    } catch (error) {
      logger.warn(
        `Could not read the last runs to start the longest account-regions first; collecting in the configured order: ${describeError(
          error,
        )}`,
      );
      return targets;
    }
    const expected = (target: AccountRegion) =>
      took.get(`${target.accountId}/${target.region}`) ?? Infinity;
    return targets
      .map((target, i) => ({ target, i, ms: expected(target) }))
      .sort((a, b) => {
        if (a.ms === b.ms) return a.i - b.i;
        return a.ms > b.ms ? -1 : 1;
      })
      .map(({ target }) => target);
  }

  private get shardTiming() {
    return this.options.shardTiming ?? SHARD_TIMING;
  }

  /**
   * A full cycle split into `backupCompliance.shards` shards: the shard workers of
   * every replica take them, and so does this replica, one shard at a time, until every
   * shard is done. A shard whose replica stopped (no heartbeat) is taken over. Each
   * account-region's outcome is its newest run in the cycle.
   */
  private async collectSharded(
    cycleId: string,
    targets: AccountRegion[],
    signal?: AbortSignal,
  ): Promise<AccountRegionResult[]> {
    const { store, config, logger } = this.options;
    const parts = splitIntoShards(targets, config.shards);
    await store.createShards(cycleId, parts);
    logger.info(
      `Backup collection cycle ${cycleId}: ${targets.length} account-regions in ${parts.length} shards, for any replica to take`,
    );
    this.options.onShardsWaiting?.();
    const handOffUntil = Date.now() + this.shardTiming.handOffMs;
    let first = true;
    for (;;) {
      if (signal?.aborted) {
        throw new Error(
          `Stopped waiting for the cycle's shards: ${describeError(
            signal.reason,
          )}`,
        );
      }
      // one shard at once; the others once the other replicas had time to take them
      if (
        (first || Date.now() >= handOffUntil) &&
        (await this.takeShard({ cycleId }, signal))
      ) {
        first = false;
        continue;
      }
      const shards = await store.listShards(cycleId);
      if (
        shards.every(s => s.status === 'succeeded' || s.status === 'failed')
      ) {
        break;
      }
      await pause(this.shardTiming.pollMs, signal);
    }

    const runs = await store.listRuns({
      cycleId,
      limit: Number.MAX_SAFE_INTEGER,
    });
    const shards = await store.listShards(cycleId);
    return targets.map(target => {
      // newest first: a shard taken over has the run of the replica that finished it
      const run = runs.find(
        r => r.accountId === target.accountId && r.region === target.region,
      );
      if (run?.status === 'succeeded') {
        return { ...target, status: 'succeeded' as const };
      }
      const shard = shards.find(s =>
        s.accountRegions.some(
          t => t.accountId === target.accountId && t.region === target.region,
        ),
      );
      return {
        ...target,
        status: 'failed' as const,
        error:
          run?.error ??
          `not collected: shard ${shard?.shard} ${
            shard?.error ? `failed: ${shard.error}` : 'did not finish'
          }`,
      };
    });
  }

  /**
   * The shard worker's work on this replica (a `scope: 'local'` task on every replica):
   * while shards of the running cycle wait (or their replica stopped), and this replica
   * collects no other shard, takes them one at a time. Answers how many it collected.
   */
  async runShards(signal?: AbortSignal): Promise<number> {
    let taken = 0;
    while (!signal?.aborted && (await this.takeShard({}, signal))) taken += 1;
    return taken;
  }

  private async takeShard(
    which: { cycleId?: string; shard?: number },
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (this.shardBusy) return false;
    this.shardBusy = true;
    try {
      const now = this.now();
      const shard = await this.options.store.claimShard({
        ...which,
        replica: this.replica,
        now,
        staleBefore: new Date(now.getTime() - this.shardTiming.staleMs),
      });
      if (!shard) return false;
      await this.collectShard(shard, signal);
      return true;
    } finally {
      this.shardBusy = false;
    }
  }

  private async collectShard(shard: CollectionShard, signal?: AbortSignal) {
    const { store, logger } = this.options;
    const { cycleId } = shard;
    logger.info(
      `Backup collection cycle ${cycleId}: shard ${shard.shard} (${shard.accountRegions.length} account-regions) taken by ${this.replica}`,
    );
    // Another replica takes the shard over when the heartbeats stop; if it did, stop.
    const lost = new AbortController();
    const heartbeat = setInterval(() => {
      store.heartbeatShard(cycleId, shard.shard, this.replica, this.now()).then(
        alive => {
          if (!alive) {
            lost.abort(
              new Error(
                `shard ${shard.shard} was taken over by another replica`,
              ),
            );
          }
        },
        error =>
          logger.warn(
            `Could not record the heartbeat of shard ${
              shard.shard
            }: ${describeError(error)}`,
          ),
      );
    }, this.shardTiming.heartbeatMs);
    try {
      const results = await this.collectTargets(
        cycleId,
        shard.accountRegions,
        signal ? AbortSignal.any([signal, lost.signal]) : lost.signal,
        shard.shard,
      );
      await store.finishShard(
        cycleId,
        shard.shard,
        this.replica,
        { status: 'succeeded' },
        this.now(),
      );
      const failed = results.filter(r => r.status === 'failed').length;
      logger.info(
        `Backup collection cycle ${cycleId}: shard ${shard.shard} done, ${
          results.length - failed
        } account-regions collected, ${failed} failed`,
      );
    } catch (error) {
      const message = describeError(error);
      logger.warn(
        `Backup collection cycle ${cycleId}: shard ${shard.shard} failed: ${message}`,
      );
      await store
        .finishShard(
          cycleId,
          shard.shard,
          this.replica,
          { status: 'failed', error: message },
          this.now(),
        )
        .catch(e =>
          logger.error(
            `Could not record that shard ${shard.shard} failed: ${describeError(
              e,
            )}`,
          ),
        );
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async readEntities(): Promise<EntityOptIn[]> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const [{ items }, { items: systems }] = await Promise.all([
      catalog.getEntities(
        {
          filter: {
            [`metadata.annotations.${BACKUP_RESOURCE_TAGS_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.title',
            'metadata.annotations',
            'spec.owner',
            'spec.system',
            'spec.lifecycle',
            'spec.type',
          ],
        },
        { credentials },
      ),
      catalog.getEntities(
        {
          filter: { kind: 'system' },
          fields: ['metadata.namespace', 'metadata.name', 'spec.domain'],
        },
        { credentials },
      ),
    ]);
    const domainOf = new Map(
      systems.map(s => [
        `${s.metadata.namespace ?? 'default'}/${s.metadata.name}`,
        (s.spec as { domain?: string } | undefined)?.domain,
      ]),
    );
    return items.map(entity => {
      const parsed = parseBackupAnnotations(entity);
      const namespace = entity.metadata.namespace ?? 'default';
      const spec = (entity.spec ?? {}) as Record<string, string | undefined>;
      const system = spec.system;
      return {
        entityRef: stringifyEntityRef(entity),
        catalog: {
          kind: entity.kind,
          namespace,
          name: entity.metadata.name,
          title: entity.metadata.title,
          owner: spec.owner,
          system,
          domain: system
            ? domainOf.get(
                system.includes('/') ? system : `${namespace}/${system}`,
              )
            : undefined,
          lifecycle: spec.lifecycle,
          type: spec.type,
        },
        ...(parsed.ok
          ? { annotations: parsed.annotations }
          : { problems: parsed.problems }),
      };
    });
  }

  private async collectOne(
    cycleId: string,
    target: AccountRegion,
    cycleSignal?: AbortSignal,
    shard?: number,
  ): Promise<AccountRegionResult> {
    const { config, logger, store } = this.options;
    const startedAt = this.now();
    const state = await store.getAccountRegionState(
      target.accountId,
      target.region,
    );
    const full =
      !state?.lastSuccessStartedAt ||
      !state.lastFullStartedAt ||
      startedAt.getTime() - state.lastFullStartedAt.getTime() >=
        config.fullResyncEveryMs;
    const mode = full ? 'full' : 'incremental';
    const runId = randomUUID();
    await store.startRun({
      id: runId,
      cycleId,
      ...target,
      mode,
      startedAt,
      replica: this.replica,
      shard,
    });
    const counter = new ApiCallCounter();
    // A deadline per account-region: one that hangs is recorded as failed (its data
    // stays, marked stale) and the others complete.
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          new DeadlineError(
            `no answer within backupCompliance.accountRegionTimeout (${Math.round(
              config.accountRegionTimeoutMs / 1000,
            )} s)`,
          ),
        ),
      config.accountRegionTimeoutMs,
    );
    const signal = cycleSignal
      ? AbortSignal.any([cycleSignal, deadline.signal])
      : deadline.signal;
    try {
      const clients = await this.options.clients(target, counter, signal);
      // Empty at the last full resync: a cheap probe until the next one, unless it
      // finds something.
      if (
        !full &&
        !(await store.hasObjects(target.accountId, target.region)) &&
        (await untilAborted(isStillEmpty(clients), signal))
      ) {
        clearTimeout(timer);
        await store.commitSnapshot(
          runId,
          emptySnapshot(target, state!.lastSuccessStartedAt!),
          counter.snapshot(),
          this.now(),
        );
        return { ...target, status: 'succeeded' as const };
      }
      // An incremental cycle keeps what AWS cannot have changed from the store.
      const known = full
        ? {}
        : {
            backupPlans: (await store.listObjects('backup_plan', target)).map(
              o => o.data,
            ),
            restoreTestingPlans: (
              await store.listObjects('restore_testing_plan', target)
            ).map(o => o.data),
          };
      const snapshot = await untilAborted(
        collectAccountRegion(
          clients,
          {
            ...target,
            mode,
            since: full
              ? undefined
              : new Date(
                  state!.lastSuccessStartedAt!.getTime() - config.overlapMs,
                ),
            jobsSince: new Date(
              startedAt.getTime() - config.jobsLookbackDays * DAY_MS,
            ),
          },
          known,
        ),
        signal,
      );
      clearTimeout(timer);
      for (const note of snapshot.notes) {
        logger.warn(
          `Backup collection of account ${target.accountId} in ${target.region}: ${note}`,
        );
      }
      await store.commitSnapshot(
        runId,
        snapshot,
        counter.snapshot(),
        this.now(),
      );
      return { ...target, status: 'succeeded' as const };
    } catch (error) {
      clearTimeout(timer);
      const message = describeError(signal.aborted ? signal.reason : error);
      logger.warn(
        `Backup collection of account ${target.accountId} in ${target.region} failed; its previous data stays and is marked stale: ${message}`,
      );
      await store.failRun(runId, message, counter.snapshot(), this.now());
      return { ...target, status: 'failed' as const, error: message };
    }
  }

  private async joinEntities(entities: EntityOptIn[]) {
    const { store, logger } = this.options;
    const began = Date.now();
    const resources: IndexedResource[] = (
      await store.listObjects('resource')
    ).map(o => ({
      ...o.data,
      accountId: o.accountId,
      region: o.region,
    }));
    const index = new ResourceIndex(resources);
    const mapping: EntityResource[] = [];
    for (const entity of entities) {
      if (!entity.annotations) continue;
      for (const resource of index.match({
        entityRef: entity.entityRef,
        resourceTags: entity.annotations.resourceTags,
        accounts: entity.annotations.accounts,
        regions: entity.annotations.regions,
      })) {
        mapping.push({
          entityRef: entity.entityRef,
          accountId: resource.accountId,
          region: resource.region,
          resourceArn: resource.arn,
        });
      }
    }
    await store.replaceEntities(entities, mapping);
    logger.info(
      `Joined ${entities.length} entities to their resources (${
        mapping.length
      } links, ${resources.length} resources) in ${(
        (Date.now() - began) /
        1000
      ).toFixed(1)} s`,
    );
  }
}
