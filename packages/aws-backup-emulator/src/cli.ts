/* eslint-disable no-console */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeSyntheticOrg } from './generate/generate';
import { loadScenario, ScenarioError } from './scenario/loadScenario';
import { startEmulator } from './server';

const USAGE = `Usage:
  start    --scenario <file> [--port 4599] [--host 127.0.0.1]
           [--latency-ms 0] [--max-requests-per-second 0]
  validate --scenario <file>
  generate --out <dir> [--entities 5000] [--resources 20000] [--account-regions 60]
           [--recovery-points 300000] [--seed 1]`;

type Flags = Record<string, string>;

function parseFlags(args: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}

// `yarn workspace ... start --scenario x` runs in the package folder, but the
// user means a path from where they typed the command, usually the repository
// root (Yarn's PROJECT_CWD). The first folder where the path exists wins.
function userPath(path: string): string {
  const bases = [process.env.INIT_CWD, process.env.PROJECT_CWD, process.cwd()];
  const candidates = bases
    .filter((b): b is string => !!b)
    .map(b => resolve(b, path));
  return candidates.find(c => existsSync(c)) ?? candidates[0];
}

function intFlag(flags: Flags, name: string, fallback: number): number {
  const value = flags[name] ?? String(fallback);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number, got "${value}"`);
  return n;
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  switch (command) {
    case 'start': {
      if (!flags.scenario) throw new Error('--scenario <file> is required');
      const file = userPath(flags.scenario);
      const scenario = await loadScenario(file);
      // Every account-region, the ones the scenario does not hold included, answers after
      // the latency and throttles past the rate (per operation), as AWS does: for
      // benchmarks at AWS's pace.
      const latencyMs = intFlag(flags, 'latency-ms', 0);
      const rate = intFlag(flags, 'max-requests-per-second', 0);
      const emulator = await startEmulator({
        scenario,
        port: intFlag(flags, 'port', 4599),
        host: flags.host ?? '127.0.0.1',
        defaultFaults: {
          ...(latencyMs ? { LatencyMs: latencyMs } : {}),
          ...(rate ? { MaxRequestsPerSecond: rate } : {}),
        },
      });
      const regions = scenario.accounts.reduce((n, a) => n + a.regions.size, 0);
      console.log(
        `AWS Backup emulator on ${emulator.url}: ${scenario.accounts.length} accounts, ${regions} account-regions from ${file}`,
      );
      for (const account of scenario.accounts) {
        console.log(
          `  ${account.accountId}${
            account.name ? ` (${account.name})` : ''
          }: access key id ${account.accessKeyId}; regions ${
            [...account.regions.keys()].join(', ') || 'none'
          }`,
        );
      }
      if (latencyMs || rate) {
        console.log(
          `  every call answered after ${latencyMs} ms${
            rate ? `, throttled past ${rate} calls/s per operation` : ''
          } in every account-region, those the scenario does not hold included (a region's own Faults in the scenario win)`,
        );
      }
      console.log(`  call counts: ${emulator.url}/_emulator/stats`);
      const stop = () => emulator.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    case 'validate': {
      if (!flags.scenario) throw new Error('--scenario <file> is required');
      const scenario = await loadScenario(userPath(flags.scenario));
      let points = 0;
      for (const account of scenario.accounts) {
        for (const region of account.regions.values())
          points += region.recoveryPoints.length;
      }
      console.log(
        `${flags.scenario}: valid (${scenario.accounts.length} accounts, ${points} recovery points)`,
      );
      return;
    }
    case 'generate': {
      if (!flags.out) throw new Error('--out <dir> is required');
      const summary = await writeSyntheticOrg(userPath(flags.out), {
        entities: intFlag(flags, 'entities', 5000),
        resources: intFlag(flags, 'resources', 20000),
        accountRegions: intFlag(flags, 'account-regions', 60),
        recoveryPoints: intFlag(flags, 'recovery-points', 300000),
        seed: intFlag(flags, 'seed', 1),
      });
      console.log(summary);
      return;
    }
    default:
      throw new Error(
        command ? `Unknown command "${command}"` : 'No command given',
      );
  }
}

main(process.argv.slice(2)).catch(error => {
  if (error instanceof ScenarioError) {
    console.error(error.message);
  } else {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
  }
  process.exit(1);
});
