import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Knex } from 'knex';
import { AccountRegionSnapshot } from '../collector/types';
import { DatabaseBackupStore } from './DatabaseBackupStore';
import { databasePerTest } from '../__testUtils__/databasePerTest';

jest.setTimeout(60_000);

const MIGRATIONS = resolvePackagePath(
  '@backup-compliance/backstage-plugin-backend',
  'migrations',
);

/** Runs the plugin's migrations before `migration`, one by one. */
async function migrateUpTo(knex: Knex, migration: string) {
  for (const name of readdirSync(MIGRATIONS).sort()) {
    if (name >= migration) break;
    await knex.migrate.up({ directory: MIGRATIONS, name });
  }
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
/** A database for each test, dropped after it. */
const initDatabase = databasePerTest(databases);

const T0 = new Date('2026-11-26T10:00:00Z');
const hoursAfter = (h: number) => new Date(T0.getTime() + h * 3_600_000);

function snapshot(
  overrides: Partial<AccountRegionSnapshot> = {},
): AccountRegionSnapshot {
  return {
    accountId: '111111111111',
    region: 'eu-central-1',
    mode: 'full',
    resources: [
      {
        arn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
        tags: { app: 'ledger' },
      },
    ],
    protectedResources: [],
    vaults: [{ BackupVaultName: 'vault', Locked: true, LockDate: T0 }],
    recoveryPoints: [
      {
        RecoveryPointArn: 'rp-1',
        ResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
        CreationDate: T0,
      },
    ],
    backupPlans: [],
    backupJobs: [
      { BackupJobId: 'job-1', State: 'COMPLETED', CreationDate: T0 },
    ],
    copyJobs: [],
    restoreJobs: [],
    restoreTestingPlans: [],
    legalHolds: [],
    ...overrides,
  };
}

const counts = { calls: { ListBackupJobs: 2 }, throttles: 1 };

describe.each(databases.eachSupportedId())(
  'DatabaseBackupStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await initDatabase(databaseId);
      return DatabaseBackupStore.create({ knex });
    }

    async function commit(
      store: DatabaseBackupStore,
      id: string,
      snap: AccountRegionSnapshot,
      at: Date,
    ) {
      await store.startRun({
        id,
        cycleId: `cycle-${id}`,
        accountId: snap.accountId,
        region: snap.region,
        mode: snap.mode,
        startedAt: at,
      });
      await store.commitSnapshot(id, snap, counts, hoursAfter(1));
    }

    it('keeps each change for the notifiers once and hands it to one replica, a failed one again when its claim lapses', async () => {
      const store = await createStore();
      const change = (n: number) => ({
        id: `worse|component:default/s${n}|compliant>non-compliant|2026-11-25T10:00:00.000Z`,
        kind: 'worse' as const,
        entityRef: `component:default/s${n}`,
        link: `/catalog/default/component/s${n}/backup`,
        evaluatedAt: T0.toISOString(),
        from: 'compliant' as const,
        to: 'non-compliant' as const,
        checks: [],
      });
      const five = [1, 2, 3, 4, 5].map(change);
      await store.enqueueChanges(five, T0);
      // the same changes again (a second evaluation, another replica): no new rows
      await store.enqueueChanges(five, hoursAfter(1));

      const claim = (replica: string, at: Date) =>
        store.claimChanges({ replica, at, limit: 100, maxAttempts: 2 });
      const [a, b] = await Promise.all([claim('a', T0), claim('b', T0)]);
      expect([...a, ...b].map(c => c.entityRef).sort()).toEqual(
        five.map(c => c.entityRef),
      );
      expect(a[0] ?? b[0]).toEqual(five.find(c => c.id === (a[0] ?? b[0]).id));

      // delivered ones are done; a failed one stays taken until its claim lapses
      for (const c of [...a, ...b].slice(1)) await store.finishChange(c.id, T0);
      const failed = [...a, ...b][0];
      await store.finishChange(failed.id, T0, 'notifications backend down');
      expect(await claim('a', new Date(T0.getTime() + 5 * 60_000))).toEqual([]);
      const again = await claim('b', new Date(T0.getTime() + 11 * 60_000));
      expect(again.map(c => c.id)).toEqual([failed.id]);
      await store.finishChange(failed.id, T0, 'still down');
      // tried twice (maxAttempts): no more
      expect(await claim('a', hoursAfter(1))).toEqual([]);
    });

    it('hands each shard of a running cycle to one replica at a time, and a stale one to another', async () => {
      const store = await createStore();
      const part = (n: number) => [
        { accountId: `11111111111${n}`, region: 'eu-central-1' },
      ];
      await store.startCycle({ id: 'cycle', scope: 'full', startedAt: T0 });
      await store.createShards('cycle', [part(1), part(2)]);
      const claim = (replica: string, at: Date, shard?: number) =>
        store.claimShard({
          cycleId: 'cycle',
          shard,
          replica,
          now: at,
          staleBefore: new Date(at.getTime() - 120_000),
        });

      // two replicas asking together get different shards, then none is left
      const [a, b] = await Promise.all([claim('a', T0), claim('b', T0)]);
      expect([a?.shard, b?.shard].sort()).toEqual([1, 2]);
      expect(await claim('c', T0)).toBeUndefined();

      // a shard whose replica keeps its heartbeat is not taken; a stale one is
      const ofA = a!.shard;
      const later = hoursAfter(0.01); // 36 s
      expect(await store.heartbeatShard('cycle', ofA, 'a', later)).toBe(true);
      const muchLater = hoursAfter(0.05); // 3 min: a beat 36 s ago is stale, and b's too
      expect(await claim('c', hoursAfter(0.02), ofA)).toBeUndefined();
      expect((await claim('c', muchLater, ofA))?.replica).toBe('c');
      expect(await store.heartbeatShard('cycle', ofA, 'a', muchLater)).toBe(
        false,
      );
      // only the replica holding it finishes it
      await store.finishShard(
        'cycle',
        ofA,
        'a',
        { status: 'failed' },
        muchLater,
      );
      await store.finishShard(
        'cycle',
        ofA,
        'c',
        { status: 'succeeded' },
        muchLater,
      );
      expect(
        (await store.listShards('cycle')).find(s => s.shard === ofA),
      ).toMatchObject({ status: 'succeeded', replica: 'c' });

      // a cycle that ended hands out no shard
      await store.finishCycle('cycle', { status: 'failed' }, muchLater);
      expect(await claim('d', hoursAfter(5))).toBeUndefined();
    });

    it('stores a full snapshot and the run with its call counts', async () => {
      const store = await createStore();
      await commit(store, 'run-1', snapshot(), T0);

      const [vault] = await store.listObjects('vault');
      expect(vault.data).toEqual({
        BackupVaultName: 'vault',
        Locked: true,
        LockDate: T0,
      });
      expect(await store.listObjects('recovery_point')).toHaveLength(1);
      const [run] = await store.listRuns();
      expect(run).toMatchObject({
        id: 'run-1',
        status: 'succeeded',
        mode: 'full',
        apiCalls: { ListBackupJobs: 2 },
        throttles: 1,
        itemCounts: { resource: 1, vault: 1, recovery_point: 1, backup_job: 1 },
        startedAt: T0,
        finishedAt: hoursAfter(1),
      });
      expect(
        await store.getAccountRegionState('111111111111', 'eu-central-1'),
      ).toMatchObject({
        lastSuccessStartedAt: T0,
        lastFullStartedAt: T0,
        stale: false,
      });
    });

    it('says whether its statements run in this thread (SQLite) or in a server', async () => {
      const store = await createStore();
      expect(store.inThisThread).toBe(databaseId === 'SQLITE_3');
    });

    it('reads the state of the account-regions asked for, and only theirs', async () => {
      const store = await createStore();
      const pairs = [
        ['111111111111', 'eu-central-1'],
        ['111111111111', 'eu-west-1'],
        ['222222222222', 'eu-central-1'],
        ['222222222222', 'eu-west-1'],
      ];
      for (const [i, [accountId, region]] of pairs.entries()) {
        await commit(
          store,
          `run-${i}`,
          snapshot({ accountId, region }),
          hoursAfter(i),
        );
      }
      const keys = (states: Array<{ accountId: string; region: string }>) =>
        states.map(s => `${s.accountId}/${s.region}`);

      expect(
        keys(
          await store.getAccountRegionStates([
            { accountId: '222222222222', region: 'eu-west-1' },
            { accountId: '111111111111', region: 'eu-central-1' },
            { accountId: '222222222222', region: 'eu-west-1' },
            { accountId: '333333333333', region: 'eu-central-1' },
          ]),
        ),
      ).toEqual(['111111111111/eu-central-1', '222222222222/eu-west-1']);
      expect(await store.getAccountRegionStates([])).toEqual([]);
      expect(keys(await store.getAccountRegionStates())).toEqual(
        pairs.map(p => p.join('/')),
      );
      expect(
        await store.getAccountRegionState('222222222222', 'eu-central-1'),
      ).toMatchObject({
        accountId: '222222222222',
        region: 'eu-central-1',
        lastSuccessStartedAt: hoursAfter(2),
      });
      expect(
        await store.getAccountRegionState('333333333333', 'eu-central-1'),
      ).toBeUndefined();
    });

    it('reads the objects of many resources by ARN, in one order, with their times as Dates', async () => {
      const store = await createStore();
      const arn = (i: number) =>
        `arn:aws:rds:eu-central-1:111111111111:db:svc-${String(i).padStart(
          4,
          '0',
        )}`;
      // more ARNs than one query takes: the store splits them and merges the answers
      const points = Array.from({ length: 2500 }, (_, i) => ({
        RecoveryPointArn: `rp-${String(2499 - i).padStart(4, '0')}`,
        ResourceArn: arn(i),
        CreationDate: hoursAfter(i),
        CalculatedLifecycle: { DeleteAt: hoursAfter(i + 24) },
        Tags: ['2026-11-26T10:00:00Z-ish', '2026-11-26T10:00:00Z'],
      }));
      await commit(store, 'run-1', snapshot({ recoveryPoints: points }), T0);
      const wanted = Array.from({ length: 2400 }, (_, i) => arn(i + 50));
      const found = await store.listObjects('recovery_point', {
        resourceArns: wanted,
      });
      expect(found).toHaveLength(2400);
      // by resource, however many queries it took
      const resources = found.map(p => p.data.ResourceArn);
      expect(resources).toEqual([...wanted].sort());
      const first = found.find(p => p.data.ResourceArn === arn(50))!;
      expect(first.data).toEqual({
        RecoveryPointArn: 'rp-2449',
        ResourceArn: arn(50),
        CreationDate: hoursAfter(50),
        CalculatedLifecycle: { DeleteAt: hoursAfter(74) },
        // times come back as times, and text as text, even text that reads like a time
        Tags: ['2026-11-26T10:00:00Z-ish', '2026-11-26T10:00:00Z'],
      });
    });

    it("stores a resource's points compressed with LZ4 on PostgreSQL, and reads them back the same", async () => {
      const knex = await initDatabase(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      const resource = 'arn:aws:rds:eu-central-1:111111111111:db:ledger';
      // one resource's row well over PostgreSQL's 2 KB: stored compressed
      const points = Array.from({ length: 200 }, (_, i) => ({
        RecoveryPointArn: `rp-${String(i).padStart(4, '0')}`,
        ResourceArn: resource,
        CreationDate: hoursAfter(i),
        Status: i % 7 ? ('COMPLETED' as const) : ('PARTIAL' as const),
      }));
      await commit(store, 'run-1', snapshot({ recoveryPoints: points }), T0);
      const found = await store.listObjects('recovery_point', {
        resourceArns: [resource],
      });
      expect(found.map(p => p.data)).toEqual(points);
      if (!databaseId.startsWith('POSTGRES')) return;
      const compression = async () =>
        (
          await knex.raw(
            `SELECT pg_column_compression(data) AS method FROM aws_objects
              WHERE resource_arn = ? AND length(data) > 4000`,
            [resource],
          )
        ).rows.map((r: { method: string }) => r.method);
      expect(await compression()).toEqual(['lz4']);
      // down: what is written next is compressed as the server's default again
      await knex.migrate.down({
        directory: MIGRATIONS,
        name: '20261204000000_lz4_objects.js',
      });
      await commit(store, 'run-2', snapshot({ recoveryPoints: points }), T0);
      expect(await compression()).toEqual(['pglz']);
    });

    it('merges an incremental snapshot: new points and jobs are added, listings replaced', async () => {
      const store = await createStore();
      await commit(store, 'run-1', snapshot(), T0);
      await commit(
        store,
        'run-2',
        snapshot({
          mode: 'incremental',
          vaults: [{ BackupVaultName: 'vault', Locked: false }],
          recoveryPoints: [
            {
              RecoveryPointArn: 'rp-2',
              ResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
              CreationDate: hoursAfter(2),
            },
            {
              RecoveryPointArn: 'rp-3',
              ResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:audit',
              CreationDate: hoursAfter(2),
            },
            // read again (the overlap): one point, in its newer state
            {
              RecoveryPointArn: 'rp-1',
              ResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
              CreationDate: T0,
              Status: 'COMPLETED',
            },
          ],
          backupJobs: [
            {
              BackupJobId: 'job-1',
              State: 'COMPLETED',
              CreationDate: T0,
              PercentDone: '100',
            },
          ],
        }),
        hoursAfter(3),
      );
      const points = await store.listObjects('recovery_point');
      expect(points.map(o => o.key)).toEqual(['rp-3', 'rp-1', 'rp-2']);
      expect(points[1].data.Status).toBe('COMPLETED');
      expect(
        await store.listObjects('recovery_point', {
          resourceArns: ['arn:aws:rds:eu-central-1:111111111111:db:ledger'],
        }),
      ).toHaveLength(2);
      expect(
        (await store.listRuns()).find(r => r.id === 'run-2')?.itemCounts,
      ).toMatchObject({ recovery_point: 3, backup_job: 1 });
      expect((await store.listObjects('vault'))[0].data.Locked).toBe(false);
      const jobs = await store.listObjects('backup_job');
      expect(jobs).toHaveLength(1);
      expect(jobs[0].data.PercentDone).toBe('100');
      expect(
        await store.getAccountRegionState('111111111111', 'eu-central-1'),
      ).toMatchObject({
        lastSuccessStartedAt: hoursAfter(3),
        lastFullStartedAt: T0,
      });
    });

    it('replaces everything on the next full snapshot, dropping what AWS no longer has', async () => {
      const store = await createStore();
      await commit(store, 'run-1', snapshot(), T0);
      await commit(
        store,
        'run-2',
        snapshot({ recoveryPoints: [], backupJobs: [] }),
        hoursAfter(24),
      );
      expect(await store.listObjects('recovery_point')).toEqual([]);
      expect(await store.listObjects('backup_job')).toEqual([]);
    });

    it('keeps test restores older than what a full snapshot read: AWS stops listing them, the evidence stays', async () => {
      const store = await createStore();
      const test = (id: string, daysBeforeT0: number) => ({
        RestoreJobId: id,
        Status: 'COMPLETED' as const,
        SourceResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
        CreationDate: new Date(T0.getTime() - daysBeforeT0 * 86_400_000),
      });
      await commit(
        store,
        'run-1',
        snapshot({
          restoreJobsSince: new Date(T0.getTime() - 30 * 86_400_000),
          restoreJobs: [test('tested-200-days-ago', 200), test('gone', 10)],
        }),
        T0,
      );
      // AWS lists neither any more; the new read starts 30 days back.
      await commit(
        store,
        'run-2',
        snapshot({
          restoreJobsSince: new Date(T0.getTime() - 30 * 86_400_000),
          restoreJobs: [test('new', 1)],
        }),
        hoursAfter(24),
      );
      expect(
        (await store.listObjects('restore_job')).map(o => o.key).sort(),
      ).toEqual(['new', 'tested-200-days-ago']);
      // Without a bound, a full snapshot replaces them all.
      await commit(store, 'run-3', snapshot(), hoursAfter(48));
      expect(await store.listObjects('restore_job')).toEqual([]);
    });

    it('keeps the previous data of a failed run and marks it stale', async () => {
      const store = await createStore();
      await commit(store, 'run-1', snapshot(), T0);
      await store.startRun({
        id: 'run-2',
        cycleId: 'c2',
        accountId: '111111111111',
        region: 'eu-central-1',
        mode: 'incremental',
        startedAt: hoursAfter(2),
      });
      await store.failRun(
        'run-2',
        'ThrottlingException: Rate exceeded',
        counts,
        hoursAfter(3),
      );

      expect(await store.listObjects('recovery_point')).toHaveLength(1);
      expect(
        await store.getAccountRegionState('111111111111', 'eu-central-1'),
      ).toMatchObject({
        stale: true,
        lastError: 'ThrottlingException: Rate exceeded',
        lastSuccessStartedAt: T0,
        lastAttemptAt: hoursAfter(2),
      });
      expect((await store.listRuns({ cycleId: 'c2' }))[0]).toMatchObject({
        status: 'failed',
        error: 'ThrottlingException: Rate exceeded',
      });
    });

    it('closes runs a stopped backend left running as interrupted, and only those', async () => {
      const store = await createStore();
      await commit(store, 'run-1', snapshot(), T0);
      for (const [id, startedAt] of [
        ['killed', hoursAfter(1)],
        ['live', hoursAfter(3)],
      ] as const) {
        await store.startRun({
          id,
          cycleId: id,
          accountId: '111111111111',
          region: id === 'killed' ? 'eu-central-1' : 'eu-west-1',
          mode: 'incremental',
          startedAt,
        });
      }
      expect(await store.interruptRuns(hoursAfter(2), hoursAfter(4))).toBe(1);
      const runs = await store.listRuns();
      expect(runs.find(r => r.id === 'killed')).toMatchObject({
        status: 'interrupted',
        finishedAt: hoursAfter(4),
        error: expect.stringContaining('Interrupted'),
      });
      expect(runs.find(r => r.id === 'live')?.status).toBe('running');
      expect(
        await store.getAccountRegionState('111111111111', 'eu-central-1'),
      ).toMatchObject({
        stale: true,
        lastSuccessStartedAt: T0,
        lastError: expect.stringContaining('Interrupted'),
      });
      expect(await store.listObjects('recovery_point')).toHaveLength(1);
      // closed runs are finished: pruning takes them like any other
      expect(await store.pruneRuns(hoursAfter(2))).toBe(2);
      expect(await store.interruptRuns(hoursAfter(2), hoursAfter(4))).toBe(0);
    });

    it('prunes finished runs older than a date, and only those', async () => {
      const store = await createStore();
      await commit(store, 'old', snapshot(), T0);
      await commit(store, 'new', snapshot(), hoursAfter(48));
      await store.startRun({
        id: 'running',
        cycleId: 'c',
        accountId: '111111111111',
        region: 'eu-west-1',
        mode: 'full',
        startedAt: T0,
      });
      expect(await store.pruneRuns(hoursAfter(24))).toBe(1);
      expect((await store.listRuns()).map(r => r.id).sort()).toEqual([
        'new',
        'running',
      ]);
    });

    it('keeps account-regions apart', async () => {
      const store = await createStore();
      await commit(store, 'run-1', snapshot(), T0);
      await commit(
        store,
        'run-2',
        snapshot({ region: 'eu-west-1', recoveryPoints: [] }),
        T0,
      );
      expect(
        await store.listObjects('recovery_point', { region: 'eu-central-1' }),
      ).toHaveLength(1);
      expect(
        await store.listObjects('recovery_point', { region: 'eu-west-1' }),
      ).toHaveLength(0);
    });

    it('replaces the entities and their resources', async () => {
      const store = await createStore();
      await store.replaceEntities(
        [
          {
            entityRef: 'component:default/ledger',
            annotations: { resourceTags: { app: 'ledger' } },
          },
          {
            entityRef: 'component:default/fx',
            problems: [{ annotation: 'a', value: 'v', message: 'm' }],
          },
        ],
        [
          {
            entityRef: 'component:default/ledger',
            accountId: '111111111111',
            region: 'eu-central-1',
            resourceArn: 'arn:1',
          },
        ],
      );
      await store.replaceEntities(
        [
          {
            entityRef: 'component:default/ledger',
            annotations: { resourceTags: { app: 'ledger' } },
          },
        ],
        [],
      );
      expect(await store.listEntities()).toEqual([
        {
          entityRef: 'component:default/ledger',
          annotations: { resourceTags: { app: 'ledger' } },
          problems: undefined,
        },
      ]);
      expect(await store.listEntityResources()).toEqual([]);
    });

    it('replaces the entities even when two writes fall in the same millisecond', async () => {
      const store = await createStore();
      // Only the clock stands still; timers and I/O run as usual.
      jest.useFakeTimers({
        now: T0,
        doNotFake: [
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'clearImmediate',
          'nextTick',
          'queueMicrotask',
          'hrtime',
          'performance',
        ],
      });
      try {
        await store.replaceEntities(
          [
            { entityRef: 'component:default/ledger' },
            { entityRef: 'component:default/fx' },
          ],
          [],
        );
        await store.replaceEntities(
          [{ entityRef: 'component:default/ledger' }],
          [],
        );
      } finally {
        jest.useRealTimers();
      }
      expect((await store.listEntities()).map(e => e.entityRef)).toEqual([
        'component:default/ledger',
      ]);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the grouped objects migration on %s',
  databaseId => {
    it('turns the rows of each recovery point and job into a row per resource, and back', async () => {
      const knex = await initDatabase(databaseId);
      const grouped = '20261203060000_grouped_objects.js';
      await migrateUpTo(knex, grouped);
      const ledger = 'arn:aws:rds:eu-central-1:111111111111:db:ledger';
      const before = [
        ['recovery_point', 'rp-2', ledger, hoursAfter(2)],
        ['recovery_point', 'rp-1', ledger, T0],
        ['recovery_point', 'rp-9', 'arn:aws:s3:::audit', T0],
        ['backup_job', 'job-1', ledger, T0],
        ['vault', 'vault', null, T0],
      ] as const;
      await knex('aws_objects').insert(
        before.map(([kind, key, arn, at]) => ({
          account_id: '111111111111',
          region: 'eu-central-1',
          kind,
          object_key: key,
          resource_arn: arn,
          created_at: at,
          data: JSON.stringify({
            [kind === 'backup_job' ? 'BackupJobId' : 'RecoveryPointArn']: key,
            ResourceArn: arn,
            CreationDate: at.toISOString(),
          }),
        })),
      );

      const store = await DatabaseBackupStore.create({ knex });
      const rows = await knex('aws_objects')
        .select('kind', 'object_key')
        .orderBy(['kind', 'object_key']);
      expect(rows).toEqual([
        { kind: 'backup_job_group', object_key: ledger },
        { kind: 'recovery_point_group', object_key: ledger },
        { kind: 'recovery_point_group', object_key: 'arn:aws:s3:::audit' },
        { kind: 'vault', object_key: 'vault' },
      ]);
      const points = await store.listObjects('recovery_point', {
        resourceArns: [ledger],
      });
      expect(points.map(p => [p.key, p.data.CreationDate])).toEqual([
        ['rp-1', T0],
        ['rp-2', hoursAfter(2)],
      ]);
      expect(await store.listObjects('backup_job')).toHaveLength(1);

      await knex.migrate.down({ directory: MIGRATIONS, name: grouped });
      expect(
        (
          await knex('aws_objects')
            .select('kind', 'object_key')
            .orderBy(['kind', 'object_key'])
        ).map(r => `${r.kind} ${r.object_key}`),
      ).toEqual([
        'backup_job job-1',
        'recovery_point rp-1',
        'recovery_point rp-2',
        'recovery_point rp-9',
        'vault vault',
      ]);
      await knex.destroy();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the verdicts in days migration on %s',
  databaseId => {
    it('keeps each current verdict once, in its day, and restores the old table on the way down', async () => {
      const knex = await initDatabase(databaseId);
      const migration = '20261203070000_verdicts_in_days.js';
      await migrateUpTo(knex, migration);
      const verdict = (entityRef: string, at: Date, level: string) => ({
        entityRef,
        evaluatedAt: at.toISOString(),
        level,
        checks: [],
      });
      const alpha = 'component:default/alpha';
      const bravo = 'component:default/bravo';
      // More entities than the migration's page, judged half an hour before midnight (UTC).
      const lateInTheDay = new Date('2026-11-27T23:30:00Z');
      const many = Array.from({ length: 450 }, (_, i) =>
        verdict(
          `component:default/service-${String(i).padStart(3, '0')}`,
          lateInTheDay,
          'at-risk',
        ),
      );
      const current = [
        verdict(alpha, hoursAfter(24), 'compliant'),
        verdict(bravo, hoursAfter(1), 'non-compliant'),
        ...many,
      ];
      // Bravo's scorecard row a day behind its verdict: the verdict's own day counts.
      const scorecardTime = (v: (typeof current)[number]) =>
        v.entityRef === bravo ? hoursAfter(-11) : new Date(v.evaluatedAt);
      for (let i = 0; i < current.length; i += 100) {
        const chunk = current.slice(i, i + 100);
        await knex('entity_snapshots').insert(
          chunk.map(v => ({
            entity_ref: v.entityRef,
            evaluated_at: new Date(v.evaluatedAt),
            level: v.level,
            score: 50,
            snapshot: JSON.stringify(v),
          })),
        );
        await knex('scorecard_rows').insert(
          chunk.map(v => ({
            entity_ref: v.entityRef,
            evaluated_at: scorecardTime(v),
            level: v.level,
            level_rank: 0,
            score: 50,
            search: v.entityRef,
            brief: '{}',
          })),
        );
      }
      // Alpha's older day, and a row of its current day that an earlier version left
      // behind with another verdict: the current verdict wins its day.
      for (const [day, v] of [
        ['2026-11-26', verdict(alpha, T0, 'at-risk')],
        ['2026-11-27', verdict(alpha, hoursAfter(20), 'unknown')],
      ] as const) {
        await knex('entity_snapshot_days').insert({
          entity_ref: alpha,
          day,
          evaluated_at: new Date(v.evaluatedAt),
          snapshot: gzipSync(JSON.stringify(v)),
        });
      }

      const store = await DatabaseBackupStore.create({ knex });
      expect(await knex.schema.hasTable('entity_snapshots')).toBe(false);
      expect(await store.getSnapshot(alpha)).toEqual(current[0]);
      expect(await store.getSnapshot(bravo)).toEqual(current[1]);
      expect(await store.getSnapshot(many[449].entityRef)).toEqual(many[449]);
      expect(await store.listSnapshots()).toEqual(current);
      expect(
        await knex('entity_snapshot_days')
          .where({ day: '2026-11-27' })
          .count({ n: '*' })
          .first()
          .then(row => Number(row?.n)),
      ).toBe(451);
      expect((await store.getSnapshotAsOf(alpha, '2026-11-26'))?.level).toBe(
        'at-risk',
      );
      expect(
        [...(await store.levelsOf([alpha, bravo]))].map(([ref, l]) => [
          ref,
          l.level,
        ]),
      ).toEqual([
        [alpha, 'compliant'],
        [bravo, 'non-compliant'],
      ]);

      await knex.migrate.down({ directory: MIGRATIONS, name: migration });
      const restored = await knex('entity_snapshots')
        .orderBy('entity_ref')
        .select('entity_ref', 'evaluated_at', 'level', 'score', 'snapshot');
      expect(
        restored.map(r => [
          r.entity_ref,
          new Date(r.evaluated_at).toISOString(),
          r.level,
          r.score,
          JSON.parse(r.snapshot),
        ]),
      ).toEqual(current.map(v => [v.entityRef, v.evaluatedAt, v.level, 50, v]));
      expect(await knex.schema.hasColumn('scorecard_rows', 'day')).toBe(false);
      await knex.destroy();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the history level sums migration on %s',
  databaseId => {
    it('sums each headed day from its rows as they are, leaves the other days to be summed when asked, and drops the sums on the way down', async () => {
      const knex = await initDatabase(databaseId);
      const migration = '20261204030000_history_level_sums.js';
      await migrateUpTo(knex, migration);
      const row = (
        name: string,
        day: string,
        level: string,
        score: number | null,
      ) => ({
        entity_ref: `component:default/${name}`,
        day,
        level,
        score,
        failing_checks: '[]',
        evaluated_at: new Date(`${day}T12:00:00Z`),
      });
      await knex('entity_history').insert([
        row('alpha', '2026-11-30', 'compliant', 100),
        row('bravo', '2026-11-30', 'non-compliant', 40),
        row('charlie', '2026-11-30', 'non-compliant', 60),
        row('delta', '2026-11-30', 'misconfigured', null),
        // a day no evaluation ended: no head
        row('alpha', '2026-12-01', 'at-risk', 80),
      ]);
      await knex('history_heads').insert({
        day: '2026-11-30',
        prev_hash: '0'.repeat(64),
        hash: 'f'.repeat(64),
        entities: 4,
        computed_at: new Date('2026-11-30T12:00:00Z'),
      });

      const store = await DatabaseBackupStore.create({ knex });
      const heads = await knex('history_heads').select('day', 'level_sums');
      expect(
        heads.map(h => [
          h.day,
          JSON.parse(h.level_sums).sort((a: any, b: any) =>
            a.level.localeCompare(b.level),
          ),
        ]),
      ).toEqual([
        [
          '2026-11-30',
          [
            { level: 'compliant', n: 1, score_sum: 100, scored: 1 },
            { level: 'misconfigured', n: 1, score_sum: null, scored: 0 },
            { level: 'non-compliant', n: 2, score_sum: 100, scored: 2 },
          ],
        ],
      ]);
      const everyone = ['alpha', 'bravo', 'charlie', 'delta'].map(
        n => `component:default/${n}`,
      );
      const expected = [
        {
          day: '2026-11-30',
          entities: 4,
          levels: { compliant: 1, 'non-compliant': 2, misconfigured: 1 },
          averageScore: 67,
        },
        {
          day: '2026-12-01',
          entities: 1,
          levels: { 'at-risk': 1 },
          averageScore: 80,
        },
      ];
      expect(await store.historySummary('2026-11-01', 'all')).toEqual(expected);
      expect(await store.historySummary('2026-11-01', everyone)).toEqual(
        expected,
      );

      await knex.migrate.down({ directory: MIGRATIONS, name: migration });
      expect(await knex.schema.hasColumn('history_heads', 'level_sums')).toBe(
        false,
      );
      await knex.destroy();
    });
  },
);
