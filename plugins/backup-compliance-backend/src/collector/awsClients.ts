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
 * (client-side rate limiting on throttling), a timeout per HTTP request, a
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
  for (const client of [backup, tagging]) {
    attachCounter(client, options.counter);
    if (options.abortSignal) abortWith(client, options.abortSignal);
  }
  return { backup, tagging };
}
