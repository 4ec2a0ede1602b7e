import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  emptyRegion,
  loadScenario,
  Scenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import {
  emulatorClients,
  EXAMPLE_SCENARIO,
  exampleConfig,
  exampleEntities,
} from '../__testUtils__/exampleWorld';
import { waitUntil } from '../__testUtils__/waitUntil';
import { BackupCollector, CycleSummary, SHARD_TIMING } from './BackupCollector';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

let scenario: Scenario;
let emulator: Emulator;

beforeEach(async () => {
  scenario = await loadScenario(EXAMPLE_SCENARIO);
  emulator = await startEmulator({ scenario });
});

afterEach(async () => {
  await emulator.close();
});

async function setup(
  options: {
    entities?: Entity[];
    now?: () => Date;
    maxAttempts?: number;
    config?: object;
    afterCycle?: () => Promise<unknown>;
  } = {},
) {
  const config = exampleConfig(emulator.url, options.config);
  const store = await DatabaseBackupStore.create({
    knex: await databases.init('SQLITE_3'),
  });
  const logger = mockServices.logger.mock();
  const collector = new BackupCollector({
    config,
    logger,
    catalog: catalogServiceMock({
      entities: options.entities ?? exampleEntities(),
    }),
    auth: mockServices.auth(),
    store,
    now: options.now,
    afterCycle: options.afterCycle,
    // no other replica here to hand shards to
    shardTiming: { ...SHARD_TIMING, handOffMs: 0 },
    clients: emulatorClients(
      emulator.url,
      options.maxAttempts,
      config.requestTimeoutMs,
      config.rateLimits,
    ),
  });
  return { collector, store, logger };
}

const resourcesOf = async (store: DatabaseBackupStore, name: string) =>
  (await store.listEntityResources(`component:default/${name}`)).map(
    r => r.resourceArn,
  );

describe('BackupCollector against the emulator and the example scenario', () => {
  it('puts the right resources on the right entities', async () => {
    const { collector, store } = await setup();
    await collector.runCycle();

    expect(await resourcesOf(store, 'payments-ledger')).toEqual([
      'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger',
    ]);
    expect(await resourcesOf(store, 'card-transactions')).toEqual([
      'arn:aws:dynamodb:eu-central-1:111111111111:table/card-transactions',
    ]);
    expect(await resourcesOf(store, 'loan-servicing')).toEqual([
      'arn:aws:rds:eu-central-1:222222222222:cluster:loan-servicing',
    ]);
    expect(await resourcesOf(store, 'credit-scoring')).toEqual([
      'arn:aws:dynamodb:eu-central-1:222222222222:table/credit-scoring',
    ]);
    expect(await resourcesOf(store, 'rewards-catalog')).toEqual([
      'arn:aws:elasticfilesystem:eu-central-1:222222222222:file-system/fs-0a1b2c3d4e5f',
    ]);
    expect(await resourcesOf(store, 'statements-archive')).toEqual([
      'arn:aws:dynamodb:eu-central-1:111111111111:table/statements-index',
      'arn:aws:s3:::statements-archive-eu',
    ]);
    expect(await resourcesOf(store, 'payments-gateway')).toEqual([]);

    const entities = await store.listEntities();
    expect(entities.map(e => e.entityRef)).toHaveLength(9);
    expect(
      entities.find(e => e.entityRef === 'component:default/fx-rates'),
    ).toMatchObject({
      problems: [
        expect.objectContaining({ message: '"app" is not a key=value pair' }),
      ],
    });
  });

  it('records a run per account-region; one denied account does not stop the others', async () => {
    const { collector, store } = await setup();
    const summary = await collector.runCycle();

    expect(summary.accountRegions).toHaveLength(8);
    const runs = await store.listRuns({ cycleId: summary.cycleId });
    expect(runs).toHaveLength(8);
    const denied = runs.filter(r => r.accountId === '444444444444');
    const others = runs.filter(r => r.accountId !== '444444444444');
    expect(denied.map(r => r.status)).toEqual(['failed', 'failed']);
    expect(denied[0].error).toContain('AccessDeniedException');
    expect(
      others.map(r => [r.status, r.mode, r.apiCalls.GetResources]),
    ).toEqual(others.map(() => ['succeeded', 'full', 1]));
    // The run records count exactly the calls the emulator served.
    const served =
      emulator.stats().accountRegions['111111111111/eu-central-1'].operations;
    expect(
      runs.find(
        r => r.accountId === '111111111111' && r.region === 'eu-central-1',
      )!.apiCalls,
    ).toEqual(served);
  });

  it('starts the account-regions that took longest in the last cycle first', async () => {
    const { collector, store } = await setup({ config: { concurrency: 1 } });
    const orderOf = (summary: CycleSummary) =>
      // one at a time: the results come in the order the account-regions started
      summary.accountRegions.map(r => `${r.accountId}/${r.region}`);

    // no cycle before: the configured order
    const first = await collector.runCycle();
    const configured = orderOf(first);
    // the last one read that holds data (account 444444444444 is denied: it fails at once)
    const held = scenario.accounts.flatMap(a =>
      [...a.regions.keys()].map(region => `${a.accountId}/${region}`),
    );
    const slow = configured
      .filter(key => held.includes(key) && !key.startsWith('444444444444'))
      .slice(-1)[0];
    expect(configured.indexOf(slow)).toBeGreaterThan(0);

    // its calls answered after 3 s: far longer than any other account-region takes
    const [accountId, region] = slow.split('/');
    const own = scenario.accounts
      .find(a => a.accountId === accountId)!
      .regions.get(region)!.faults;
    emulator.setFaults(accountId, region, { ...own, LatencyMs: 3_000 });
    let second: CycleSummary;
    try {
      second = await collector.runCycle();
    } finally {
      emulator.setFaults(accountId, region, own);
    }
    const took = new Map(
      (await store.listRuns({ cycleId: second.cycleId })).map(run => [
        `${run.accountId}/${run.region}`,
        run.finishedAt!.getTime() - run.startedAt.getTime(),
      ]),
    );
    expect(Math.max(...took.values())).toBe(took.get(slow));

    const third = await collector.runCycle();
    expect(orderOf(third)[0]).toBe(slow);
    // and the others by how long they took, the configured order between equals
    expect(orderOf(third)).toEqual(
      [...configured].sort(
        (a, b) =>
          took.get(b)! - took.get(a)! ||
          configured.indexOf(a) - configured.indexOf(b),
      ),
    );
  });

  it('collects in the configured order when the last runs cannot be read', async () => {
    const { collector, store, logger } = await setup({
      config: { concurrency: 1 },
    });
    const first = await collector.runCycle();
    jest
      .spyOn(store, 'listRuns')
      .mockRejectedValueOnce(new Error('connection reset'));
    const second = await collector.runCycle();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'collecting in the configured order: Error: connection reset',
      ),
    );
    expect(second.accountRegions.map(r => r.accountId + r.region)).toEqual(
      first.accountRegions.map(r => r.accountId + r.region),
    );
    expect(
      second.accountRegions.filter(r => r.status === 'succeeded'),
    ).toHaveLength(
      first.accountRegions.filter(r => r.status === 'succeeded').length,
    );
  });

  it('collects a full cycle split into shards: every account-region once, in one shard, with the same resources', async () => {
    const { collector, store } = await setup({ config: { shards: 3 } });
    const summary = await collector.runCycle();

    const shards = await store.listShards(summary.cycleId);
    expect(shards.map(s => [s.shard, s.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    // the shards split the 8 account-regions without overlap, 3 + 3 + 2
    const inShards = shards.flatMap(s =>
      s.accountRegions.map(t => `${t.accountId}/${t.region}`),
    );
    expect(shards.map(s => s.accountRegions.length)).toEqual([3, 3, 2]);
    expect(new Set(inShards).size).toBe(8);
    const runs = await store.listRuns({ cycleId: summary.cycleId });
    expect(runs).toHaveLength(8);
    for (const run of runs) {
      expect(
        shards
          .find(s => s.shard === run.shard)!
          .accountRegions.some(
            t => t.accountId === run.accountId && t.region === run.region,
          ),
      ).toBe(true);
      expect(run.replica).toBe(shards[0].replica);
    }
    expect(summary.accountRegions.filter(r => r.status === 'failed')).toEqual([
      expect.objectContaining({
        accountId: '444444444444',
        error: expect.stringContaining('AccessDeniedException'),
      }),
      expect.objectContaining({ accountId: '444444444444' }),
    ]);
    expect(await resourcesOf(store, 'payments-ledger')).toEqual([
      'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger',
    ]);
    const [cycle] = await store.listCycles({ limit: 1 });
    expect(cycle).toMatchObject({
      status: 'succeeded',
      shards: [{ shard: 1 }, { shard: 2 }, { shard: 3 }],
    });
  });

  it('takes over a shard whose replica stopped sending heartbeats, and closes that replica’s run as interrupted', async () => {
    const { collector, store } = await setup({ config: { shards: 2 } });
    const createShards = store.createShards.bind(store);
    const stoppedAt = new Date(Date.now() - 10 * 60_000);
    jest
      .spyOn(store, 'createShards')
      .mockImplementation(async (cycleId, parts) => {
        await createShards(cycleId, parts);
        // another replica took shard 2, started a run, and stopped 10 minutes ago
        const taken = await store.claimShard({
          cycleId,
          shard: 2,
          replica: 'stopped-replica',
          now: stoppedAt,
          staleBefore: stoppedAt,
        });
        await store.startRun({
          id: 'run-of-the-stopped-replica',
          cycleId,
          ...taken!.accountRegions[0],
          mode: 'full',
          startedAt: stoppedAt,
          replica: 'stopped-replica',
          shard: 2,
        });
      });

    const summary = await collector.runCycle();
    const shards = await store.listShards(summary.cycleId);
    expect(shards.map(s => [s.shard, s.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
    ]);
    expect(shards[1].replica).toBe(shards[0].replica);
    expect(shards[1].replica).not.toBe('stopped-replica');
    const runs = await store.listRuns({ cycleId: summary.cycleId });
    expect(runs.find(r => r.id === 'run-of-the-stopped-replica')).toMatchObject(
      {
        status: 'interrupted',
        error: expect.stringContaining(
          'stopped-replica stopped working on shard 2',
        ),
      },
    );
    // every account-region collected by the replica that finished
    expect(runs.filter(r => r.replica !== 'stopped-replica')).toHaveLength(8);
    expect(summary.accountRegions).toHaveLength(8);
  });

  it('makes as many API calls for three times the entities', async () => {
    const entities = exampleEntities();
    const { collector } = await setup({ entities });
    await collector.runCycle();
    const baseline = emulator.stats().calls;

    const tripled = [0, 1, 2].flatMap(copy =>
      entities.map(e => ({
        ...e,
        metadata: { ...e.metadata, name: `${e.metadata.name}-${copy}` },
      })),
    );
    emulator.resetStats();
    const second = await setup({ entities: tripled });
    await second.collector.runCycle();
    expect(emulator.stats().calls).toBe(baseline);
  });

  it('reads again in an incremental cycle only the plans whose version changed, and no known selection', async () => {
    let now = new Date();
    const { collector, store } = await setup({ now: () => now });
    const target = { accountId: '111111111111', region: 'eu-central-1' };
    const runOf = async (cycleId: string) =>
      (await store.listRuns({ cycleId })).find(
        r => r.accountId === target.accountId && r.region === target.region,
      )!;
    const first = await runOf((await collector.runCycle()).cycleId);
    expect(first.apiCalls.GetBackupPlan).toBeGreaterThan(0);
    expect(first.apiCalls.GetBackupSelection).toBeGreaterThan(0);
    expect(first.apiCalls.GetRestoreTestingPlan).toBeGreaterThan(0);
    const plans = await store.listObjects('backup_plan', target);
    const testingPlans = await store.listObjects(
      'restore_testing_plan',
      target,
    );

    // nothing changed in AWS: no plan, selection or restore-testing plan is read again
    now = new Date(now.getTime() + 3_600_000);
    const second = await runOf((await collector.runCycle()).cycleId);
    expect(second.mode).toBe('incremental');
    expect(second.apiCalls).not.toHaveProperty('GetBackupPlan');
    expect(second.apiCalls).not.toHaveProperty('GetBackupSelection');
    expect(second.apiCalls).not.toHaveProperty('GetRestoreTestingPlan');
    expect(await store.listObjects('backup_plan', target)).toEqual(plans);
    expect(await store.listObjects('restore_testing_plan', target)).toEqual(
      testingPlans,
    );

    // a plan is edited (AWS gives it a new version): only it is read again
    const region = scenario.accounts[0].regions.get('eu-central-1')!;
    region.plans[0].plan.VersionId = 'edited-version';
    now = new Date(now.getTime() + 3_600_000);
    const third = await runOf((await collector.runCycle()).cycleId);
    expect(third.apiCalls.GetBackupPlan).toBe(1);
    expect(third.apiCalls).not.toHaveProperty('GetBackupSelection');
    expect(
      (await store.listObjects('backup_plan', target)).map(
        o => o.data.plan.VersionId,
      ),
    ).toContain('edited-version');
  });

  it('only probes, until the next full resync, an account-region that was empty at the last one', async () => {
    let now = new Date();
    const { collector, store } = await setup({ now: () => now });
    const target = { accountId: '333333333333', region: 'eu-central-1' };
    const region = scenario.accounts
      .find(a => a.accountId === target.accountId)!
      .regions.get(target.region)!;
    const keptResources = region.resources;
    Object.assign(region, emptyRegion(target.accountId, target.region));
    const runOf = async (cycleId: string) =>
      (await store.listRuns({ cycleId })).find(
        r => r.accountId === target.accountId && r.region === target.region,
      )!;
    const first = await runOf((await collector.runCycle()).cycleId);
    expect(
      Object.values(first.apiCalls).reduce((a, b) => a + b),
    ).toBeGreaterThanOrEqual(9);
    expect(await store.hasObjects(target.accountId, target.region)).toBe(false);

    now = new Date(now.getTime() + 3_600_000);
    const second = await runOf((await collector.runCycle()).cycleId);
    expect(second).toMatchObject({
      mode: 'incremental',
      status: 'succeeded',
      apiCalls: { GetResources: 1, ListBackupVaults: 1 },
    });
    expect(Object.keys(second.apiCalls)).toHaveLength(2);

    // a tagged resource appears: the probe finds it and the cycle reads everything
    region.resources = [
      ...keptResources,
      {
        ResourceARN:
          'arn:aws:dynamodb:eu-central-1:333333333333:table/new-service',
        Tags: { app: 'new-service' },
      },
    ];
    now = new Date(now.getTime() + 3_600_000);
    const third = await runOf((await collector.runCycle()).cycleId);
    expect(third.apiCalls).toMatchObject({
      ListBackupPlans: 1,
      ListBackupJobs: 1,
    });
    expect(await store.hasObjects(target.accountId, target.region)).toBe(true);
  });

  it('fetches only new jobs and recovery points on the next cycle', async () => {
    let now = new Date();
    const { collector, store } = await setup({ now: () => now });
    await collector.runCycle();

    now = new Date(now.getTime() + 3_600_000);
    const second = await collector.runCycle();
    const ledgerRun = async (cycleId: string) =>
      (await store.listRuns({ cycleId })).find(
        r => r.accountId === '111111111111' && r.region === 'eu-central-1',
      )!;
    expect(await ledgerRun(second.cycleId)).toMatchObject({
      mode: 'incremental',
      status: 'succeeded',
    });
    expect((await ledgerRun(second.cycleId)).itemCounts).not.toHaveProperty(
      'recovery_point',
    );
    expect((await ledgerRun(second.cycleId)).itemCounts).not.toHaveProperty(
      'backup_job',
    );

    // AWS takes a new backup: the next cycle fetches it, and only it.
    const region = scenario.accounts[0].regions.get('eu-central-1')!;
    const created = new Date(now.getTime() - 60_000);
    region.recoveryPoints.unshift({
      ...region.recoveryPoints[0],
      RecoveryPointArn:
        'arn:aws:backup:eu-central-1:111111111111:recovery-point:new',
      CreationDate: created,
    });
    region.backupJobs.unshift({
      ...region.backupJobs[0],
      BackupJobId: 'new-job',
      CreationDate: created,
    });
    now = new Date(now.getTime() + 3_600_000);
    const third = await collector.runCycle();
    expect((await ledgerRun(third.cycleId)).itemCounts).toMatchObject({
      recovery_point: 1,
      backup_job: 1,
    });
    const points = await store.listObjects('recovery_point', {
      accountId: '111111111111',
      region: 'eu-central-1',
    });
    expect(points.map(p => p.key)).toContain(
      'arn:aws:backup:eu-central-1:111111111111:recovery-point:new',
    );
  });

  it('keeps the previous snapshot intact when a cycle dies midway', async () => {
    const { collector, store } = await setup();
    await collector.runCycle();
    const scope = { accountId: '222222222222', region: 'eu-central-1' };
    const before = {
      points: await store.listObjects('recovery_point', scope),
      plans: await store.listObjects('backup_plan', scope),
      mapping: await store.listEntityResources(
        'component:default/rewards-points',
      ),
    };

    // The account-region starts answering, then fails after six calls.
    emulator.setFaults('222222222222', 'eu-central-1', { FailAfterCalls: 6 });
    const summary = await collector.runCycle();

    expect(
      summary.accountRegions.find(
        r => r.accountId === '222222222222' && r.region === 'eu-central-1',
      ),
    ).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('ServiceUnavailableException'),
    });
    expect(await store.listObjects('recovery_point', scope)).toEqual(
      before.points,
    );
    expect(await store.listObjects('backup_plan', scope)).toEqual(before.plans);
    expect(
      await store.listEntityResources('component:default/rewards-points'),
    ).toEqual(before.mapping);
    expect(
      await store.getAccountRegionState('222222222222', 'eu-central-1'),
    ).toMatchObject({
      stale: true,
      lastError: expect.stringContaining('ServiceUnavailableException'),
    });
    expect(
      await store.getAccountRegionState('111111111111', 'eu-central-1'),
    ).toMatchObject({ stale: false });
  });

  it("stays under an account-region's rate quota with its token buckets, reading the same data", async () => {
    const target = (
      runs: Awaited<ReturnType<DatabaseBackupStore['listRuns']>>,
    ) =>
      runs.find(
        r => r.accountId === '111111111111' && r.region === 'eu-central-1',
      )!;
    // card-transactions' account-regions only: 111111111111 in both regions
    const cardTransactions = {
      entityRefs: ['component:default/card-transactions'],
    };
    // AWS throttles past 1 call a second per operation here
    emulator.setFaults('111111111111', 'eu-central-1', {
      MaxRequestsPerSecond: 1,
    });
    // without buckets to speak of, the vaults read side by side are throttled ...
    const loose = await setup({
      maxAttempts: 20,
      config: { requestsPerSecond: { list: 1000, get: 1000, total: 1000 } },
    });
    const unlimited = target(
      await loose.store.listRuns({
        cycleId: (await loose.collector.runCycle(cardTransactions)).cycleId,
      }),
    );
    expect([unlimited.status, unlimited.error]).toEqual([
      'succeeded',
      undefined,
    ]);
    expect(unlimited.throttles).toBeGreaterThan(0);

    // ... with one call every 2 s per operation, nothing is (the margin absorbs a
    // busy machine's delays between client and emulator)
    emulator.setFaults('111111111111', 'eu-central-1', {
      MaxRequestsPerSecond: 1,
    });
    emulator.resetStats();
    const { collector, store } = await setup({
      config: { requestsPerSecond: { list: 0.5, get: 0.5 } },
    });
    const run = target(
      await store.listRuns({
        cycleId: (await collector.runCycle(cardTransactions)).cycleId,
      }),
    );
    const served = emulator.stats().accountRegions['111111111111/eu-central-1'];
    expect([run.status, run.error]).toEqual(['succeeded', undefined]);
    expect(served.throttled).toBe(0);
    expect(run.throttles).toBe(0);
    expect(run.itemCounts).toEqual(unlimited.itemCounts);
  });

  it('rides out throttling with the SDK retries and records the throttled calls', async () => {
    const { collector, store } = await setup({ maxAttempts: 10 });
    emulator.setFaults('111111111111', 'eu-central-1', {
      ThrottleRate: 0.1,
      ThrottleSeed: 11,
    });
    const summary = await collector.runCycle();

    const run = (await store.listRuns({ cycleId: summary.cycleId })).find(
      r => r.accountId === '111111111111' && r.region === 'eu-central-1',
    )!;
    const served = emulator.stats().accountRegions['111111111111/eu-central-1'];
    expect(run.status).toBe('succeeded');
    expect(served.throttled).toBeGreaterThan(0);
    expect(run.throttles).toBe(served.throttled);
    expect(Object.values(run.apiCalls).reduce((a, b) => a + b, 0)).toBe(
      served.calls,
    );
    expect(await resourcesOf(store, 'payments-ledger')).toHaveLength(1);
  });

  it('collects only the account-regions of one entity on an entity refresh', async () => {
    const { collector } = await setup();
    const summary = await collector.runCycle({
      entityRefs: ['component:default/card-transactions'],
    });
    // card-transactions is limited to account 111111111111 by its annotation.
    expect(
      summary.accountRegions.map(r => `${r.accountId}/${r.region}`).sort(),
    ).toEqual(['111111111111/eu-central-1', '111111111111/eu-west-1']);
  });

  it('runs a full cycle when one is due, else the entities asked for, and never lets an entity refresh take the place of a due full cycle', async () => {
    let now = new Date('2026-12-02T10:00:00Z');
    const { collector, store } = await setup({
      now: () => now,
      config: { schedule: { frequency: { minutes: 60 } } },
    });
    const ask = async (id: string, entityRef?: string) =>
      store.addRefreshRequest({
        id,
        entityRef,
        requestedBy: 'user:default/ops',
        requestedAt: now,
      });

    // nothing has run: the first work is a full cycle
    expect((await collector.runDueWork())?.scope).toBe('full');
    // nothing due, nothing asked for: no cycle, no AWS call
    emulator.resetStats();
    expect(await collector.runDueWork()).toBeUndefined();
    expect(emulator.stats().calls).toBe(0);

    // two entity refreshes together: one cycle over their account-regions
    now = new Date('2026-12-02T10:20:00Z');
    await ask('r1', 'component:default/card-transactions');
    await ask('r2', 'component:default/card-transactions');
    const entities = await collector.runDueWork();
    expect(entities).toMatchObject({ scope: 'entities' });
    expect(entities!.accountRegions).toHaveLength(2);
    expect((await store.getRefreshRequest('r1'))?.cycleId).toBe(
      entities!.cycleId,
    );
    expect((await store.getRefreshRequest('r2'))?.cycleId).toBe(
      entities!.cycleId,
    );

    // an hour after the last full cycle started, an entity refresh waits for the full one
    now = new Date('2026-12-02T11:00:00Z');
    await ask('r3', 'component:default/card-transactions');
    const full = await collector.runDueWork();
    expect(full).toMatchObject({ scope: 'full' });
    expect(full!.accountRegions).toHaveLength(8);
    expect((await store.getRefreshRequest('r3'))?.cycleId).toBe(full!.cycleId);
    expect((await store.listCycles()).map(c => [c.scope, c.status])).toEqual([
      ['full', 'succeeded'],
      ['entities', 'succeeded'],
      ['full', 'succeeded'],
    ]);
  });

  it('records an account-region that hangs past its deadline as failed and completes the others', async () => {
    const { collector, store } = await setup({
      config: { accountRegionTimeout: { seconds: 8 } },
    });
    // one account-region answers every call after a minute
    emulator.setFaults('111111111111', 'eu-west-1', { LatencyMs: 60_000 });
    const summary = await collector.runCycle();

    const hung = summary.accountRegions.filter(r => r.status === 'failed');
    expect(hung.map(r => `${r.accountId}/${r.region}`)).toEqual(
      expect.arrayContaining(['111111111111/eu-west-1']),
    );
    const hungRun = hung.find(r => r.accountId === '111111111111')!;
    expect(hungRun.error).toContain('DeadlineExceeded');
    expect(hungRun.error).toContain('accountRegionTimeout (8 s)');
    // the others were collected (444… is denied by the scenario, as before)
    expect(
      summary.accountRegions.filter(r => r.status === 'succeeded'),
    ).toHaveLength(5);
    expect(
      await store.getAccountRegionState('111111111111', 'eu-west-1'),
    ).toMatchObject({ stale: true });
    expect((await store.getCycle(summary.cycleId))?.status).toBe('succeeded');
  });

  it("stops at the scheduler's abort and records the cycle as failed", async () => {
    const { collector, store } = await setup({
      config: { concurrency: 1 },
    });
    emulator.setFaults('111111111111', 'eu-central-1', { LatencyMs: 60_000 });
    const abort = new AbortController();
    const cycle = collector.runCycle({ signal: abort.signal });
    // abort once the slow account-region's run has started
    await waitUntil(async () =>
      (
        await store.listRuns()
      ).some(r => r.accountId === '111111111111' && r.status === 'running'),
    );
    abort.abort(new Error('the scheduler timed the task out'));
    await expect(cycle).rejects.toThrow(
      'Stopped after 1 of 8 account-regions: Error: the scheduler timed the task out',
    );
    const [recorded] = await store.listCycles();
    expect(recorded).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('the scheduler timed the task out'),
    });
    const runs = await store.listRuns({ cycleId: recorded.id });
    expect(runs.map(r => [r.status, r.error])).toEqual([
      ['failed', expect.stringContaining('the scheduler timed the task out')],
    ]);
  });

  it('says in the run record that a vault was deleted while it was read, and the account-region succeeds', async () => {
    const { collector, store } = await setup();
    emulator.setFaults('222222222222', 'eu-central-1', {
      VanishingVaults: ['lending-vault-unlocked'],
    });
    const summary = await collector.runCycle();
    const [run] = (await store.listRuns({ cycleId: summary.cycleId })).filter(
      r => r.accountId === '222222222222' && r.region === 'eu-central-1',
    );
    expect(run).toMatchObject({
      status: 'succeeded',
      notes: [
        expect.stringContaining(
          'Backup vault lending-vault-unlocked was deleted',
        ),
      ],
    });
    expect(
      (await store.listRuns({ cycleId: summary.cycleId })).filter(r => r.notes),
    ).toHaveLength(1);
  });

  it('records the cycle as failed when a write after collection fails', async () => {
    const { collector, store } = await setup({
      afterCycle: async () => {
        throw new Error('could not write the verdicts: disk full');
      },
    });
    await expect(collector.runCycle()).rejects.toThrow('disk full');
    const [recorded] = await store.listCycles();
    expect(recorded).toMatchObject({
      scope: 'full',
      status: 'failed',
      error: 'Error: could not write the verdicts: disk full',
      finishedAt: expect.any(Date),
    });
  });
});
