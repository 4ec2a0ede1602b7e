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
 * One pair of clients per account-region, with the SDK's adaptive retry
 * (client-side rate limiting on throttling) and a call counter.
 */
export function createAwsClients(options: {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
  counter: ApiCallCounter;
  maxAttempts?: number;
}): AwsClients {
  const common = {
    region: options.region,
    credentials: options.credentials,
    endpoint: options.endpoint,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    customUserAgent: 'backstage-backup-compliance',
  };
  const backup = new BackupClient(common);
  const tagging = new ResourceGroupsTaggingAPIClient(common);
  attachCounter(backup, options.counter);
  attachCounter(tagging, options.counter);
  return { backup, tagging };
}
