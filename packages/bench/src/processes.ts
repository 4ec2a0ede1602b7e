import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** A child process whose output goes to a log file, killed with its group at the end. */
export type Started = {
  child: ChildProcess;
  log: string;
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
let hooked = false;

/** Children do not outlive the benchmark, however it ends. */
function stopChildrenOnExit() {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(1);
    });
  }
}

export function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; log: string },
): Started {
  const out = createWriteStream(options.log);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  stopChildrenOnExit();
  running.add(child);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    running.delete(child);
  });
  return {
    child,
    log: options.log,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
      out.end();
      process.stderr.write(`  ${name} stopped\n`);
    },
  };
}

/**
 * Polls `check` until it answers a value (not undefined), the process dies, or `timeoutMs`
 * passes: waits for an event, however slow the machine is, and says what it waited for.
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; process?: Started; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (options.process && options.process.child.exitCode !== null) {
      const tail = (await readFile(options.process.log, 'utf8'))
        .split('\n')
        .slice(-30)
        .join('\n');
      throw new Error(
        `${what}: the process exited (${options.process.child.exitCode}); the end of ${options.process.log}:\n${tail}`,
      );
    }
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${Math.round(options.timeoutMs / 1000)} s${
          lastError ? ` (last error: ${(lastError as Error).message})` : ''
        }`,
      );
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.intervalMs ?? 500),
    );
  }
}

/** Resident memory of a process, in MB (Linux). */
export async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = status.match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; answers the peak. */
export function sampleRss(pid: number, everyMs = 200) {
  let peak = 0;
  let last = 0;
  const timer = setInterval(async () => {
    const mb = await rssMb(pid);
    if (mb !== undefined) {
      last = mb;
      peak = Math.max(peak, mb);
    }
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      const mb = await rssMb(pid);
      if (mb !== undefined) peak = Math.max(peak, mb);
      return { peak, last: mb ?? last };
    },
  };
}

/**
 * Samples CPU seconds (`read`, e.g. a process's main thread, where all its JavaScript
 * runs) every `everyMs` until stopped: `busyShare(from, to)` then tells how many cores'
 * worth it used between two times (epoch ms), over the samples that enclose them.
 */
export function sampleCpu(
  read: () => Promise<number | undefined>,
  everyMs = 200,
) {
  const samples: Array<{ at: number; seconds: number }> = [];
  const take = async () => {
    const at = Date.now();
    const seconds = await read();
    if (seconds !== undefined) samples.push({ at, seconds });
  };
  const timer = setInterval(take, everyMs);
  void take();
  return {
    async stop() {
      clearInterval(timer);
      await take();
      return {
        busyShare(from: number, to: number): number | undefined {
          const before = samples.filter(x => x.at <= from).pop();
          const after = samples.find(x => x.at >= to);
          if (!before || !after || after.at <= before.at) return undefined;
          return (
            (after.seconds - before.seconds) / ((after.at - before.at) / 1000)
          );
        },
      };
    },
  };
}

export type CpuSamples = Awaited<
  ReturnType<ReturnType<typeof sampleCpu>['stop']>
>;

/**
 * CPU seconds (user + system) a process has used so far (Linux, 100 ticks a second), or
 * one of its threads: a Node process's main thread, where all its JavaScript runs, is
 * the thread whose id is the process's.
 */
export async function cpuSeconds(
  pid: number,
  thread?: number,
): Promise<number | undefined> {
  try {
    const stat = await readFile(
      thread === undefined
        ? `/proc/${pid}/stat`
        : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * The name of each process seen, read once (a process id is not reused within a run):
 * sampled five times a second, reading every process's name each time kept the benchmark's
 * own threads busy on the cores the backend, the emulator and the database share.
 */
const names = new Map<string, string>();

/**
 * CPU seconds used so far by every process named `name` (Linux), e.g. the PostgreSQL
 * server and its backend processes; processes that ended since are not counted.
 */
export async function cpuSecondsOf(name: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      let comm = names.get(entry);
      if (comm === undefined) {
        comm = (await readFile(`/proc/${entry}/comm`, 'utf8')).trim();
        names.set(entry, comm);
      }
      if (comm === name) total += (await cpuSeconds(Number(entry))) ?? 0;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** What the backend's log says of a cycle's join and evaluation (see the plugin's README). */
export type CycleLog = {
  joinSeconds: number;
  evaluateSeconds: number;
  /** How long judging stood still for the evidence read ahead / the verdicts written behind. */
  waitedReadSeconds: number;
  waitedWriteSeconds: number;
};

const JOINED =
  /^Joined \d+ entities to their resources .* in (\d+(?:\.\d+)?) s$/;
const EVALUATED =
  /^Evaluated \d+ entities in (\d+(?:\.\d+)?) s: .*; waited (\d+(?:\.\d+)?) s for the evidence read ahead and (\d+(?:\.\d+)?) s for the verdicts written behind$/;

/**
 * The join and evaluation lines logged for a cycle by the backend that ran it (one of
 * `logs`): the last ones before the line that says the cycle is done, once that line has
 * reached the log file. Undefined when no log holds them within 30 s (a backend from before
 * they were logged).
 */
export async function cycleLog(
  logs: string[],
  cycleId: string,
): Promise<CycleLog | undefined> {
  const messagesOf = async (log: string) =>
    (await readFile(log, 'utf8')).split('\n').map(line => {
      try {
        return String(JSON.parse(line).message ?? '');
      } catch {
        return line;
      }
    });
  const messages = await until(
    `the log line of cycle ${cycleId}`,
    async () => {
      for (const log of logs) {
        const lines = await messagesOf(log);
        const done = lines.findIndex(m =>
          m.startsWith(`Backup collection cycle ${cycleId} done`),
        );
        if (done >= 0) return lines.slice(0, done);
      }
      return undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch(() => undefined);
  if (!messages) return undefined;
  const last = (pattern: RegExp) => {
    for (let i = messages.length - 1; i >= 0; i--) {
      const match = pattern.exec(messages[i]);
      if (match) return match.slice(1).map(Number);
    }
    return undefined;
  };
  const joined = last(JOINED);
  const evaluated = last(EVALUATED);
  if (!joined || !evaluated) return undefined;
  return {
    joinSeconds: joined[0],
    evaluateSeconds: evaluated[0],
    waitedReadSeconds: evaluated[1],
    waitedWriteSeconds: evaluated[2],
  };
}
