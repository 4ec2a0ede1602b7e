import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { FaultInjector } from './faults';
import { executeBackupRequest, routeBackupRequest } from './protocol/backupApi';
import { AwsError } from './protocol/errors';
import { ShortPage } from './protocol/pagination';
import { parseCredentialScope } from './protocol/sigv4';
import { getResources, TAGGING_TARGET_PREFIX } from './protocol/taggingApi';
import {
  executeOrganizationsRequest,
  ORGANIZATIONS_TARGET_PREFIX,
} from './protocol/organizationsApi';
import {
  AccountState,
  AwsObject,
  Faults,
  RegionState,
  Scenario,
} from './scenario/types';
import { EmulatorStats, StatsRecorder } from './stats';

/** A running emulator. */
export type Emulator = {
  /** Base URL, e.g. `http://127.0.0.1:4599`: the SDK clients' `endpoint`. */
  url: string;
  port: number;
  stats(): EmulatorStats;
  resetStats(): void;
  /** Replaces the faults of one account-region (its counters start afresh). */
  setFaults(accountId: string, region: string, faults: Faults): void;
  setAccessDenied(accountId: string, denied: boolean): void;
  /**
   * New backups since the scenario loaded, as a day of a real estate brings: for about
   * `fraction` of the recovery points of every account-region, a new point of the same
   * resource in the same vault, created `now`, with the backup job that made it.
   * Answers how many points were added.
   */
  grow(
    fraction: number,
    now?: Date,
  ): { recoveryPoints: number; backupJobs: number };
  close(): Promise<void>;
};

export type EmulatorOptions = {
  scenario: Scenario;
  port?: number;
  host?: string;
  /**
   * Faults of every account-region, the ones the scenario does not hold included (AWS
   * answers a region nobody used at the same latency and rates as any other); a region's
   * own `Faults` in the scenario are laid over them. `setFaults` replaces both.
   */
  defaultFaults?: Faults;
};

/** `value` with its times as epoch seconds. */
function withEpochSeconds(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(withEpochSeconds);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      copy[key] = withEpochSeconds((value as Record<string, unknown>)[key]);
    }
    return copy;
  }
  return value;
}

// Response times are epoch seconds as JSON numbers: an ISO string makes the SDK throw.
// A copy, then plain JSON: a replacer function, called for every value, took 2.4 times
// as long, and the emulator shares the benchmark's cores with the backend.
function toJson(body: unknown): string {
  return JSON.stringify(withEpochSeconds(body));
}

/** What AWS holds in a region nobody used: nothing, and no faults. */
export function emptyRegion(accountId: string, region: string): RegionState {
  return {
    accountId,
    region,
    faults: {},
    resources: [],
    vaults: [],
    recoveryPoints: [],
    plans: [],
    backupJobs: [],
    copyJobs: [],
    restoreJobs: [],
    restoreTestingPlans: [],
    legalHolds: [],
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The IAM service prefix of a call, for AccessDenied messages. */
function serviceOf(target: string | string[] | undefined) {
  if (typeof target !== 'string') return 'backup';
  return target.startsWith(ORGANIZATIONS_TARGET_PREFIX)
    ? 'organizations'
    : 'tag';
}

async function readJsonBody(
  req: http.IncomingMessage,
): Promise<Record<string, any>> {
  const text = await readBody(req);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new AwsError(
      'SerializationException',
      'Request body is not valid JSON',
    );
  }
}

/**
 * Starts the emulator: AWS Backup (restJson1), the Tagging API and Organizations
 * (awsJson1_1) on one port.
 */
export async function startEmulator(
  options: EmulatorOptions,
): Promise<Emulator> {
  const { scenario } = options;
  const byAccessKey = new Map<string, AccountState>(
    scenario.accounts.map(a => [a.accessKeyId, a]),
  );
  const byAccountId = new Map(scenario.accounts.map(a => [a.accountId, a]));
  const injectors = new Map<string, FaultInjector>();
  const stats = new StatsRecorder();

  const regionOf = (account: AccountState, region: string) =>
    account.regions.get(region) ?? emptyRegion(account.accountId, region);
  const injectorOf = (state: RegionState) => {
    const key = `${state.accountId}/${state.region}`;
    let injector = injectors.get(key);
    if (!injector) {
      injector = new FaultInjector({
        ...options.defaultFaults,
        ...state.faults,
      });
      injectors.set(key, injector);
    }
    return injector;
  };

  const statsNow = () =>
    stats.snapshot(
      [...injectors.values()].reduce((held, i) => held + i.held, 0),
    );

  const counted = (shortPage?: ShortPage): ShortPage | undefined =>
    shortPage &&
    (full => {
      const items = shortPage(full);
      if (items !== undefined) stats.recordShortPage(items, full);
      return items;
    });

  async function handleAws(req: http.IncomingMessage, url: URL) {
    const scope = parseCredentialScope(req.headers.authorization);
    if (!scope) {
      throw new AwsError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        403,
      );
    }
    const account = byAccessKey.get(scope.accessKeyId);
    if (!account) {
      throw new AwsError(
        'UnrecognizedClientException',
        `The security token included in the request is invalid (access key ${scope.accessKeyId} belongs to no account of the scenario)`,
        403,
      );
    }
    const target = req.headers['x-amz-target'];
    const tagging = typeof target === 'string';
    let operation: string;
    let run: (state: RegionState, faults: FaultInjector) => AwsObject;
    if (tagging && target.startsWith(ORGANIZATIONS_TARGET_PREFIX)) {
      operation = target.slice(ORGANIZATIONS_TARGET_PREFIX.length);
      const body = await readJsonBody(req);
      run = (_state, faults) =>
        executeOrganizationsRequest(
          scenario.organization,
          account.accountId,
          operation,
          body,
          { shortPage: counted(faults.shortPage) },
        );
    } else if (tagging) {
      operation = target.startsWith(TAGGING_TARGET_PREFIX)
        ? target.slice(TAGGING_TARGET_PREFIX.length)
        : target;
      if (req.method !== 'POST' || operation !== 'GetResources') {
        throw new AwsError(
          'UnknownOperationException',
          `Operation ${target} is not supported by the emulator`,
        );
      }
      const body = await readJsonBody(req);
      run = (state, faults) =>
        getResources(state, body, {
          shortPage: counted(faults.shortPage),
          now: Date.now(),
        });
    } else {
      const routed = routeBackupRequest(req.method ?? 'GET', url.pathname);
      if (!routed) {
        throw new AwsError(
          'UnknownOperationException',
          `No AWS Backup read operation at ${req.method} ${url.pathname}`,
          404,
        );
      }
      operation = routed.operation;
      run = (state, faults) =>
        executeBackupRequest(routed, state, url.searchParams, {
          shortPage: counted(faults.shortPage),
        });
    }

    const state = regionOf(account, scope.region);
    const accountRegion = `${account.accountId}/${scope.region}`;
    const injector = injectorOf(state);
    await injector.delay();
    if (account.accessDenied) {
      stats.record(accountRegion, operation, 'error');
      throw new AwsError(
        'AccessDeniedException',
        `User: arn:aws:sts::${
          account.accountId
        }:assumed-role/BackstageBackupReader/backstage is not authorized to perform: ${serviceOf(
          target,
        )}:${operation}`,
        403,
      );
    }
    const decision = injector.decide(operation);
    if (decision.kind === 'fail') {
      stats.record(accountRegion, operation, 'error');
      throw new AwsError('ServiceUnavailableException', decision.reason, 500);
    }
    if (decision.kind === 'throttle') {
      stats.record(accountRegion, operation, 'throttled');
      throw new AwsError(
        tagging ? 'ThrottledException' : 'ThrottlingException',
        decision.reason,
        400,
      );
    }
    try {
      const result = run(injector.visible(state), injector);
      injector.answered(operation, result);
      stats.record(accountRegion, operation, 'ok');
      return { result, tagging };
    } catch (error) {
      stats.record(accountRegion, operation, 'error');
      throw Object.assign(error as Error, { tagging });
    }
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const requestId = randomUUID();
    const send = (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        ...headers,
      });
      res.end(toJson(body));
    };

    if (url.pathname === '/_emulator/stats') {
      if (req.method === 'DELETE') {
        stats.reset();
        send(200, { reset: true });
      } else {
        send(200, statsNow());
      }
      return;
    }
    if (url.pathname === '/_emulator/grow' && req.method === 'POST') {
      const fraction = Number(url.searchParams.get('fraction') ?? '0.01');
      if (!(fraction > 0 && fraction <= 1)) {
        send(400, { message: 'fraction must be a number in (0, 1]' });
        return;
      }
      send(200, grow(fraction));
      return;
    }
    if (url.pathname === '/_emulator/health') {
      send(200, { status: 'ok', accounts: scenario.accounts.length });
      return;
    }

    try {
      const { result, tagging } = await handleAws(req, url);
      send(
        200,
        result,
        tagging ? { 'content-type': 'application/x-amz-json-1.1' } : {},
      );
    } catch (error) {
      const aws =
        error instanceof AwsError
          ? error
          : new AwsError(
              'InternalFailure',
              `Emulator error: ${(error as Error).message}`,
              500,
            );
      const tagging =
        Boolean((error as { tagging?: boolean }).tagging) ||
        typeof req.headers['x-amz-target'] === 'string';
      send(
        aws.status,
        tagging
          ? { __type: aws.name, Message: aws.message }
          : { message: aws.message },
        { 'x-amzn-errortype': aws.name },
      );
    }
  });

  let generation = 0;
  function grow(fraction: number, now = new Date()) {
    generation += 1;
    const suffix = `-g${generation}`;
    const every = Math.max(1, Math.round(1 / fraction));
    let recoveryPoints = 0;
    let backupJobs = 0;
    for (const account of scenario.accounts) {
      for (const state of account.regions.values()) {
        const points: AwsObject[] = [];
        const jobs: AwsObject[] = [];
        state.recoveryPoints.forEach((point, i) => {
          // only a vault's own backups: copies arrive through copy jobs
          if (i % every !== 0 || point.SourceBackupVaultArn) return;
          const arn = `${point.RecoveryPointArn}${suffix}`;
          points.push({
            ...point,
            RecoveryPointArn: arn,
            CreationDate: now,
            CompletionDate: now,
            Status: 'COMPLETED',
          });
          jobs.push({
            BackupJobId: randomUUID(),
            AccountId: state.accountId,
            BackupVaultName: point.BackupVaultName,
            BackupVaultArn: point.BackupVaultArn,
            RecoveryPointArn: arn,
            ResourceArn: point.ResourceArn,
            ResourceType: point.ResourceType,
            CreationDate: now,
            CompletionDate: now,
            State: 'COMPLETED',
            PercentDone: '100.0',
            BackupSizeInBytes: point.BackupSizeInBytes,
            IamRoleArn: point.IamRoleArn,
            CreatedBy: point.CreatedBy,
          });
        });
        // newest first, as the lists are kept
        state.recoveryPoints.unshift(...points);
        state.backupJobs.unshift(...jobs);
        recoveryPoints += points.length;
        backupJobs += jobs.length;
      }
    }
    return { recoveryPoints, backupJobs };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    stats: statsNow,
    resetStats: () => stats.reset(),
    setFaults(accountId, region, faults) {
      const account = byAccountId.get(accountId);
      if (!account) throw new Error(`No account ${accountId} in the scenario`);
      let state = account.regions.get(region);
      if (!state) {
        state = emptyRegion(accountId, region);
        account.regions.set(region, state);
      }
      state.faults = faults;
      injectorOf(state).reset(faults);
    },
    grow,
    setAccessDenied(accountId, denied) {
      const account = byAccountId.get(accountId);
      if (!account) throw new Error(`No account ${accountId} in the scenario`);
      account.accessDenied = denied;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}
