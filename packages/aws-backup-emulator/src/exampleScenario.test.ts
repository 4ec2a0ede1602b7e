import {
  BackupClient,
  ListBackupJobsCommand,
  ListBackupVaultsCommand,
  ListLegalHoldsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { resolve } from 'node:path';
import { loadScenario } from './scenario/loadScenario';
import { Emulator, startEmulator } from './server';

const EXAMPLE = resolve(__dirname, '../../../examples/aws-scenario.yaml');

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ scenario: await loadScenario(EXAMPLE) });
});

afterAll(async () => {
  await emulator.close();
});

const credentials = (account: string) => ({
  accessKeyId: `AKID${account}`,
  secretAccessKey: 'emulator',
});
const backup = (account: string) =>
  new BackupClient({
    endpoint: emulator.url,
    region: 'eu-central-1',
    credentials: credentials(account),
    maxAttempts: 1,
  });

describe('examples/aws-scenario.yaml', () => {
  it('finds the opted-in services by their tags, not their staging copies', async () => {
    const tagging = new ResourceGroupsTaggingAPIClient({
      endpoint: emulator.url,
      region: 'eu-central-1',
      credentials: credentials('111111111111'),
    });
    const { ResourceTagMappingList } = await tagging.send(
      new GetResourcesCommand({
        TagFilters: [
          { Key: 'app', Values: ['payments-ledger'] },
          { Key: 'env', Values: ['prod'] },
        ],
      }),
    );
    expect(ResourceTagMappingList!.map(r => r.ResourceARN)).toEqual([
      'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger',
    ]);
  });

  it('tells the failed-backup story of card-transactions', async () => {
    const { BackupJobs } = await backup('111111111111').send(
      new ListBackupJobsCommand({
        ByResourceArn:
          'arn:aws:dynamodb:eu-central-1:111111111111:table/card-transactions',
      }),
    );
    expect(BackupJobs![0].State).toBe('FAILED');
  });

  it('keeps rewards-points yearly points 7 years, and holds two of its points', async () => {
    const client = backup('222222222222');
    const vaults = await client.send(new ListBackupVaultsCommand({}));
    const yearly = [];
    for (const vault of vaults.BackupVaultList!) {
      const { RecoveryPoints } = await client.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: vault.BackupVaultName,
          ByResourceArn:
            'arn:aws:rds:eu-central-1:222222222222:db:rewards-points',
        }),
      );
      yearly.push(
        ...RecoveryPoints!.filter(p =>
          /yearly/i.test(p.CreatedBy?.BackupRuleName ?? ''),
        ),
      );
    }
    expect(yearly.length).toBeGreaterThan(0);
    expect(yearly.every(p => p.Lifecycle?.DeleteAfterDays === 2555)).toBe(true);
    const { LegalHolds } = await client.send(new ListLegalHoldsCommand({}));
    expect(LegalHolds!.filter(h => h.Status === 'ACTIVE')).toHaveLength(1);
  });

  it('has a vault without Vault Lock for loan-servicing', async () => {
    const { BackupVaultList } = await backup('222222222222').send(
      new ListBackupVaultsCommand({}),
    );
    expect(
      BackupVaultList!.find(
        v => v.BackupVaultName === 'lending-vault-unlocked',
      )!.Locked,
    ).toBe(false);
  });

  it('denies access to the sandbox account', async () => {
    await expect(
      backup('444444444444').send(new ListBackupVaultsCommand({})),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
