import { BackupClient } from '@aws-sdk/client-backup';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ApiCallCounts } from './types';

export type AwsClients = {
  backup: BackupClient;
  tagging: ResourceGroupsTaggingAPIClient;
};

const THROTTLING = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** Counts every HTTP attempt per operation (retries included) and the throttled ones. */
export class ApiCallCounter {
  private readonly counts: ApiCallCounts = { calls: {}, throttles: 0 };

  record(operation: string, error?: { name?: string }) {
    this.counts.calls[operation] = (this.counts.calls[operation] ?? 0) + 1;
    if (error?.name && THROTTLING.has(error.name)) {
      this.counts.throttles += 1;
    }
  }

  snapshot(): ApiCallCounts {
    return {
      calls: { ...this.counts.calls },
      throttles: this.counts.throttles,
    };
  }
}

function attachCounter(
  client: BackupClient | ResourceGroupsTaggingAPIClient,
  counter: ApiCallCounter,
) {
  // The deserialize step sits inside the retry loop, so it sees every attempt.
  (client.middlewareStack as any).add(
    (next: any, context: any) => async (args: any) => {
      const operation = String(context.commandName ?? 'Unknown').replace(
        /Command$/,
        '',
      );
      try {
        const result = await next(args);
        counter.record(operation);
        return result;
      } catch (error) {
        counter.record(operation, error as Error);
        throw error;
      }
    },
    {
      step: 'deserialize',
      name: 'backupComplianceCallCounter',
      priority: 'high',
    },
  );
}

/**
 * Calls per second, per account-region: for each list operation, each get or describe
 * operation, and all Backup operations together (AWS's quotas: 20, 5 to 15, and 50).
 */
export type RateLimits = {
  listPerSecond: number;
  getPerSecond: number;
  totalPerSecond: number;
};

export const DEFAULT_RATE_LIMITS: RateLimits = {
  listPerSecond: 20,
  getPerSecond: 10,
  totalPerSecond: 50,
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * A token bucket: `ratePerSecond` tokens a second, at most one second's worth (and at
 * least one token) saved up. Callers wait their turn in order.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = this.capacity;
    this.updatedAt = clock();
  }

  /** Resolves when a call may go. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.next());
    this.queue = turn;
    return turn;
  }

  /** A second's worth, and at least one call. */
  private get capacity() {
    return Math.max(1, this.ratePerSecond);
  }

  private async next() {
    for (;;) {
      const now = this.clock();
      this.tokens = Math.min(
        this.capacity,
        this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond,
      );
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(((1 - this.tokens) / this.ratePerSecond) * 1000);
    }
  }
}

/** Buckets of one account-region: one per operation, one for all calls of a client. */
class RateLimiter {
  private readonly perOperation = new Map<string, TokenBucket>();
  private readonly total: TokenBucket;

  constructor(private readonly limits: RateLimits) {
    this.total = new TokenBucket(limits.totalPerSecond);
  }

  async take(operation: string) {
    let bucket = this.perOperation.get(operation);
    if (!bucket) {
      bucket = new TokenBucket(
        /^(List|GetResources)/.test(operation)
          ? this.limits.listPerSecond
          : this.limits.getPerSecond,
      );
      this.perOperation.set(operation, bucket);
    }
    await bucket.take();
    await this.total.take();
  }
}

function attachRateLimiter(
  client: BackupClient | ResourceGroupsTaggingAPIClient,
  limiter: RateLimiter,
) {
  // Before every attempt, retries included: a retry spends a token like any call.
  (client.middlewareStack as any).add(
    (next: any, context: any) => async (args: any) => {
      await limiter.take(
        String(context.commandName ?? 'Unknown').replace(/Command$/, ''),
      );
      return next(args);
    },
    {
      step: 'deserialize',
      name: 'backupComplianceRateLimiter',
      priority: 'high',
    },
  );
}

/** Every call the client sends carries `signal`, unless the caller passes its own. */
function abortWith(
  client: BackupClient | ResourceGroupsTaggingAPIClient,
  signal: AbortSignal,
) {
  const send = client.send.bind(client) as (...args: any[]) => Promise<any>;
  (client as any).send = (command: any, options?: any, callback?: any) =>
    typeof options === 'function'
      ? send(command, { abortSignal: signal }, options)
      : send(command, { abortSignal: signal, ...options }, callback);
}

/**
 * One pair of clients per account-region, with the SDK's adaptive retry
 * (client-side rate limiting on throttling), token buckets that keep each operation
 * and the account-region under AWS's rates, a timeout per HTTP request, a
 * call counter, and a signal that stops every call (the account-region's
 * deadline, the scheduler's abort).
 */
export function createAwsClients(options: {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
  counter: ApiCallCounter;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  abortSignal?: AbortSignal;
  rateLimits?: RateLimits;
}): AwsClients {
  const timeout = options.requestTimeoutMs ?? 30_000;
  const common = {
    region: options.region,
    credentials: options.credentials,
    endpoint: options.endpoint,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    customUserAgent: 'backstage-backup-compliance',
    requestHandler: {
      requestTimeout: timeout,
      connectionTimeout: Math.min(timeout, 10_000),
    },
  };
  const backup = new BackupClient(common);
  const tagging = new ResourceGroupsTaggingAPIClient(common);
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  for (const client of [backup, tagging]) {
    // Backup and the Tagging API have quotas of their own.
    attachRateLimiter(client, new RateLimiter(limits));
    attachCounter(client, options.counter);
    if (options.abortSignal) abortWith(client, options.abortSignal);
  }
  return { backup, tagging };
}
