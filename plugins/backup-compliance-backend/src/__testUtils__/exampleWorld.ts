import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createAwsClients, RateLimits } from '../collector/awsClients';
import { ClientFactory } from '../collector/BackupCollector';
import { readBackupComplianceConfig } from '../config/readBackupComplianceConfig';

/** The repository's examples/: the demo catalog and its AWS scenario. */
export const EXAMPLES = resolve(__dirname, '../../../../examples');
export const EXAMPLE_SCENARIO = resolve(EXAMPLES, 'aws-scenario.yaml');
export const EXAMPLE_ACCOUNTS = [
  '111111111111',
  '222222222222',
  '333333333333',
  '444444444444',
];
export const EXAMPLE_REGIONS = ['eu-central-1', 'eu-west-1'];

export function exampleEntities(): Entity[] {
  return parseAllDocuments(
    readFileSync(resolve(EXAMPLES, 'entities.yaml'), 'utf8'),
  )
    .map(doc => doc.toJS())
    .filter(Boolean);
}

/** The app-config for the example accounts, pointed at an emulator. */
export function exampleConfigData(
  endpoint: string,
  backupCompliance: object = {},
) {
  return {
    aws: {
      accounts: EXAMPLE_ACCOUNTS.map(accountId => ({
        accountId,
        accessKeyId: `AKID${accountId}`,
        secretAccessKey: 'emulator',
      })),
    },
    backupCompliance: {
      regions: EXAMPLE_REGIONS,
      endpoint,
      ...backupCompliance,
    },
  };
}

/** The plugin's config for the example accounts, pointed at an emulator. */
export function exampleConfig(endpoint: string, backupCompliance: object = {}) {
  return readBackupComplianceConfig(
    mockServices.rootConfig({
      data: exampleConfigData(endpoint, backupCompliance),
    }),
  );
}

/** Real SDK clients for the emulator, with the emulator's per-account keys. */
export function emulatorClients(
  endpoint: string,
  maxAttempts = 2,
  requestTimeoutMs?: number,
  rateLimits?: RateLimits,
): ClientFactory {
  return async ({ accountId, region }, counter, abortSignal) =>
    createAwsClients({
      requestTimeoutMs,
      rateLimits,
      abortSignal,
      region,
      credentials: async () => ({
        accessKeyId: `AKID${accountId}`,
        secretAccessKey: 'emulator',
      }),
      endpoint,
      counter,
      maxAttempts,
    });
}

/** The example organization's delegated administrator for backup policies. */
export const EXAMPLE_ORGANIZATION_ACCOUNT = '333333333333';

/** A real Organizations client for the emulator, as the plugin makes one. */
export function emulatorOrganizations(
  endpoint: string,
  accountId = EXAMPLE_ORGANIZATION_ACCOUNT,
) {
  return async () =>
    new OrganizationsClient({
      region: 'us-east-1',
      endpoint,
      credentials: {
        accessKeyId: `AKID${accountId}`,
        secretAccessKey: 'emulator',
      },
      maxAttempts: 2,
    });
}
