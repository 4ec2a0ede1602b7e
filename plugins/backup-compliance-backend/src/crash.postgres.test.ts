import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { BackupCollector } from './collector/BackupCollector';
import { DatabaseBackupStore } from './database/DatabaseBackupStore';
import {
  emulatorClients,
  EXAMPLE_SCENARIO,
  exampleConfig,
  exampleEntities,
} from './__testUtils__/exampleWorld';
import { waitUntil } from './__testUtils__/waitUntil';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const withPostgres =
  databases.eachSupportedId().length > 0 ? describe : describe.skip;

/** The test database's connection as plain JSON (the pool's own holds functions). */
function connectionOf(knex: any) {
  const server = new URL(
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
  );
  return {
    host: server.hostname,
    port: Number(server.port || 5432),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    database: knex.client.config.connection.database,
  };
}

withPostgres('a backend killed mid-cycle, on PostgreSQL', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: await loadScenario(EXAMPLE_SCENARIO),
    });
  });

  afterAll(() => emulator.close());

  it('leaves runs that the next backend closes as interrupted, its data kept, and the next cycle recovers', async () => {
    const knex = await databases.init('POSTGRES_15');
    const store = await DatabaseBackupStore.create({ knex });
    const collector = (config: object = {}) =>
      new BackupCollector({
        config: exampleConfig(emulator.url, config),
        logger: mockServices.logger.mock(),
        catalog: catalogServiceMock({ entities: exampleEntities() }),
        auth: mockServices.auth(),
        store,
        clients: emulatorClients(emulator.url),
      });
    // a first cycle leaves data
    await collector().runCycle();
    const before = await store.listObjects('resource', {
      accountId: '111111111111',
      region: 'eu-central-1',
    });
    expect(before.length).toBeGreaterThan(0);

    // another process collects; one account-region answers after a minute
    emulator.setFaults('111111111111', 'eu-central-1', { LatencyMs: 60_000 });
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        resolve(__dirname, '__testUtils__/collectInChildProcess.ts'),
      ],
      {
        env: {
          ...process.env,
          BACKUP_COMPLIANCE_TEST_DB: JSON.stringify(connectionOf(knex)),
          BACKUP_COMPLIANCE_TEST_EMULATOR: emulator.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const exited = new Promise(r => child.once('exit', r));
    // it is mid-cycle: the slow account-region's run is open, the others are done
    await waitUntil(async () => {
      if (child.exitCode !== null) {
        throw new Error(`the collecting process ended early: ${output}`);
      }
      const runs = await store.listRuns();
      const open = runs.filter(r => r.status === 'running');
      return (
        open.length === 1 &&
        open[0].accountId === '111111111111' &&
        runs.filter(r => r.cycleId === open[0].cycleId).length === 8 &&
        runs
          .filter(r => r.cycleId === open[0].cycleId)
          .every(r => r.status !== 'running' || r === open[0])
      );
    });
    child.kill('SIGKILL');
    await exited;
    const [killedCycle] = await store.listCycles({ limit: 1 });
    expect(killedCycle.status).toBe('running');

    // the next backend (here with a 1 s schedule.timeout) closes what cannot be running
    const next = collector({ schedule: { timeout: { seconds: 1 } } });
    let closed = 0;
    await waitUntil(
      async () => (closed = await next.closeInterruptedRuns()) > 0,
    );
    expect(closed).toBe(1);
    expect(await store.getCycle(killedCycle.id)).toMatchObject({
      status: 'interrupted',
      finishedAt: expect.any(Date),
    });
    const runs = await store.listRuns({ cycleId: killedCycle.id });
    expect(
      runs.filter(r => r.status === 'interrupted').map(r => r.region),
    ).toEqual(['eu-central-1']);
    expect(
      await store.getAccountRegionState('111111111111', 'eu-central-1'),
    ).toMatchObject({
      stale: true,
      lastError: expect.stringMatching(/^Interrupted/),
    });
    // the data from the cycle before stays
    expect(
      await store.listObjects('resource', {
        accountId: '111111111111',
        region: 'eu-central-1',
      }),
    ).toEqual(before);

    // and the next cycle recovers
    emulator.setFaults('111111111111', 'eu-central-1', {});
    const recovered = await collector().runCycle();
    expect(
      recovered.accountRegions.find(
        r => r.accountId === '111111111111' && r.region === 'eu-central-1',
      )?.status,
    ).toBe('succeeded');
    expect(
      await store.getAccountRegionState('111111111111', 'eu-central-1'),
    ).toMatchObject({ stale: false });
  });
});
