/* eslint-disable no-console */
// yarn bench: the synthetic bank (the emulator's generator, fixed seed) served by the
// emulator out of process at AWS's latency and rates, collected, judged and served by the
// example backend as a real process (SQLite, then PostgreSQL), measured from outside:
// cycle times and calls against their floor, HTTP latency under load, RSS, and the
// scorecard page in Chromium. Prints one table and writes docs/benchmarks.md.
//
//   yarn bench [--size small|bank|growth] [--entities N ...] [--latency-ms 100]
//              [--aws-rate 20] [--concurrency 4] [--databases sqlite,postgres]
//              [--out docs/benchmarks.md] [--work <dir>] [--profile <dir>]
//              [--backend-heap-mb 512] [--backend-young-mb 32] [--replicas 2]
//              [--history-days 90] [--policy allow-all|conditional-catalog]
//
// PostgreSQL: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (as the tests use it),
// or --postgres <url>; without either the PostgreSQL run is skipped and says so.
import {
  syntheticOrgAccounts,
  writeSyntheticOrg,
} from '@backup-compliance/aws-backup-emulator';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { renderMarkdown, renderTable } from './report';
import { restrictSome } from './restrict';
import { runOnDatabase } from './run';
import { BenchOptions, Size, SIZES } from './types';

function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2);
    out[name] = inline ?? argv[++i];
    if (out[name] === undefined) throw new Error(`--${name} needs a value`);
  }
  return out;
}

function whole(f: Record<string, string>, name: string, fallback: number) {
  const text = f[name];
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) {
    throw new Error(`--${name} must be a whole number, got "${text}"`);
  }
  return Number(text);
}

function policyOf(text: string | undefined): BenchOptions['policy'] {
  if (text === undefined) return 'allow-all';
  if (text !== 'allow-all' && text !== 'conditional-catalog') {
    throw new Error(
      `--policy must be allow-all or conditional-catalog, got "${text}"`,
    );
  }
  return text;
}

async function main() {
  const f = flags(process.argv.slice(2));
  const sizeName = (f.size ?? 'bank') as keyof typeof SIZES;
  if (!SIZES[sizeName]) {
    throw new Error(
      `--size must be one of ${Object.keys(SIZES).join(', ')}, got "${f.size}"`,
    );
  }
  const base = SIZES[sizeName];
  const size: Size = {
    entities: whole(f, 'entities', base.entities),
    resources: whole(f, 'resources', base.resources),
    accountRegions: whole(f, 'account-regions', base.accountRegions),
    recoveryPoints: whole(f, 'recovery-points', base.recoveryPoints),
    seed: whole(f, 'seed', 1),
  };
  // `yarn bench` runs in packages/bench (Yarn's PROJECT_CWD is the repository root)
  const root = process.env.PROJECT_CWD ?? resolve(process.cwd(), '../..');
  const databases = (f.databases ?? 'sqlite,postgres').split(',');
  for (const db of databases) {
    if (db !== 'sqlite' && db !== 'postgres') {
      throw new Error(`--databases takes sqlite and postgres, got "${db}"`);
    }
  }
  const options: BenchOptions = {
    root,
    size,
    latencyMs: whole(f, 'latency-ms', 100),
    awsRate: whole(f, 'aws-rate', 20),
    concurrency: whole(f, 'concurrency', 4),
    requests: whole(f, 'requests', sizeName === 'small' ? 40 : 200),
    postgres:
      f.postgres ??
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
    chromium: f.chromium ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    backendHeapMb: whole(f, 'backend-heap-mb', 512),
    backendYoungMb: whole(f, 'backend-young-mb', 32),
    replicas: whole(f, 'replicas', 2),
    historyDays: whole(f, 'history-days', 90),
    policy: policyOf(f.policy),
    hiddenComponents: 0,
    profile: f.profile ? resolve(f.profile) : undefined,
    work: '',
  };
  if (!databases.includes('sqlite') && !options.postgres) {
    throw new Error(
      '--databases postgres needs a server: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or --postgres <url>',
    );
  }
  if (options.replicas < 1) {
    throw new Error(`--replicas must be at least 1, got ${options.replicas}`);
  }
  const work =
    f.work ?? (await mkdtemp(join(os.tmpdir(), 'backup-compliance-bench-')));
  await mkdir(work, { recursive: true });
  options.work = work;

  console.log(
    `==> Synthetic org ${JSON.stringify(size)} into ${work} (fixed seed)`,
  );
  console.log(await writeSyntheticOrg(work, size));
  if (options.policy === 'conditional-catalog') {
    const { restricted, message } = await restrictSome(work);
    options.hiddenComponents = restricted;
    console.log(message);
  }
  const accounts = syntheticOrgAccounts(size);

  const results = [];
  try {
    for (const database of databases as Array<'sqlite' | 'postgres'>) {
      if (database === 'postgres' && !options.postgres) {
        console.log(
          '==> PostgreSQL skipped: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or --postgres <url>',
        );
        continue;
      }
      console.log(`==> ${database}`);
      results.push(await runOnDatabase(options, accounts, database));
    }
  } finally {
    if (!f.work && !f.keep) await rm(work, { recursive: true, force: true });
  }

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' '),
  };
  console.log('');
  console.log(renderTable(options, results));
  const out = f.out ?? (sizeName === 'bank' ? 'docs/benchmarks.md' : undefined);
  if (out) {
    const file = resolve(root, out);
    await writeFile(file, renderMarkdown(options, results, machine));
    console.log(`\nWrote ${file}`);
  }
  const broken = results.filter(r => r.errors.length > 0);
  if (broken.length > 0) {
    for (const r of broken) {
      console.error(`${r.database}: ${r.errors.join('; ')}`);
    }
    process.exit(1);
  }
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
