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
import { BackupComplianceConfig } from '../config/readBackupComplianceConfig';
import {
  BackupStore,
  EntityOptIn,
  EntityResource,
} from '../database/BackupStore';
import { ApiCallCounter, AwsClients } from './awsClients';
import { collectAccountRegion } from './collectAccountRegion';
import { IndexedResource, ResourceIndex } from './resourceIndex';
import { AccountRegion } from './types';

export type ClientFactory = (
  target: AccountRegion,
  counter: ApiCallCounter,
) => Promise<AwsClients>;

export type CycleSummary = {
  cycleId: string;
  entities: number;
  accountRegions: Array<
    AccountRegion & { status: 'succeeded' | 'failed'; error?: string }
  >;
};

const DAY_MS = 86_400_000;

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

  constructor(
    private readonly options: {
      config: BackupComplianceConfig;
      logger: LoggerService;
      catalog: CatalogService;
      auth: AuthService;
      store: BackupStore;
      clients: ClientFactory;
      /** Runs after the join, e.g. the compliance evaluation. */
      afterCycle?: () => Promise<unknown>;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** Starts a cycle in the background and answers at once with its id. */
  startCycle(request: { entityRef?: string } = {}): {
    cycleId: string;
    alreadyRunning: boolean;
  } {
    if (this.running) {
      return { cycleId: this.running.cycleId, alreadyRunning: true };
    }
    const cycleId = randomUUID();
    const done = this.runCycle({ ...request, cycleId });
    done.catch(error =>
      this.options.logger.error(
        `Backup collection cycle ${cycleId} failed: ${describeError(error)}`,
      ),
    );
    return { cycleId, alreadyRunning: false };
  }

  /** Runs a whole cycle (or the account-regions of one entity). */
  async runCycle(
    request: { cycleId?: string; entityRef?: string } = {},
  ): Promise<CycleSummary> {
    if (this.running) {
      return this.running.done;
    }
    const cycleId = request.cycleId ?? randomUUID();
    const done = this.cycle(cycleId, request.entityRef);
    this.running = { cycleId, done };
    try {
      return await done;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Closes the runs that cannot be running any more: started longer ago than a cycle
   * may take (`schedule.timeout`), by this replica or another, and never closed
   * because the backend was killed or restarted. Runs at start-up and at each cycle.
   */
  async closeInterruptedRuns(): Promise<number> {
    const now = this.now();
    const closed = await this.options.store.interruptRuns(
      new Date(
        now.getTime() -
          durationToMilliseconds(this.options.config.schedule.timeout),
      ),
      now,
    );
    if (closed > 0) {
      this.options.logger.warn(
        `Closed ${closed} collection run(s) left running by a backend that stopped mid-cycle; their account-regions are marked stale`,
      );
    }
    return closed;
  }

  private async cycle(
    cycleId: string,
    entityRef?: string,
  ): Promise<CycleSummary> {
    const { config, logger } = this.options;
    await this.closeInterruptedRuns();
    const entities = await this.readEntities();
    let targets = config.accounts.flatMap(accountId =>
      config.regions.map(region => ({ accountId, region })),
    );
    if (entityRef) {
      const entity = entities.find(e => e.entityRef === entityRef);
      const accounts = entity?.annotations?.accounts;
      const regions = entity?.annotations?.regions;
      targets = targets.filter(
        t =>
          (!accounts || accounts.includes(t.accountId)) &&
          (!regions || regions.includes(t.region)),
      );
    }
    logger.info(
      `Backup collection cycle ${cycleId}: ${entities.length} opted-in entities, ${targets.length} account-regions`,
    );

    const results: CycleSummary['accountRegions'] = [];
    await runBounded(targets, config.concurrency, async target => {
      results.push(await this.collectOne(cycleId, target));
    });

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
    return { cycleId, entities: entities.length, accountRegions: results };
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

  private async collectOne(cycleId: string, target: AccountRegion) {
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
    await store.startRun({ id: runId, cycleId, ...target, mode, startedAt });
    const counter = new ApiCallCounter();
    try {
      const clients = await this.options.clients(target, counter);
      const snapshot = await collectAccountRegion(clients, {
        ...target,
        mode,
        since: full
          ? undefined
          : new Date(state!.lastSuccessStartedAt!.getTime() - config.overlapMs),
        jobsSince: new Date(
          startedAt.getTime() - config.jobsLookbackDays * DAY_MS,
        ),
        restoreJobsSince: new Date(
          startedAt.getTime() - config.restoreJobsLookbackDays * DAY_MS,
        ),
      });
      await store.commitSnapshot(
        runId,
        snapshot,
        counter.snapshot(),
        this.now(),
      );
      return { ...target, status: 'succeeded' as const };
    } catch (error) {
      const message = describeError(error);
      logger.warn(
        `Backup collection of account ${target.accountId} in ${target.region} failed; its previous data stays and is marked stale: ${message}`,
      );
      await store.failRun(runId, message, counter.snapshot(), this.now());
      return { ...target, status: 'failed' as const, error: message };
    }
  }

  private async joinEntities(entities: EntityOptIn[]) {
    const { store } = this.options;
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
  }
}
