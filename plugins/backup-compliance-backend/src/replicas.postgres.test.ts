import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { splitIntoShards } from './collector/BackupCollector';
import {
  EXAMPLE_ACCOUNTS,
  EXAMPLE_REGIONS,
  EXAMPLE_SCENARIO,
  exampleConfigData,
  exampleEntities,
} from './__testUtils__/exampleWorld';
import { waitUntil } from './__testUtils__/waitUntil';
import { backupCompliancePlugin } from './plugin';

jest.setTimeout(180_000);

// Two backends on one PostgreSQL database, each with its own connection pool and
// Backstage's real scheduler, as two replicas of one deployment are.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const withPostgres =
  databases.eachSupportedId().length > 0 ? describe : describe.skip;

withPostgres('two replicas on one PostgreSQL database', () => {
  let emulator: Emulator;
  const pools: Knex[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: await loadScenario(EXAMPLE_SCENARIO),
    });
  });

  afterAll(async () => {
    await emulator.close();
    await Promise.all(pools.map(pool => pool.destroy()));
  });

  async function replica(
    knex: Knex,
    options: { url?: string; backupCompliance?: object } = {},
  ) {
    return startTestBackend({
      features: [
        backupCompliancePlugin,
        schedulerServiceFactory,
        mockServices.database.factory({ knex }),
        mockServices.permissions.factory(),
        catalogServiceMock.factory({ entities: exampleEntities() }),
        mockServices.rootConfig.factory({
          data: exampleConfigData(options.url ?? emulator.url, {
            // the first full cycle runs at once; refreshes run the others
            schedule: {
              frequency: { hours: 1 },
              initialDelay: { seconds: 1 },
            },
            refresh: { fullPerCaller: 'PT0S', entityPerCaller: 'PT0S' },
            ...options.backupCompliance,
          }),
        }),
      ],
    });
  }

  it('runs one cycle at a time for refreshes fired at both together, without errors, and both answer the same', async () => {
    const first = await databases.init('POSTGRES_15');
    const second = knexFactory({
      client: first.client.config.client,
      connection: first.client.config.connection,
    });
    pools.push(second);
    const replicaA = await replica(first);
    const replicaB = await replica(second);
    const [a, b] = [replicaA.server, replicaB.server];
    const api = '/api/backup-compliance/v1';

    // 20 rounds: a full refresh at one replica and an entity refresh at the other,
    // together; the next round once a cycle has taken these (it may still be running)
    const answers: number[] = [];
    for (let round = 0; round < 20; round++) {
      const [full, entity] = await Promise.all([
        request(round % 2 ? a : b)
          .post(`${api}/collection/refresh`)
          .send({}),
        request(round % 2 ? b : a)
          .post(`${api}/collection/refresh`)
          .send({ entityRef: 'component:default/card-transactions' }),
      ]);
      answers.push(full.status, entity.status);
      for (const { body } of [full, entity]) {
        await waitUntil(
          async () =>
            !!(
              await request(a).get(
                `${api}/collection/refresh/${body.requestId}`,
              )
            ).body.cycleId,
        );
      }
    }
    expect(answers).toEqual(answers.map(() => 202));

    // every request is taken and every cycle ended
    let status: any;
    await waitUntil(async () => {
      status = (await request(a).get(`${api}/collection?limit=1000`)).body;
      return (
        status.pendingRequests === 0 &&
        status.cycles.length > 0 &&
        status.cycles.every((c: any) => c.status !== 'running')
      );
    });

    const cycles = [...status.cycles].sort((x: any, y: any) =>
      x.startedAt.localeCompare(y.startedAt),
    );
    // no cycle failed, and none overlapped another
    expect(cycles.map((c: any) => [c.status, c.error])).toEqual(
      cycles.map(() => ['succeeded', undefined]),
    );
    for (let i = 1; i < cycles.length; i++) {
      expect(Date.parse(cycles[i].startedAt)).toBeGreaterThanOrEqual(
        Date.parse(cycles[i - 1].finishedAt),
      );
    }
    // 40 requests, each round's pair answered by one cycle
    expect(cycles.length).toBeLessThanOrEqual(21);
    expect(status.runs.filter((r: any) => r.status === 'running')).toHaveLength(
      0,
    );

    // both replicas serve the same verdicts
    const [fromA, fromB] = await Promise.all(
      [a, b].map(server =>
        request(server).get(`${api}/scorecard?pageSize=100`),
      ),
    );
    expect(fromA.status).toBe(200);
    expect(fromA.body.totalEntities).toBe(9);
    expect(fromB.body).toEqual(fromA.body);

    // replica A stops: B's scheduler claims the task and answers the next refresh
    await replicaA.stop();
    const last = await request(b).post(`${api}/collection/refresh`).send({});
    expect(last.status).toBe(202);
    let answer: any;
    await waitUntil(async () => {
      answer = (
        await request(b).get(`${api}/collection/refresh/${last.body.requestId}`)
      ).body;
      return ['succeeded', 'failed', 'interrupted'].includes(answer.status);
    });
    expect(answer.status).toBe('succeeded');
    const after = (await request(b).get(`${api}/collection`)).body;
    const lastCycle = after.cycles.find((c: any) => c.id === answer.cycleId);
    const replicas = new Set([...cycles, lastCycle].map((c: any) => c.replica));
    expect(replicas.size).toBe(2);

    // each replica's outcome, for docs/reliability.md
    // eslint-disable-next-line no-console
    console.log(
      `two replicas: 40 refreshes, ${cycles.length} cycles (${
        cycles.filter((c: any) => c.scope === 'full').length
      } full), 0 overlapping, 0 failed; after one replica stopped, the other ran the next`,
    );
  });

  it('shares a full cycle split into two shards between the two replicas, each shard taken by one', async () => {
    // The account-regions of shard 1 answer nothing until the test lets them go: the
    // replica that takes shard 1 is busy, so shard 2 can only go to the other one.
    const held = await startEmulator({
      scenario: await loadScenario(EXAMPLE_SCENARIO),
    });
    const [shardOne] = splitIntoShards(
      EXAMPLE_ACCOUNTS.flatMap(accountId =>
        EXAMPLE_REGIONS.map(region => ({ accountId, region })),
      ),
      2,
    );
    for (const { accountId, region } of shardOne) {
      held.setFaults(accountId, region, { LatencyMs: 3_600_000 });
    }
    const first = await databases.init('POSTGRES_15');
    const second = knexFactory({
      client: first.client.config.client,
      connection: first.client.config.connection,
    });
    pools.push(second);
    const options = { url: held.url, backupCompliance: { shards: 2 } };
    const replicas = [
      await replica(first, options),
      await replica(second, options),
    ];
    const api = '/api/backup-compliance/v1';
    const collection = async () =>
      (await request(replicas[0].server).get(`${api}/collection?limit=1000`))
        .body;
    try {
      // shard 2 is collected while shard 1 is held
      await waitUntil(
        async () =>
          (await collection()).cycles[0]?.shards?.[1]?.status === 'succeeded',
      );
      expect(held.stats().held).toBeGreaterThan(0);
      for (const { accountId, region } of shardOne) {
        held.setFaults(accountId, region, {});
      }
      let status: any;
      await waitUntil(async () => {
        status = await collection();
        return status.cycles[0].status !== 'running';
      });
      const [cycle] = status.cycles;
      expect(cycle.status).toBe('succeeded');
      expect(cycle.shards.map((s: any) => s.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
      expect(cycle.shards[0].replica).not.toBe(cycle.shards[1].replica);
      const runs = status.runs.filter((r: any) => r.cycleId === cycle.id);
      expect(runs).toHaveLength(8);
      expect(new Set(runs.map((r: any) => r.replica)).size).toBe(2);
      for (const run of runs) {
        expect(run.replica).toBe(cycle.shards[run.shard - 1].replica);
      }

      // both replicas serve the verdicts of the one cycle
      const [fromA, fromB] = await Promise.all(
        replicas.map(({ server }) =>
          request(server).get(`${api}/scorecard?pageSize=100`),
        ),
      );
      expect(fromA.body.totalEntities).toBe(9);
      expect(fromB.body).toEqual(fromA.body);
    } finally {
      await Promise.all(replicas.map(r => r.stop()));
      await held.close();
    }
  });
});
