/* eslint-disable no-console */
// Benchmark: a synthetic org (the emulator's generator) collected, evaluated and
// served, with the figures printed. Run from the repository root:
//   yarn workspace @backup-compliance/backstage-plugin-backend benchmark \
//     --entities 5000 --resources 20000 --account-regions 60 --recovery-points 300000 \
//     [--latency-ms 100] [--concurrency 4] [--aws-rate 20] [--profile] [--allocations] [--history-days 0]
//     [--sqlite-file <path> | --postgres <url> [--keep-database]] [--log] [--notify]
// --latency-ms delays every emulator answer, as AWS's round trips do; --aws-rate makes
// the emulator throttle past that many calls per second per operation and account-region.
// --log prints the collector's and the evaluation's own log lines (how long the join took,
// how long judging waited on the database); --notify adds a notifier, as a backend with a
// notifications module has.
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  generateSyntheticOrg,
  parseScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import knexFactory from 'knex';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createAwsClients } from '../src/collector/awsClients';
import { BackupCollector } from '../src/collector/BackupCollector';
import { BUILT_IN_RESOURCE_CHECKS } from '../src/compliance/builtInChecks';
import { readBackupComplianceConfig } from '../src/config/readBackupComplianceConfig';
import { DatabaseBackupStore } from '../src/database/DatabaseBackupStore';
import { ComplianceRunner } from '../src/service/ComplianceRunner';
import { parseScorecardQuery } from '../src/service/scorecard';

function flag(name: string, fallback: number) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const MB = 1024 * 1024;

/** Writes a phase's profile to `benchmark-<phase>.<extension>` and ends its session. */
function writePhaseFile(
  session: Session,
  label: string,
  extension: string,
  what: string,
  profile: unknown,
) {
  const file = `benchmark-${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.${extension}`;
  writeFileSync(file, JSON.stringify(profile));
  console.log(`  ${what}: ${file}`);
  session.disconnect();
}

/** With `--profile`, each phase's CPU profile is written to `benchmark-<phase>.cpuprofile`. */
async function startProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (label: string) => {
    const { profile } = await session.post('Profiler.stop');
    writePhaseFile(session, label, 'cpuprofile', 'CPU profile', profile);
  };
}

/**
 * With `--allocations`, what each phase allocated, sampled (every 64 KB, the objects the
 * garbage collector took back included), to `benchmark-<phase>.heapprofile`: what makes the
 * garbage collector work.
 */
async function startAllocationProfile() {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 65536,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as any);
  return async (label: string) => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writePhaseFile(
      session,
      label,
      'heapprofile',
      'allocation profile',
      profile,
    );
  };
}

/**
 * Times a phase and samples the heap while it runs: the peak above the heap at its start is
 * what the phase holds (the emulator shares this process, so RSS would count its data too).
 */
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const profiled = process.argv.includes('--profile')
    ? await startProfile()
    : undefined;
  const allocations = process.argv.includes('--allocations')
    ? await startAllocationProfile()
    : undefined;
  const started = performance.now();
  const heapAtStart = process.memoryUsage().heapUsed;
  let peak = heapAtStart;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  const result = await fn();
  clearInterval(sampler);
  await profiled?.(label);
  await allocations?.(label);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  console.log(
    `${label}: ${((performance.now() - started) / 1000).toFixed(2)} s, heap +${(
      (peak - heapAtStart) /
      MB
    ).toFixed(0)} MB at peak`,
  );
  return result;
}

async function main() {
  const options = {
    entities: flag('entities', 1000),
    resources: flag('resources', 4000),
    accountRegions: flag('account-regions', 12),
    recoveryPoints: flag('recovery-points', 60000),
    seed: flag('seed', 1),
  };
  const latencyMs = flag('latency-ms', 0);
  const concurrency = flag('concurrency', 8);
  const awsRate = flag('aws-rate', 0);
  console.log(`Synthetic org: ${JSON.stringify(options)}`);
  const org = generateSyntheticOrg(options);
  const scenario = await timed('Scenario loaded', async () =>
    parseScenario(org.scenario),
  );
  const emulator = await startEmulator({ scenario });
  for (const account of scenario.accounts) {
    for (const region of account.regions.keys()) {
      emulator.setFaults(account.accountId, region, {
        ...(latencyMs ? { LatencyMs: latencyMs } : {}),
        ...(awsRate ? { MaxRequestsPerSecond: awsRate } : {}),
      });
    }
  }
  console.log(
    `Emulator: ${latencyMs} ms per call${
      awsRate ? `, throttling past ${awsRate} calls/s per operation` : ''
    }; collector concurrency ${concurrency}`,
  );
  const accounts = scenario.accounts.map(a => a.accountId);
  const regions = [
    ...new Set(scenario.accounts.flatMap(a => [...a.regions.keys()])),
  ];
  const config = readBackupComplianceConfig(
    mockServices.rootConfig({
      data: {
        aws: {
          accounts: accounts.map(accountId => ({
            accountId,
            accessKeyId: `AKID${accountId}`,
            secretAccessKey: 'x',
          })),
        },
        backupCompliance: {
          regions,
          endpoint: emulator.url,
          concurrency,
          policies: {
            'transactions-db': {
              retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
            },
            'rewards-db': {
              retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 10 },
            },
          },
        },
      },
    }),
  );
  // --sqlite-file <path>: SQLite in a file, as the backend keeps it (default: in memory);
  // --postgres <url>: a fresh database on that PostgreSQL server instead
  const fileArg = process.argv.indexOf('--sqlite-file');
  const postgresArg = process.argv.indexOf('--postgres');
  let knex;
  let dropDatabase = async () => {};
  if (postgresArg > 0) {
    const server = process.argv[postgresArg + 1];
    const database = `backup_compliance_bench_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: server });
    await admin.raw(`CREATE DATABASE ${database}`);
    await admin.destroy();
    const url = new URL(server);
    url.pathname = `/${database}`;
    knex = knexFactory({ client: 'pg', connection: url.toString() });
    // dropped at the end (a bank-size run leaves about 300 MB), unless --keep-database
    console.log(`PostgreSQL database ${database}`);
    if (!process.argv.includes('--keep-database')) {
      dropDatabase = async () => {
        const again = knexFactory({ client: 'pg', connection: server });
        await again.raw(`DROP DATABASE ${database}`);
        await again.destroy();
      };
    }
  } else {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection:
        fileArg > 0 ? { filename: process.argv[fileArg + 1] } : ':memory:',
      useNullAsDefault: true,
    });
  }
  const store = await DatabaseBackupStore.create({ knex });
  const quiet = () => {};
  const logger: any = {
    info: process.argv.includes('--log')
      ? (m: string) => console.log(`  ${m}`)
      : quiet,
    debug: quiet,
    warn: (m: string) => console.warn(m),
    error: (m: string) => console.error(m),
    child: () => logger,
  };
  const runner = new ComplianceRunner({
    config,
    store,
    logger,
    checks: () => BUILT_IN_RESOURCE_CHECKS,
    waivers: [],
    // --notify: a notifications module listens, as in a backend that installs one, so
    // each batch also reads the previous levels and keeps the changes to tell
    notifiers: process.argv.includes('--notify')
      ? () => [{ notify: async () => {} }]
      : undefined,
  });
  const collector = new BackupCollector({
    config,
    logger,
    catalog: catalogServiceMock({ entities: org.catalog as any }),
    auth: mockServices.auth(),
    store,
    clients: async ({ accountId, region }, counter) =>
      createAwsClients({
        region,
        credentials: async () => ({
          accessKeyId: `AKID${accountId}`,
          secretAccessKey: 'x',
        }),
        endpoint: emulator.url,
        counter,
      }),
  });

  const full = await timed('Full cycle (collect + join)', () =>
    collector.runCycle(),
  );
  console.log(
    `  account-regions: ${full.accountRegions.length}, failed: ${
      full.accountRegions.filter(r => r.status === 'failed').length
    }`,
  );
  console.log(
    `  API calls: ${emulator.stats().calls} (${JSON.stringify(
      emulator.stats().operations.ListRecoveryPointsByBackupVault?.calls,
    )} ListRecoveryPointsByBackupVault), throttled: ${
      emulator.stats().throttled
    }`,
  );
  const stored = await knex('aws_objects')
    .select('kind')
    .count({ rows: '*' })
    .sum({ bytes: knex.raw('length(data)') })
    .groupBy('kind')
    .orderBy('kind');
  console.log(
    `  stored: ${stored
      .map(
        (s: any) =>
          `${s.kind} ${s.rows} rows, ${Math.round(Number(s.bytes) / 1e6)} MB`,
      )
      .join('; ')}`,
  );
  // --history-days N: N days of history before today, one row per entity per day, as
  // months of daily evaluations leave them (what chaining a day's rows reads)
  const historyDays = flag('history-days', 0);
  if (historyDays > 0) {
    const refs = (await store.listEntities()).map(e => e.entityRef);
    for (let d = historyDays; d >= 1; d--) {
      const at = new Date(Date.now() - d * 86_400_000);
      const rows = refs.map(entity_ref => ({
        entity_ref,
        day: at.toISOString().slice(0, 10),
        level: 'compliant',
        score: 100,
        failing_checks: '[]',
        evaluated_at: at,
        prev_hash: '0'.repeat(64),
        hash: '0'.repeat(64),
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await knex('entity_history').insert(rows.slice(i, i + 500));
      }
    }
    await knex.raw(
      postgresArg > 0 ? 'VACUUM ANALYZE entity_history' : 'ANALYZE',
    );
    console.log(`  ${historyDays} days of history for ${refs.length} entities`);
  }
  const evaluated = await timed('Evaluation of every entity', () =>
    runner.evaluateAll(),
  );
  console.log(`  entities judged: ${evaluated.entities}`);
  emulator.resetStats();
  await timed('Incremental cycle', () => collector.runCycle());
  console.log(`  API calls: ${emulator.stats().calls}`);
  // as the backend does after each cycle: the day's verdicts written over
  await timed('Evaluation of every entity again, the same day', () =>
    runner.evaluateAll(),
  );
  for (const [label, query] of [
    ['default', {}],
    ['filtered', { level: 'non-compliant', q: 'svc-1' }],
    ['grouped', { groupBy: 'owner' }],
  ] as const) {
    await timed(`Scorecard query, ${label} (first 50 rows and counts)`, () =>
      store.queryScorecard(parseScorecardQuery(query), 'all'),
    );
  }
  await emulator.close();
  await knex.destroy();
  await dropDatabase();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
