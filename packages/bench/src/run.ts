/* eslint-disable no-console */
import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cycleFloorSeconds } from './floor';
import { pageSeconds } from './page';
import {
  cpuSeconds,
  cpuSecondsOf,
  cycleLog,
  rssMb,
  CpuSamples,
  sampleCpu,
  sampleRss,
  start,
  Started,
  until,
} from './processes';
import {
  BenchOptions,
  CycleFigures,
  DatabaseResult,
  CATALOG_READ,
  FLOOR,
  Latency,
} from './types';

/** How long the backend's JavaScript thread is watched between the cycles. */
const IDLE_WINDOW_MS = 15_000;

const EMULATOR_PORT = 4799;
const BACKEND_PORT = 7207;
const BACKEND = `http://localhost:${BACKEND_PORT}`;
/** The second replica, for the shards run on PostgreSQL. */
const SECOND_PORT = 7208;
const EMULATOR = `http://127.0.0.1:${EMULATOR_PORT}`;
const NODE_TRANSFORM = '@backstage/cli-node/config/nodeTransform.cjs';

type Accounts = Array<{
  accountId: string;
  accessKeyId: string;
  regions: string[];
}>;

function backendConfig(
  options: BenchOptions,
  accounts: Accounts,
  database: 'sqlite' | 'postgres',
  prefix: string,
  initialDelaySeconds: number,
  port: number,
  extra: object,
) {
  const base = `http://localhost:${port}`;
  const regions = [...new Set(accounts.flatMap(a => a.regions))].sort();
  const strict = {
    rpoHours: 24,
    rtoMinutes: 240,
    vaultLock: 'compliance',
    encryption: 'customer-managed',
    copies: { crossRegion: true, crossAccount: true },
    restoreTesting: { required: true, maxAgeDays: 30, requireValidation: true },
  };
  return {
    app: { title: 'Benchmark', baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port },
      cors: { origin: base },
      database:
        database === 'sqlite'
          ? {
              client: 'better-sqlite3',
              connection: { directory: join(options.work, `sqlite-${prefix}`) },
            }
          : { client: 'pg', connection: options.postgres, prefix },
    },
    // guest tokens for the benchmark's requests, in a production-mode process
    auth: {
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    catalog: {
      rules: [
        {
          allow: ['Component', 'System', 'Domain', 'Group', 'User', 'Location'],
        },
      ],
      locations: [{ type: 'file', target: join(options.work, 'catalog.yaml') }],
    },
    permission: { enabled: true },
    exampleBackend: { permissionPolicy: options.policy },
    aws: {
      accounts: accounts.map(a => ({
        accountId: a.accountId,
        accessKeyId: a.accessKeyId,
        secretAccessKey: 'emulator',
      })),
    },
    backupCompliance: {
      regions,
      endpoint: EMULATOR,
      concurrency: options.concurrency,
      // the first full cycle when the scheduler starts; then only when asked for
      schedule: {
        frequency: { hours: 24 },
        timeout: { hours: 3 },
        initialDelay: { seconds: initialDelaySeconds },
      },
      accountRegionTimeout: { hours: 1 },
      refresh: {
        fullPerCaller: { seconds: 0 },
        entityPerCaller: { seconds: 0 },
      },
      policies: {
        default: {
          rpoHours: 24,
          rtoMinutes: 480,
          retention: { dailyDays: 30 },
        },
        'transactions-db': {
          ...strict,
          retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
        },
        'rewards-db': {
          ...strict,
          retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 10 },
        },
      },
      ...extra,
    },
  };
}

async function json(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${url}: ${response.status} ${text.slice(
        0,
        300,
      )}`,
    );
  }
  return JSON.parse(text);
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

export async function runOnDatabase(
  options: BenchOptions,
  accounts: Accounts,
  database: 'sqlite' | 'postgres',
): Promise<DatabaseResult> {
  const result: DatabaseResult = {
    database,
    rss: {},
    latencies: [],
    errors: [],
  };
  const prefix = `bench${Date.now()}_`;
  const logs = join(options.work, 'logs');
  await mkdir(logs, { recursive: true });
  const started: Started[] = [];
  try {
    const emulator = start(
      'emulator',
      process.execPath,
      [
        '--require',
        NODE_TRANSFORM,
        'packages/aws-backup-emulator/src/cli.ts',
        'start',
        '--scenario',
        join(options.work, 'scenario.json'),
        '--port',
        String(EMULATOR_PORT),
        '--latency-ms',
        String(options.latencyMs),
        '--max-requests-per-second',
        String(options.awsRate),
      ],
      { cwd: options.root, log: join(logs, `emulator-${database}.log`) },
    );
    started.push(emulator);
    await until(
      'the emulator answering',
      async () =>
        (await fetch(`${EMULATOR}/_emulator/health`)).ok ? true : undefined,
      { timeoutMs: 20 * 60_000, process: emulator },
    );
    console.log(
      `  emulator out of process: ${options.latencyMs} ms per call, ${options.awsRate} calls/s per operation and account-region`,
    );

    const startBackend = async (
      phase: string,
      initialDelaySeconds: number,
      port = BACKEND_PORT,
      extra: object = {},
    ) => {
      const base = `http://localhost:${port}`;
      const configFile = join(
        options.work,
        `app-config.${database}.${phase}.yaml`,
      );
      await writeFile(
        configFile,
        stringify(
          backendConfig(
            options,
            accounts,
            database,
            prefix,
            initialDelaySeconds,
            port,
            extra,
          ),
        ),
      );
      const backend = start(
        `backend (${phase})`,
        process.execPath,
        [
          ...(options.backendHeapMb
            ? [`--max-old-space-size=${options.backendHeapMb}`]
            : []),
          ...(options.backendYoungMb
            ? [`--max-semi-space-size=${options.backendYoungMb}`]
            : []),
          ...(options.profile
            ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`]
            : []),
          '--require',
          NODE_TRANSFORM,
          'src/index.ts',
          '--config',
          configFile,
        ],
        {
          cwd: join(options.root, 'packages/backend'),
          env: { NODE_ENV: 'production' },
          log: join(logs, `backend-${database}-${phase}.log`),
        },
      );
      started.push(backend);
      await until(
        'the backend answering',
        async () =>
          (
            await fetch(`${base}/api/backup-compliance/health`)
          ).ok
            ? true
            : undefined,
        { timeoutMs: 10 * 60_000, process: backend },
      );
      const auth = await json(`${base}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      const headers = {
        authorization: `Bearer ${auth.backstageIdentity.token}`,
        'content-type': 'application/json',
      };
      return { backend, headers };
    };

    // 1. The catalog ingests the org; the scheduler's first cycle is 12 h away.
    const ingesting = await startBackend('catalog', 12 * 3600);
    const ingested = Date.now();
    // as the benchmark's caller sees them: those the policy hides aside
    const visible = options.size.entities - options.hiddenComponents;
    await until(
      `the catalog holding the ${visible} components the benchmark's caller may see`,
      async () => {
        const page = await json(
          `${BACKEND}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
          { headers: ingesting.headers },
        );
        return page.totalItems >= visible ? true : undefined;
      },
      { timeoutMs: 30 * 60_000, process: ingesting.backend, intervalMs: 2000 },
    );
    console.log(
      `  catalog ingested ${visible} components (as the caller sees them) in ${Math.round(
        (Date.now() - ingested) / 1000,
      )} s`,
    );
    // the components, for the history written below (when some is)
    const components =
      options.historyDays > 0 ? await componentRefs(ingesting.headers) : [];
    await ingesting.backend.stop();

    // 1b. Months of history, as a bank's steady state holds them.
    if (options.historyDays > 0) {
      const writing = Date.now();
      await seedHistory(options, database, prefix, components);
      console.log(
        `  ${options.historyDays} days of history for ${
          components.length
        } components written in ${Math.round((Date.now() - writing) / 1000)} s`,
      );
    }

    // 2. The same database, the scheduler starting at once: its first full cycle.
    await fetch(`${EMULATOR}/_emulator/stats`, { method: 'DELETE' });
    const { backend, headers } = await startBackend('cycles', 1);
    const pid = backend.child.pid!;
    const api = (path: string, init: RequestInit = {}) =>
      json(`${BACKEND}/api/backup-compliance${path}`, {
        ...init,
        headers: { ...headers, ...(init.headers ?? {}) },
      });

    // the backend processes whose CPU a cycle counts: one, or both replicas
    let backendPids = [pid];
    let backendLogs = [backend.log];
    const cpu = async () => {
      const sum = (each: Array<number | undefined>) =>
        each.some(c => c === undefined)
          ? undefined
          : each.reduce((total, c) => total! + c!, 0);
      return {
        backend: sum(await Promise.all(backendPids.map(p => cpuSeconds(p)))),
        backendJs: sum(
          await Promise.all(backendPids.map(p => cpuSeconds(p, p))),
        ),
        emulator: await cpuSeconds(emulator.child.pid!),
        // the PostgreSQL server's processes, when it runs on this machine
        database:
          database === 'postgres' ? await cpuSecondsOf('postgres') : undefined,
        bench: await cpuSeconds(process.pid),
      };
    };
    const figuresOf = async (
      cycleId: string,
      cpuBefore: Awaited<ReturnType<typeof cpu>>,
      samples?: { js: CpuSamples; database?: CpuSamples },
    ): Promise<CycleFigures> => {
      const cpuAfter = await cpu();
      const used = (a?: number, b?: number) =>
        a === undefined || b === undefined ? undefined : b - a;
      const collection = await api(
        `/v1/collection?cycleId=${cycleId}&limit=1000`,
      );
      const record = collection.cycles.find((c: any) => c.id === cycleId);
      if (record.status !== 'succeeded') {
        result.errors.push(
          `cycle ${cycleId} ended ${record.status}: ${record.error ?? ''}`,
        );
      }
      const startedAt = Date.parse(record.startedAt);
      const finishedAt = Date.parse(record.finishedAt);
      const collectedAt = Math.max(
        ...collection.runs.map((r: any) =>
          Date.parse(r.finishedAt ?? r.startedAt),
        ),
      );
      const stats = await json(`${EMULATOR}/_emulator/stats`);
      const scorecard = await api('/v1/scorecard?pageSize=1');
      return {
        seconds: (finishedAt - startedAt) / 1000,
        collectSeconds: (collectedAt - startedAt) / 1000,
        evaluateSeconds: (finishedAt - collectedAt) / 1000,
        calls: stats.calls,
        throttled: stats.throttled,
        floorSeconds: cycleFloorSeconds(stats, options),
        entities: scorecard.totalEntities,
        failedAccountRegions: collection.runs.filter(
          (r: any) => r.status !== 'succeeded',
        ).length,
        backendCpu: used(cpuBefore.backend, cpuAfter.backend),
        backendJsCpu: used(cpuBefore.backendJs, cpuAfter.backendJs),
        emulatorCpu: used(cpuBefore.emulator, cpuAfter.emulator),
        databaseCpu: used(cpuBefore.database, cpuAfter.database),
        benchCpu: used(cpuBefore.bench, cpuAfter.bench),
        evaluateJsShare: samples?.js.busyShare(collectedAt, finishedAt),
        evaluateDatabaseShare: samples?.database?.busyShare(
          collectedAt,
          finishedAt,
        ),
        logged: await cycleLog(backendLogs, cycleId),
      };
    };

    result.rss.start = await rssMb(pid);
    const firstCpu = await cpu();
    const firstCycleRss = sampleRss(pid);
    const firstCycleJs = sampleCpu(() => cpuSeconds(pid, pid));
    const firstCycleDatabase =
      database === 'postgres'
        ? sampleCpu(() => cpuSecondsOf('postgres'))
        : undefined;
    const first = await until(
      'the first full cycle',
      async () => {
        const collection = await api('/v1/collection?limit=1');
        const full = collection.cycles.find(
          (c: any) => c.scope === 'full' && c.status !== 'running',
        );
        return full?.id as string | undefined;
      },
      { timeoutMs: 3 * 3600_000, process: backend, intervalMs: 1000 },
    );
    result.rss.cyclePeak = (await firstCycleRss.stop()).peak;
    result.full = await figuresOf(first, firstCpu, {
      js: await firstCycleJs.stop(),
      database: await firstCycleDatabase?.stop(),
    });

    let current = backend;
    const cycle = async (): Promise<CycleFigures> => {
      await fetch(`${EMULATOR}/_emulator/stats`, { method: 'DELETE' });
      const rss = sampleRss(current.child.pid!);
      const before = await cpu();
      const request = await api('/v1/collection/refresh', {
        method: 'POST',
        body: '{}',
      });
      const done = await until(
        'the cycle that took the refresh',
        async () => {
          const r = await api(`/v1/collection/refresh/${request.requestId}`);
          return ['succeeded', 'failed', 'interrupted'].includes(r.status)
            ? r
            : undefined;
        },
        { timeoutMs: 3 * 3600_000, process: current, intervalMs: 1000 },
      );
      const memory = await rss.stop();
      result.rss.cyclePeak = Math.max(result.rss.cyclePeak ?? 0, memory.peak);
      return figuresOf(done.cycleId, before);
    };

    console.log(
      `  full cycle: ${result.full.seconds.toFixed(
        1,
      )} s (collect ${result.full.collectSeconds.toFixed(
        1,
      )} s, join + evaluate ${result.full.evaluateSeconds.toFixed(1)} s), ${
        result.full.calls
      } calls, floor ${result.full.floorSeconds.toFixed(1)} s`,
    );
    const grown = await json(`${EMULATOR}/_emulator/grow?fraction=0.01`, {
      method: 'POST',
    });
    result.incremental = {
      ...(await cycle()),
      grown: grown.recoveryPoints,
    };
    result.rss.idle = await rssMb(pid);
    try {
      result.storage = await storageOf(options, database, prefix);
    } catch (error) {
      result.errors.push(`reading the database's size: ${error}`);
    }
    // What the backend's one JavaScript thread does with no cycle and no request: a
    // measurement window, read from the thread's CPU counters.
    const idleFrom = await cpuSeconds(pid, pid);
    const idleStart = Date.now();
    await new Promise(resolve => setTimeout(resolve, IDLE_WINDOW_MS));
    const idleTo = await cpuSeconds(pid, pid);
    if (idleFrom !== undefined && idleTo !== undefined) {
      result.idleJsShare =
        (idleTo - idleFrom) / ((Date.now() - idleStart) / 1000);
    }
    console.log(
      `  incremental cycle after ${grown.recoveryPoints} new points and ${
        grown.backupJobs
      } jobs: ${result.incremental.seconds.toFixed(
        1,
      )} s (collect ${result.incremental.collectSeconds.toFixed(
        1,
      )} s, join + evaluate ${result.incremental.evaluateSeconds.toFixed(
        1,
      )} s), ${result.incremental.calls} calls`,
    );

    // What a per-entity lookup on page view would call, on the same data: in each
    // account-region holding the entity's resources, its tag lookup, the plans and the
    // vaults; per resource, its points, backup, copy and restore jobs.
    const exported = await api('/v1/scorecard/export?format=json');
    const refs: string[] = exported.items.map((i: any) => i.entityRef);
    let perEntity = 0;
    const queue = [...refs];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let ref = queue.pop(); ref; ref = queue.pop()) {
          const [kind, rest] = ref.split(':');
          const [namespace, name] = rest.split('/');
          const resources = await api(
            `/v1/entities/${namespace}/${kind}/${name}/resources`,
          );
          const places = new Set(
            resources.resources.map((r: any) => `${r.accountId}/${r.region}`),
          );
          perEntity += places.size * 3 + resources.resources.length * 4;
        }
      }),
    );
    result.perEntityCalls = perEntity;

    // HTTP load: each endpoint at 1 and 10 clients.
    const sample = refs.filter(
      (_, i) => i % Math.max(1, Math.floor(refs.length / 50)) === 0,
    );
    const entityPath = (i: number) => {
      const [kind, rest] = sample[i % sample.length].split(':');
      const [namespace, name] = rest.split('/');
      return { kind, namespace, name };
    };
    const ours = '/api/backup-compliance';
    const endpoints: Array<[string, (i: number) => string]> = [
      ['scorecard', () => `${ours}/v1/scorecard`],
      // a search that finds almost nothing: no component's name, owner, system or domain
      // holds "team" (the teams are payments, cards, …)
      [
        'scorecard, filtered',
        () => `${ours}/v1/scorecard?level=non-compliant&q=team`,
      ],
      // and one that finds a third of them: the domains retail- and corporate-banking
      ['scorecard, searched', () => `${ours}/v1/scorecard?q=banking`],
      [
        'scorecard, grouped',
        () => `${ours}/v1/scorecard?groupBy=owner&pageSize=1`,
      ],
      [
        'scorecard export (CSV)',
        () => `${ours}/v1/scorecard/export?format=csv`,
      ],
      // the trend the scorecard page draws on every load
      [
        "scorecard's history, 90 days",
        () => `${ours}/v1/scorecard/history?days=90`,
      ],
      [
        "an entity's verdict",
        i => {
          const { kind, namespace, name } = entityPath(i);
          return `${ours}/v1/entities/${namespace}/${kind}/${name}`;
        },
      ],
      // What Backstage itself costs per request on this machine, to read the figures above
      // against: an authenticated request answered from memory, and the catalog's own read
      // of the same entities.
      [
        `${FLOOR}: an authenticated request answered from memory`,
        () => `${ours}/v1/checks`,
      ],
      [
        CATALOG_READ,
        i => {
          const { kind, namespace, name } = entityPath(i);
          return `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`;
        },
      ],
    ];
    const load = sampleRss(pid);
    for (const clients of [1, 10]) {
      for (const [endpoint, path] of endpoints) {
        const requests = endpoint.includes('export')
          ? Math.max(clients * 2, Math.round(options.requests / 10))
          : options.requests;
        result.latencies.push(
          await measure(endpoint, clients, requests, i =>
            fetch(`${BACKEND}${path(i)}`, {
              headers,
            }).then(async r => {
              await r.arrayBuffer();
              return r.ok;
            }),
          ),
        );
      }
    }
    const memory = await load.stop();
    for (const l of result.latencies.filter(x => x.errors > 0)) {
      result.errors.push(
        `${l.errors} of the requests to ${l.endpoint} at ${l.clients} clients failed`,
      );
    }
    result.rss.loadPeak = memory.peak;
    result.rss.afterLoad = memory.last;

    if (existsSync(join(options.root, 'packages/app/dist/index.html'))) {
      try {
        result.pageSeconds = await pageSeconds(options.chromium, BACKEND);
      } catch (error) {
        result.pageNote = `not measured: ${
          (error as Error).message.split('\n')[0]
        }`;
      }
    } else {
      result.pageNote =
        'not measured: build the app first (yarn workspace app build)';
    }

    // 3. Shards (PostgreSQL, several replicas on one database): the same full cycle with
    // `shards: N`, on one replica, then on N; every account-region read fully each time.
    if (database === 'postgres' && options.replicas > 1) {
      await backend.stop();
      const sharded = {
        shards: options.replicas,
        incremental: { fullResyncEvery: { seconds: 1 } },
      };
      const replicas: Started[] = [];
      result.sharded = [];
      for (let count = 1; count <= options.replicas; count++) {
        const port = count === 1 ? BACKEND_PORT : SECOND_PORT + count - 2;
        const next = await startBackend(`shards-${count}`, 1, port, sharded);
        if (count === 1) Object.assign(headers, next.headers);
        replicas.push(next.backend);
        current = replicas[0];
        backendPids = replicas.map(r => r.child.pid!);
        backendLogs = replicas.map(r => r.log);
        const figures = await cycle();
        const record = (await api('/v1/collection?limit=1')).cycles[0];
        const byReplica = new Map<string, number>();
        for (const shard of record.shards ?? []) {
          byReplica.set(
            shard.replica,
            (byReplica.get(shard.replica) ?? 0) + shard.accountRegions.length,
          );
        }
        result.sharded.push({
          replicas: count,
          shards: options.replicas,
          figures,
          accountRegionsByReplica: [...byReplica.values()].sort(
            (a, b) => b - a,
          ),
        });
        console.log(
          `  ${
            options.replicas
          } shards on ${count} replica(s): ${figures.seconds.toFixed(
            1,
          )} s (collect ${figures.collectSeconds.toFixed(
            1,
          )} s), account-regions per replica ${[...byReplica.values()].join(
            ' + ',
          )}`,
        );
      }
    }
  } catch (error) {
    result.errors.push((error as Error).message);
  } finally {
    for (const p of started.reverse()) await p.stop();
    if (database === 'postgres' && options.postgres) {
      await dropDatabases(options.postgres, prefix);
    }
  }
  return result;
}

async function measure(
  endpoint: string,
  clients: number,
  requests: number,
  call: (i: number) => Promise<boolean>,
): Promise<Latency> {
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < requests; i = next++) {
        const t = performance.now();
        const ok = await call(i).catch(() => false);
        times.push(performance.now() - t);
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    endpoint,
    clients,
    p50: median(times),
    p95: percentile(times, 95),
    perSecond: requests / seconds,
    errors,
  };
}

/** Tables whose size the report shows, beside the database's total. */
const TABLES = [
  'aws_objects',
  'entity_snapshot_days',
  'scorecard_rows',
  'scorecard_days',
  'failing_check_days',
  'entity_history',
];

/** The refs of the catalog's components, a page of 1 000 at a time. */
async function componentRefs(headers: Record<string, string>) {
  const refs: string[] = [];
  let query = 'filter=kind=component&fields=metadata.name,metadata.namespace';
  for (;;) {
    const page = await json(
      `${BACKEND}/api/catalog/entities/by-query?${query}&limit=1000`,
      { headers },
    );
    for (const { metadata } of page.items) {
      refs.push(
        `component:${metadata.namespace ?? 'default'}/${metadata.name}`,
      );
    }
    const cursor = page.pageInfo?.nextCursor;
    if (!cursor) return refs;
    query = `cursor=${encodeURIComponent(cursor)}`;
  }
}

/** The plugin's own database of the run on `database`, as the backend opened it. */
async function pluginDatabase(
  options: BenchOptions,
  database: 'sqlite' | 'postgres',
  prefix: string,
  readonly: boolean,
) {
  const knexFactory = (await import('knex')).default;
  if (database === 'sqlite') {
    const filename = join(
      options.work,
      `sqlite-${prefix}`,
      'backup-compliance.sqlite',
    );
    return {
      filename,
      knex: knexFactory({
        client: 'better-sqlite3',
        connection: { filename, options: { readonly } } as any,
        useNullAsDefault: true,
      }),
    };
  }
  return {
    knex: knexFactory({
      client: 'pg',
      connection: Object.assign(new URL(options.postgres!), {
        pathname: `/${prefix}backup-compliance`,
      }).toString(),
    }),
  };
}

/**
 * `options.historyDays` days of history before today for `refs`, one row per entity per
 * day, written into the plugin's database before the first cycle, as months of daily
 * evaluations leave it: `entity_history`, and each day's head in `history_heads` with the
 * day's levels summed. What chaining each day's rows to the entity's newest one and the
 * scorecard's trend read. The seeded hashes are not a chain (the benchmark never
 * verifies it).
 */
async function seedHistory(
  options: BenchOptions,
  database: 'sqlite' | 'postgres',
  prefix: string,
  refs: string[],
) {
  const { knex } = await pluginDatabase(options, database, prefix, false);
  const levels = ['compliant', 'at-risk', 'non-compliant'];
  const unchained = '0'.repeat(64);
  // SQLite takes 500 rows an INSERT (SQLITE_MAX_COMPOUND_SELECT)
  const perInsert = database === 'sqlite' ? 500 : 5000;
  try {
    for (let d = options.historyDays; d >= 1; d--) {
      const at = new Date(Date.now() - d * 86_400_000);
      const day = at.toISOString().slice(0, 10);
      const rows = refs.map((entity_ref, i) => {
        const level = levels[(i + d) % levels.length];
        return {
          entity_ref,
          day,
          level,
          score: level === 'compliant' ? 100 : 60,
          failing_checks: level === 'non-compliant' ? '["vault-lock"]' : '[]',
          evaluated_at: at,
          prev_hash: unchained,
          hash: unchained,
        };
      });
      // the day's head, with the day's levels summed, as the evaluation's end writes them
      const sums = new Map<string, { n: number; score_sum: number }>();
      for (const row of rows) {
        const sum = sums.get(row.level) ?? { n: 0, score_sum: 0 };
        sum.n += 1;
        sum.score_sum += row.score;
        sums.set(row.level, sum);
      }
      await knex.transaction(async trx => {
        for (let i = 0; i < rows.length; i += perInsert) {
          await trx('entity_history').insert(rows.slice(i, i + perInsert));
        }
        await trx('history_heads').insert({
          day,
          prev_hash: unchained,
          hash: unchained,
          entities: rows.length,
          computed_at: at,
          level_sums: JSON.stringify(
            [...sums].map(([level, { n, score_sum }]) => ({
              level,
              n,
              score_sum,
              scored: n,
            })),
          ),
        });
      });
    }
    // settled, as months of small daily writes leave a table: not vacuumed and analyzed by
    // the server during the cycles measured
    await knex.raw(
      database === 'postgres' ? 'VACUUM ANALYZE entity_history' : 'ANALYZE',
    );
  } finally {
    await knex.destroy();
  }
}

/**
 * The size of the plugin's database and of its main tables: on SQLite from its file and
 * `dbstat`, on PostgreSQL from `pg_total_relation_size` (indexes and TOAST included).
 */
async function storageOf(
  options: BenchOptions,
  database: 'sqlite' | 'postgres',
  prefix: string,
): Promise<DatabaseResult['storage']> {
  const mb = (bytes: unknown) => Number(bytes) / 1e6;
  const { knex, filename } = await pluginDatabase(
    options,
    database,
    prefix,
    true,
  );
  if (filename) {
    try {
      const rows: Array<{ name: string; bytes: number }> = await knex.raw(
        `SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name`,
      );
      const sizeOf = (table: string) =>
        rows
          .filter(
            r =>
              r.name === table ||
              r.name.startsWith(`${table}_`) ||
              r.name.startsWith(`sqlite_autoindex_${table}_`),
          )
          .reduce((sum, r) => sum + mb(r.bytes), 0);
      return {
        totalMb: mb((await stat(filename)).size),
        tables: TABLES.map(name => ({ name, mb: sizeOf(name) })),
      };
    } finally {
      await knex.destroy();
    }
  }
  try {
    const {
      rows: [total],
    } = await knex.raw('SELECT pg_database_size(current_database()) AS bytes');
    const { rows } = await knex.raw(
      `SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relname = ANY(?)`,
      [TABLES],
    );
    const sizeOf = (table: string) =>
      mb(rows.find((r: any) => r.name === table)?.bytes ?? 0);
    return {
      totalMb: mb(total.bytes),
      tables: TABLES.map(name => ({ name, mb: sizeOf(name) })),
    };
  } finally {
    await knex.destroy();
  }
}

async function dropDatabases(connection: string, prefix: string) {
  const knexFactory = (await import('knex')).default;
  const knex = knexFactory({ client: 'pg', connection });
  try {
    const { rows } = await knex.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const row of rows) {
      await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [row.datname]);
    }
  } finally {
    await knex.destroy();
  }
}
