import {
  BackupClient,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetLegalHoldCommand,
  GetRestoreTestingPlanCommand,
  GetRestoreTestingSelectionCommand,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListLegalHoldsCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByLegalHoldCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsByProtectedResourceCommand,
  ListRestoreJobsCommand,
  ListRestoreTestingPlansCommand,
  ListRestoreTestingSelectionsCommand,
  paginateListRecoveryPointsByBackupVault,
} from '@aws-sdk/client-backup';
import {
  GetResourcesCommand,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { Emulator, startEmulator } from './server';
import {
  CARDS_TABLE,
  LEDGER_DB,
  LEDGER_VAULT,
  LENDING,
  NOW,
  PAYMENTS,
  RESTORE_PLAN,
  testScenario,
  testScenarioData,
} from './testing/testScenario';
import { parseScenario } from './scenario/loadScenario';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator({ scenario: testScenario() });
});

afterEach(async () => {
  await emulator.close();
});

function backup(
  options: { accessKeyId?: string; region?: string; maxAttempts?: number } = {},
) {
  return new BackupClient({
    endpoint: emulator.url,
    region: options.region ?? 'eu-central-1',
    credentials: {
      accessKeyId: options.accessKeyId ?? `AKID${PAYMENTS}`,
      secretAccessKey: 'emulator',
    },
    maxAttempts: options.maxAttempts ?? 1,
  });
}

function tagging(options: { accessKeyId?: string; region?: string } = {}) {
  return new ResourceGroupsTaggingAPIClient({
    endpoint: emulator.url,
    region: options.region ?? 'eu-central-1',
    credentials: {
      accessKeyId: options.accessKeyId ?? `AKID${PAYMENTS}`,
      secretAccessKey: 'emulator',
    },
    maxAttempts: 1,
  });
}

/** A ListBackupVaults call, and whether it has been answered yet. */
function listVaultsHeld(region?: string) {
  let answered = false;
  const answer = backup({ region })
    .send(new ListBackupVaultsCommand({}))
    .then(result => {
      answered = true;
      return result;
    });
  return { answer, answered: () => answered };
}

/** Resolves once `condition` holds, checking every 10 ms (Jest's timeout bounds it). */
async function waitUntil(condition: () => boolean) {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 10));
}

describe('AWS Backup over restJson1, through the real SDK', () => {
  it('lists vaults with their lock fields and dates the SDK can parse', async () => {
    const { BackupVaultList } = await backup().send(
      new ListBackupVaultsCommand({}),
    );
    expect(BackupVaultList).toHaveLength(2);
    const vault = BackupVaultList!.find(
      v => v.BackupVaultName === LEDGER_VAULT,
    )!;
    expect(vault).toMatchObject({
      BackupVaultArn: `arn:aws:backup:eu-central-1:${PAYMENTS}:backup-vault:${LEDGER_VAULT}`,
      Locked: true,
      MinRetentionDays: 30,
      MaxRetentionDays: 2555,
      NumberOfRecoveryPoints: 7,
      EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
    });
    expect(vault.LockDate).toEqual(ago(400 * DAY));
    const airGapped = await backup().send(
      new ListBackupVaultsCommand({
        ByVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      }),
    );
    expect(airGapped.BackupVaultList!.map(v => v.BackupVaultName)).toEqual([
      'scratch',
    ]);
  });

  it('describes one vault and answers 403 AccessDeniedException for one that does not exist, as AWS does', async () => {
    const vault = await backup().send(
      new DescribeBackupVaultCommand({ BackupVaultName: LEDGER_VAULT }),
    );
    expect(vault.Locked).toBe(true);
    const denied = {
      name: 'AccessDeniedException',
      message: 'Insufficient privileges to perform this action.',
      $metadata: expect.objectContaining({ httpStatusCode: 403 }),
    };
    await expect(
      backup().send(
        new DescribeBackupVaultCommand({ BackupVaultName: 'nope' }),
      ),
    ).rejects.toMatchObject(denied);
    await expect(
      backup().send(
        new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'nope' }),
      ),
    ).rejects.toMatchObject(denied);
  });

  it('pages recovery points with MaxResults and opaque tokens, newest first', async () => {
    const first = await backup().send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        MaxResults: 4,
      }),
    );
    expect(first.RecoveryPoints).toHaveLength(4);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await backup().send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        MaxResults: 4,
        NextToken: first.NextToken,
      }),
    );
    expect(second.RecoveryPoints).toHaveLength(3);
    expect(second.NextToken).toBeUndefined();

    const all = [];
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client: backup(), pageSize: 1 },
      { BackupVaultName: LEDGER_VAULT },
    )) {
      all.push(...page.RecoveryPoints!);
    }
    expect(all).toHaveLength(7);
    expect(new Set(all.map(p => p.RecoveryPointArn)).size).toBe(7);
    const dates = all.map(p => p.CreationDate!.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('rejects a token used with other filters, and MaxResults out of range', async () => {
    const first = await backup().send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        MaxResults: 1,
      }),
    );
    await expect(
      backup().send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: LEDGER_VAULT,
          ByResourceArn: CARDS_TABLE,
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      backup().send(new ListBackupJobsCommand({ MaxResults: 1001 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('between 1 and 1000'),
    });
  });

  it.each([
    [
      'ListBackupJobs ByState=BOGUS',
      new ListBackupJobsCommand({ ByState: 'BOGUS' as any }),
      "'state'",
    ],
    [
      'ListBackupJobs ByState=completed',
      new ListBackupJobsCommand({ ByState: 'completed' as any }),
      "'state'",
    ],
    [
      'ListBackupJobs ByResourceType with a space',
      new ListBackupJobsCommand({ ByResourceType: 'RDS DB' }),
      "'resourceType'",
    ],
    [
      'ListBackupJobs ByAccountId of 3 digits',
      new ListBackupJobsCommand({ ByAccountId: '123' }),
      "'accountId'",
    ],
    // A backup job state that copy jobs do not have.
    [
      'ListCopyJobs ByState=ABORTED',
      new ListCopyJobsCommand({ ByState: 'ABORTED' as any }),
      "'state'",
    ],
    [
      'ListRestoreJobs ByStatus=completed',
      new ListRestoreJobsCommand({ ByStatus: 'completed' as any }),
      "'status'",
    ],
    [
      'ListRestoreJobsByProtectedResource ByStatus=BOGUS',
      new ListRestoreJobsByProtectedResourceCommand({
        ResourceArn: LEDGER_DB,
        ByStatus: 'BOGUS' as any,
      }),
      "'status'",
    ],
    [
      'ListBackupVaults ByVaultType=bogus',
      new ListBackupVaultsCommand({ ByVaultType: 'bogus' as any }),
      "'vaultType'",
    ],
    [
      'ListRecoveryPointsByBackupVault ByResourceType=RDS/DB',
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        ByResourceType: 'RDS/DB',
      }),
      "'resourceType'",
    ],
  ])(
    'refuses a filter the service model does not allow (%s) with 400 InvalidParameterValueException',
    async (_name, command, parameter) => {
      await expect(backup().send(command as any)).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: expect.stringContaining(
          `at ${parameter} failed to satisfy constraint`,
        ),
        $metadata: expect.objectContaining({ httpStatusCode: 400 }),
      });
    },
  );

  it('still filters by every value the enums allow', async () => {
    const completed = await backup().send(
      new ListBackupJobsCommand({ ByState: 'COMPLETED' }),
    );
    expect(completed.BackupJobs).toHaveLength(3);
    const failedCopies = await backup().send(
      new ListCopyJobsCommand({ ByState: 'FAILED' }),
    );
    expect(failedCopies.CopyJobs).toHaveLength(1);
    const failedRestores = await backup().send(
      new ListRestoreJobsCommand({ ByStatus: 'FAILED', ByResourceType: 'RDS' }),
    );
    expect(failedRestores.RestoreJobs).toHaveLength(1);
  });

  it('fills derived recovery point fields and filters by resource, plan and creation date', async () => {
    const client = backup();
    const byResource = await client.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        ByResourceArn: CARDS_TABLE,
      }),
    );
    expect(byResource.RecoveryPoints).toHaveLength(1);
    const cards = byResource.RecoveryPoints![0];
    expect(cards).toMatchObject({
      ResourceType: 'DynamoDB',
      Status: 'COMPLETED',
      IsEncrypted: true,
      EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
      BackupVaultName: LEDGER_VAULT,
    });
    expect(cards.CreationDate).toEqual(ago(26 * 3_600_000));
    expect(cards.CompletionDate).toEqual(
      new Date(cards.CreationDate!.getTime() + 20 * 60_000),
    );
    expect(cards.CalculatedLifecycle!.DeleteAt).toEqual(
      new Date(cards.CreationDate!.getTime() + 30 * DAY),
    );

    const byPlan = await client.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        ByBackupPlanId: 'ledger-plan',
      }),
    );
    expect(byPlan.RecoveryPoints).toHaveLength(6);

    const recent = await client.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        ByCreatedAfter: ago(2.5 * DAY),
        ByCreatedBefore: ago(1.5 * DAY),
      }),
    );
    expect(recent.RecoveryPoints!.map(p => p.RecoveryPointArn)).toEqual([
      'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-2',
    ]);
  });

  it('filters backup jobs by state, resource, vault and time', async () => {
    const client = backup();
    const failed = await client.send(
      new ListBackupJobsCommand({ ByState: 'FAILED' }),
    );
    expect(failed.BackupJobs).toEqual([
      expect.objectContaining({
        ResourceArn: CARDS_TABLE,
        StatusMessage: 'Insufficient privileges',
        AccountId: PAYMENTS,
        ResourceType: 'DynamoDB',
      }),
    ]);
    const ledger = await client.send(
      new ListBackupJobsCommand({ ByResourceArn: LEDGER_DB }),
    );
    expect(ledger.BackupJobs).toHaveLength(4);
    const inVault = await client.send(
      new ListBackupJobsCommand({ ByBackupVaultName: 'scratch' }),
    );
    expect(inVault.BackupJobs!.map(j => j.State)).toEqual(['ABORTED']);
    const sinceYesterday = await client.send(
      new ListBackupJobsCommand({ ByCreatedAfter: ago(1.5 * DAY) }),
    );
    expect(sinceYesterday.BackupJobs!.map(j => j.State)).toEqual([
      'FAILED',
      'COMPLETED',
    ]);
    const completedRecently = await client.send(
      new ListBackupJobsCommand({ ByCompleteAfter: ago(90 * 60_000) }),
    );
    expect(completedRecently.BackupJobs!.map(j => j.State)).toEqual(['FAILED']);
  });

  it('grows by new backups: a point per chosen point, newest first, each with its job', async () => {
    const client = backup();
    const before = await client.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
      }),
    );
    const at = new Date(Date.now() + 60_000);
    const added = emulator.grow(1, at);
    expect(added.recoveryPoints).toBeGreaterThan(0);
    expect(added.backupJobs).toBe(added.recoveryPoints);
    const after = await client.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
        ByCreatedAfter: new Date(at.getTime() - 1000),
      }),
    );
    // every own backup of the vault got a successor; copies from elsewhere did not
    const own = before.RecoveryPoints!.filter(p => !p.SourceBackupVaultArn);
    expect(after.RecoveryPoints!.map(p => p.ResourceArn).sort()).toEqual(
      own.map(p => p.ResourceArn).sort(),
    );
    expect(after.RecoveryPoints![0].CreationDate).toEqual(at);
    const jobs = await client.send(
      new ListBackupJobsCommand({
        ByCreatedAfter: new Date(at.getTime() - 1000),
      }),
    );
    expect(jobs.BackupJobs!.map(j => j.RecoveryPointArn)).toEqual(
      expect.arrayContaining(
        after.RecoveryPoints!.map(p => p.RecoveryPointArn),
      ),
    );
    expect(jobs.BackupJobs![0]).toMatchObject({
      State: 'COMPLETED',
      CreationDate: at,
    });
  });

  it('filters copy jobs by destination vault and restore jobs by testing plan and status', async () => {
    const client = backup();
    const copies = await client.send(
      new ListCopyJobsCommand({
        ByDestinationVaultArn:
          'arn:aws:backup:eu-west-1:111111111111:backup-vault:payments-copy',
      }),
    );
    expect(copies.CopyJobs!.map(j => j.State)).toEqual(['COMPLETED']);
    const failedCopies = await client.send(
      new ListCopyJobsCommand({ ByState: 'FAILED' }),
    );
    expect(failedCopies.CopyJobs![0].DestinationBackupVaultArn).toContain(
      '333333333333',
    );

    const planArn = `arn:aws:backup:eu-central-1:111111111111:restore-testing-plan:${RESTORE_PLAN}`;
    const tests = await client.send(
      new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: planArn }),
    );
    expect(tests.RestoreJobs).toEqual([
      expect.objectContaining({
        Status: 'COMPLETED',
        ValidationStatus: 'SUCCESSFUL',
        CreatedBy: { RestoreTestingPlanArn: planArn },
        ResourceType: 'RDS',
      }),
    ]);
    const failed = await client.send(
      new ListRestoreJobsCommand({ ByStatus: 'FAILED' }),
    );
    expect(failed.RestoreJobs).toHaveLength(1);
  });

  it('serves plans with rules, lifecycles, copy actions and selections', async () => {
    const client = backup();
    const { BackupPlansList } = await client.send(
      new ListBackupPlansCommand({}),
    );
    expect(BackupPlansList!.map(p => p.BackupPlanName)).toEqual([
      'transactions-db',
    ]);
    const withDeleted = await client.send(
      new ListBackupPlansCommand({ IncludeDeleted: true }),
    );
    expect(withDeleted.BackupPlansList).toHaveLength(2);

    const plan = await client.send(
      new GetBackupPlanCommand({ BackupPlanId: 'ledger-plan' }),
    );
    expect(plan.BackupPlan!.Rules).toEqual([
      expect.objectContaining({
        RuleName: 'daily',
        ScheduleExpression: 'cron(0 2 * * ? *)',
        Lifecycle: { DeleteAfterDays: 30 },
        CopyActions: [
          expect.objectContaining({
            DestinationBackupVaultArn:
              'arn:aws:backup:eu-west-1:111111111111:backup-vault:payments-copy',
          }),
        ],
        RuleId: expect.any(String),
      }),
    ]);

    const { BackupSelectionsList } = await client.send(
      new ListBackupSelectionsCommand({ BackupPlanId: 'ledger-plan' }),
    );
    expect(BackupSelectionsList).toHaveLength(1);
    const selection = await client.send(
      new GetBackupSelectionCommand({
        BackupPlanId: 'ledger-plan',
        SelectionId: BackupSelectionsList![0].SelectionId,
      }),
    );
    expect(selection.BackupSelection).toMatchObject({
      SelectionName: 'by-policy-tag',
      ListOfTags: [
        { ConditionKey: 'backup-policy', ConditionValue: 'transactions-db' },
      ],
    });
    await expect(
      client.send(new GetBackupPlanCommand({ BackupPlanId: 'missing' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('serves restore testing plans and selections, paged with MaxResults/NextToken', async () => {
    const client = backup();
    const { RestoreTestingPlans } = await client.send(
      new ListRestoreTestingPlansCommand({}),
    );
    expect(RestoreTestingPlans!.map(p => p.RestoreTestingPlanName)).toEqual([
      RESTORE_PLAN,
    ]);
    const plan = await client.send(
      new GetRestoreTestingPlanCommand({
        RestoreTestingPlanName: RESTORE_PLAN,
      }),
    );
    expect(plan.RestoreTestingPlan!.RecoveryPointSelection).toEqual({
      Algorithm: 'LATEST_WITHIN_WINDOW',
      IncludeVaults: ['*'],
      SelectionWindowDays: 7,
    });

    const page1 = await client.send(
      new ListRestoreTestingSelectionsCommand({
        RestoreTestingPlanName: RESTORE_PLAN,
        MaxResults: 1,
      }),
    );
    const page2 = await client.send(
      new ListRestoreTestingSelectionsCommand({
        RestoreTestingPlanName: RESTORE_PLAN,
        MaxResults: 1,
        NextToken: page1.NextToken,
      }),
    );
    expect(
      [
        ...page1.RestoreTestingSelections!,
        ...page2.RestoreTestingSelections!,
      ].map(s => s.RestoreTestingSelectionName),
    ).toEqual(['rds_by_policy', 'dynamodb_all']);
    expect(page2.NextToken).toBeUndefined();

    const selection = await client.send(
      new GetRestoreTestingSelectionCommand({
        RestoreTestingPlanName: RESTORE_PLAN,
        RestoreTestingSelectionName: 'rds_by_policy',
      }),
    );
    expect(
      selection.RestoreTestingSelection!.ProtectedResourceConditions!
        .StringEquals,
    ).toEqual([
      { Key: 'aws:ResourceTag/backup-policy', Value: 'transactions-db' },
    ]);
  });

  it('lists legal holds and the recovery points they hold', async () => {
    const client = backup();
    const { LegalHolds } = await client.send(new ListLegalHoldsCommand({}));
    expect(LegalHolds).toEqual([
      expect.objectContaining({
        LegalHoldId: 'hold-1',
        Status: 'ACTIVE',
        CreationDate: ago(5 * DAY),
      }),
    ]);
    const hold = await client.send(
      new GetLegalHoldCommand({ LegalHoldId: 'hold-1' }),
    );
    expect(hold).toMatchObject({
      Title: 'Litigation 2026-114',
      Status: 'ACTIVE',
    });
    await expect(
      client.send(new GetLegalHoldCommand({ LegalHoldId: 'nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const held = await client.send(
      new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: 'hold-1' }),
    );
    expect(held.RecoveryPoints).toEqual([
      {
        RecoveryPointArn:
          'arn:aws:backup:eu-central-1:111111111111:recovery-point:monthly-40',
        ResourceArn: LEDGER_DB,
        ResourceType: 'RDS',
        BackupVaultName: LEDGER_VAULT,
      },
    ]);
  });

  it('derives protected resources from recovery points', async () => {
    const { Results } = await backup().send(
      new ListProtectedResourcesCommand({}),
    );
    expect(Results).toEqual([
      expect.objectContaining({
        ResourceArn: CARDS_TABLE,
        ResourceType: 'DynamoDB',
        LastBackupTime: ago(26 * 3_600_000),
      }),
      expect.objectContaining({
        ResourceArn: LEDGER_DB,
        ResourceType: 'RDS',
        ResourceName: 'payments-ledger',
        LastBackupTime: ago(DAY),
        LastRecoveryPointArn:
          'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-1',
      }),
    ]);
  });

  it('answers per-resource operations with the ARN as an encoded path label', async () => {
    const client = backup();
    const points = await client.send(
      new ListRecoveryPointsByResourceCommand({ ResourceArn: CARDS_TABLE }),
    );
    expect(points.RecoveryPoints).toHaveLength(1);
    expect(points.RecoveryPoints![0]).not.toHaveProperty('CalculatedLifecycle');
    const restores = await client.send(
      new ListRestoreJobsByProtectedResourceCommand({
        ResourceArn: LEDGER_DB,
        ByStatus: 'COMPLETED',
      }),
    );
    expect(restores.RestoreJobs).toHaveLength(1);
  });

  const planArn = `arn:aws:backup:eu-central-1:111111111111:restore-testing-plan:${RESTORE_PLAN}`;
  it.each([
    [
      'ListBackupJobs ByResourceType',
      () => new ListBackupJobsCommand({ ByResourceType: 'DynamoDB' }),
      'BackupJobs',
      1,
    ],
    [
      'ListBackupJobs ByAccountId',
      () => new ListBackupJobsCommand({ ByAccountId: PAYMENTS }),
      'BackupJobs',
      5,
    ],
    [
      'ListBackupJobs ByAccountId (other)',
      () => new ListBackupJobsCommand({ ByAccountId: LENDING }),
      'BackupJobs',
      0,
    ],
    [
      'ListBackupJobs ByParentJobId',
      () => new ListBackupJobsCommand({ ByParentJobId: 'parent-job-1' }),
      'BackupJobs',
      1,
    ],
    [
      'ListBackupJobs ByMessageCategory',
      () => new ListBackupJobsCommand({ ByMessageCategory: 'ACCESS_DENIED' }),
      'BackupJobs',
      1,
    ],
    [
      'ListBackupJobs ByCreatedBefore',
      () => new ListBackupJobsCommand({ ByCreatedBefore: ago(2.5 * DAY) }),
      'BackupJobs',
      2,
    ],
    [
      'ListBackupJobs ByCompleteBefore',
      () => new ListBackupJobsCommand({ ByCompleteBefore: ago(1.5 * DAY) }),
      'BackupJobs',
      3,
    ],
    [
      'ListCopyJobs ByResourceArn',
      () => new ListCopyJobsCommand({ ByResourceArn: LEDGER_DB }),
      'CopyJobs',
      2,
    ],
    [
      'ListCopyJobs ByResourceType',
      () => new ListCopyJobsCommand({ ByResourceType: 'DynamoDB' }),
      'CopyJobs',
      0,
    ],
    [
      'ListCopyJobs ByCreatedAfter',
      () => new ListCopyJobsCommand({ ByCreatedAfter: ago(19.5 * 3_600_000) }),
      'CopyJobs',
      1,
    ],
    [
      'ListCopyJobs ByCreatedBefore',
      () => new ListCopyJobsCommand({ ByCreatedBefore: ago(19.5 * 3_600_000) }),
      'CopyJobs',
      1,
    ],
    [
      'ListCopyJobs ByCompleteAfter',
      () => new ListCopyJobsCommand({ ByCompleteAfter: ago(19.5 * 3_600_000) }),
      'CopyJobs',
      1,
    ],
    [
      'ListCopyJobs ByCompleteBefore',
      () =>
        new ListCopyJobsCommand({ ByCompleteBefore: ago(19.5 * 3_600_000) }),
      'CopyJobs',
      1,
    ],
    [
      'ListCopyJobs BySourceRecoveryPointArn',
      () =>
        new ListCopyJobsCommand({
          BySourceRecoveryPointArn:
            'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-1',
        }),
      'CopyJobs',
      1,
    ],
    [
      'ListCopyJobs ByAccountId',
      () => new ListCopyJobsCommand({ ByAccountId: PAYMENTS }),
      'CopyJobs',
      2,
    ],
    [
      'ListCopyJobs ByParentJobId',
      () => new ListCopyJobsCommand({ ByParentJobId: 'parent-copy-1' }),
      'CopyJobs',
      1,
    ],
    [
      'ListCopyJobs ByMessageCategory',
      () => new ListCopyJobsCommand({ ByMessageCategory: 'SUCCESS' }),
      'CopyJobs',
      1,
    ],
    [
      'ListRestoreJobs ByResourceType',
      () => new ListRestoreJobsCommand({ ByResourceType: 'RDS' }),
      'RestoreJobs',
      2,
    ],
    [
      'ListRestoreJobs ByAccountId',
      () => new ListRestoreJobsCommand({ ByAccountId: LENDING }),
      'RestoreJobs',
      0,
    ],
    [
      'ListRestoreJobs ByCreatedAfter',
      () => new ListRestoreJobsCommand({ ByCreatedAfter: ago(1.5 * DAY) }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRestoreJobs ByCreatedBefore',
      () => new ListRestoreJobsCommand({ ByCreatedBefore: ago(1.5 * DAY) }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRestoreJobs ByCompleteAfter',
      () => new ListRestoreJobsCommand({ ByCompleteAfter: ago(1.5 * DAY) }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRestoreJobs ByCompleteBefore',
      () => new ListRestoreJobsCommand({ ByCompleteBefore: ago(1.5 * DAY) }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRestoreJobs ByParentJobId',
      () => new ListRestoreJobsCommand({ ByParentJobId: 'parent-restore-1' }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRestoreJobs ByRestoreTestingPlanArn',
      () => new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: planArn }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRecoveryPointsByBackupVault ByResourceType',
      () =>
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: LEDGER_VAULT,
          ByResourceType: 'RDS',
        }),
      'RecoveryPoints',
      6,
    ],
    [
      'ListRecoveryPointsByBackupVault ByParentRecoveryPointArn',
      () =>
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: LEDGER_VAULT,
          ByParentRecoveryPointArn:
            'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-4',
        }),
      'RecoveryPoints',
      1,
    ],
    [
      'ListRestoreJobsByProtectedResource ByRecoveryPointCreationDateAfter',
      () =>
        new ListRestoreJobsByProtectedResourceCommand({
          ResourceArn: LEDGER_DB,
          ByRecoveryPointCreationDateAfter: ago(3.5 * DAY),
        }),
      'RestoreJobs',
      1,
    ],
    [
      'ListRestoreJobsByProtectedResource ByRecoveryPointCreationDateBefore',
      () =>
        new ListRestoreJobsByProtectedResourceCommand({
          ResourceArn: LEDGER_DB,
          ByRecoveryPointCreationDateBefore: ago(3.5 * DAY),
        }),
      'RestoreJobs',
      1,
    ],
  ] as const)('filters %s', async (_name, command, key, count) => {
    const output: Record<string, unknown> = {
      ...(await backup().send(command() as any)),
    };
    expect(output[key]).toHaveLength(count);
  });

  it('accepts paths with a trailing slash, as other SDKs send them', async () => {
    const response = await fetch(`${emulator.url}/backup-vaults/`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKID${PAYMENTS}/20261126/eu-central-1/backup/aws4_request, SignedHeaders=host, Signature=0`,
      },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).BackupVaultList).toHaveLength(2);
  });
});

describe('Resource Groups Tagging API over awsJson1_1, through the real SDK', () => {
  it('matches tag filters: keys AND, values OR', async () => {
    const client = tagging();
    const prod = await client.send(
      new GetResourcesCommand({
        TagFilters: [
          { Key: 'app', Values: ['payments-ledger', 'card-transactions'] },
          { Key: 'env', Values: ['prod'] },
        ],
      }),
    );
    expect(prod.ResourceTagMappingList!.map(r => r.ResourceARN).sort()).toEqual(
      [CARDS_TABLE, LEDGER_DB].sort(),
    );
    expect(prod.PaginationToken).toBe('');
    const anyEnv = await client.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'env' }] }),
    );
    expect(anyEnv.ResourceTagMappingList).toHaveLength(3);
    expect(prod.ResourceTagMappingList![0].Tags).toEqual(
      expect.arrayContaining([{ Key: 'env', Value: 'prod' }]),
    );
  });

  it('filters by resource type, service or service:type', async () => {
    const client = tagging();
    const dbs = await client.send(
      new GetResourcesCommand({ ResourceTypeFilters: ['rds:db'] }),
    );
    expect(dbs.ResourceTagMappingList).toHaveLength(2);
    const tables = await client.send(
      new GetResourcesCommand({
        ResourceTypeFilters: ['dynamodb:table', 's3'],
      }),
    );
    expect(
      tables.ResourceTagMappingList!.map(r => r.ResourceARN).sort(),
    ).toEqual(['arn:aws:s3:::payments-exports', CARDS_TABLE].sort());
  });

  it('pages with ResourcesPerPage and ends with an empty PaginationToken', async () => {
    const arns: string[] = [];
    let pages = 0;
    for await (const page of paginateGetResources(
      { client: tagging(), pageSize: 3 },
      { ResourcesPerPage: 3 },
    )) {
      pages += 1;
      arns.push(...page.ResourceTagMappingList!.map(r => r.ResourceARN!));
    }
    expect(pages).toBe(2);
    expect(new Set(arns).size).toBe(4);
    await expect(
      tagging().send(new GetResourcesCommand({ ResourcesPerPage: 101 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('refuses ResourceARNList with paging parameters or filters, and more than 100 ARNs or resource types', async () => {
    const client = tagging();
    const byArn = await client.send(
      new GetResourcesCommand({ ResourceARNList: [LEDGER_DB, CARDS_TABLE] }),
    );
    expect(byArn.ResourceTagMappingList).toHaveLength(2);
    const arns = (n: number) =>
      Array.from({ length: n }, (_, i) => `${LEDGER_DB}-${i}`);
    for (const input of [
      { ResourceARNList: [LEDGER_DB], ResourcesPerPage: 50 },
      { ResourceARNList: [LEDGER_DB], TagsPerPage: 100 },
      { ResourceARNList: [LEDGER_DB], ResourceTypeFilters: ['rds:db'] },
      { ResourceARNList: [LEDGER_DB], TagFilters: [{ Key: 'app' }] },
      { ResourceARNList: arns(101) },
      { ResourceARNList: [] },
      { ResourceTypeFilters: Array.from({ length: 101 }, () => 'rds:db') },
    ]) {
      await expect(
        client.send(new GetResourcesCommand(input)),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        $metadata: expect.objectContaining({ httpStatusCode: 400 }),
      });
    }
    await expect(
      client.send(new GetResourcesCommand({ ResourceARNList: arns(100) })),
    ).resolves.toMatchObject({ ResourceTagMappingList: [] });
    await expect(
      client.send(
        new GetResourcesCommand({
          ResourceTypeFilters: Array.from({ length: 100 }, () => 'rds:db'),
        }),
      ),
    ).resolves.toMatchObject({ PaginationToken: '' });
  });

  it('answers PaginationTokenExpiredException for a bad token or one from other filters', async () => {
    const client = tagging();
    const first = await client.send(
      new GetResourcesCommand({ ResourcesPerPage: 1 }),
    );
    expect(first.PaginationToken).not.toBe('');
    for (const input of [
      { PaginationToken: 'not-a-token' },
      {
        ResourcesPerPage: 1,
        ResourceTypeFilters: ['s3'],
        PaginationToken: first.PaginationToken,
      },
    ]) {
      await expect(
        client.send(new GetResourcesCommand(input)),
      ).rejects.toMatchObject({
        name: 'PaginationTokenExpiredException',
        $metadata: expect.objectContaining({ httpStatusCode: 400 }),
      });
    }
    await expect(
      client.send(
        new GetResourcesCommand({
          ResourcesPerPage: 1,
          PaginationToken: first.PaginationToken,
        }),
      ),
    ).resolves.toBeDefined();
  });

  it('tells accounts apart by access key id and regions by the signing scope', async () => {
    const lending = await tagging({ accessKeyId: 'AKIALENDINGTEST' }).send(
      new GetResourcesCommand({}),
    );
    expect(lending.ResourceTagMappingList!.map(r => r.ResourceARN)).toEqual([
      'arn:aws:rds:eu-central-1:222222222222:cluster:loan-servicing',
    ]);
    const west = await tagging({ region: 'eu-west-1' }).send(
      new GetResourcesCommand({}),
    );
    expect(west.ResourceTagMappingList!.map(r => r.ResourceARN)).toEqual([
      'arn:aws:dynamodb:eu-west-1:111111111111:table/fx-rates',
    ]);
    const empty = await tagging({ region: 'us-east-1' }).send(
      new GetResourcesCommand({}),
    );
    expect(empty.ResourceTagMappingList).toEqual([]);
    await expect(
      tagging({ accessKeyId: 'AKIAUNKNOWN' }).send(new GetResourcesCommand({})),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});

describe('fault injection', () => {
  it('denies every call into an account marked AccessDenied, and only there', async () => {
    await expect(
      backup({ accessKeyId: 'AKID444444444444' }).send(
        new ListBackupJobsCommand({}),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('backup:ListBackupJobs'),
    });
    await expect(
      tagging({ accessKeyId: 'AKID444444444444' }).send(
        new GetResourcesCommand({}),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      backup().send(new ListBackupJobsCommand({})),
    ).resolves.toBeDefined();
    emulator.setAccessDenied(PAYMENTS, true);
    await expect(
      backup().send(new ListBackupJobsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('throttles above MaxRequestsPerSecond per operation', async () => {
    emulator.setFaults(PAYMENTS, 'eu-central-1', { MaxRequestsPerSecond: 2 });
    const client = backup();
    await client.send(new ListBackupJobsCommand({}));
    await client.send(new ListBackupJobsCommand({}));
    await expect(
      client.send(new ListBackupJobsCommand({})),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });
    // Another operation has its own bucket.
    await expect(
      client.send(new ListCopyJobsCommand({})),
    ).resolves.toBeDefined();
    emulator.setFaults(PAYMENTS, 'eu-central-1', { MaxRequestsPerSecond: 1 });
    const tags = tagging();
    await tags.send(new GetResourcesCommand({}));
    await expect(tags.send(new GetResourcesCommand({}))).rejects.toMatchObject({
      name: 'ThrottledException',
    });
    expect(emulator.stats().throttled).toBe(2);
  });

  it('throttles a seeded fraction of calls, the same ones on every run', async () => {
    const outcomes = async () => {
      emulator.setFaults(PAYMENTS, 'eu-central-1', {
        ThrottleRate: 0.5,
        ThrottleSeed: 7,
      });
      const client = backup();
      const results: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        results.push(
          await client.send(new ListBackupVaultsCommand({})).then(
            () => true,
            error => {
              expect(error.name).toBe('ThrottlingException');
              return false;
            },
          ),
        );
      }
      return results;
    };
    const first = await outcomes();
    const second = await outcomes();
    expect(second).toEqual(first);
    const throttled = first.filter(ok => !ok).length;
    expect(throttled).toBeGreaterThan(3);
    expect(throttled).toBeLessThan(17);
  });

  it("lets the SDK's adaptive retries ride out throttling", async () => {
    emulator.setFaults(PAYMENTS, 'eu-central-1', {
      ThrottleRate: 0.4,
      ThrottleSeed: 3,
    });
    // As the collector configures its clients.
    const client = new BackupClient({
      endpoint: emulator.url,
      region: 'eu-central-1',
      credentials: {
        accessKeyId: `AKID${PAYMENTS}`,
        secretAccessKey: 'emulator',
      },
      retryMode: 'adaptive',
      maxAttempts: 8,
    });
    for (let i = 0; i < 3; i++) {
      await expect(
        client.send(new ListBackupVaultsCommand({})),
      ).resolves.toBeDefined();
    }
    const { ListBackupVaults } = emulator.stats().operations;
    expect(ListBackupVaults.throttled).toBeGreaterThan(0);
    expect(ListBackupVaults.calls).toBe(3 + ListBackupVaults.throttled);
  }, 60_000);

  it('fails with HTTP 500 after FailAfterCalls calls into the account-region', async () => {
    emulator.setFaults(PAYMENTS, 'eu-central-1', { FailAfterCalls: 2 });
    const client = backup();
    await client.send(new ListBackupVaultsCommand({}));
    await client.send(new ListBackupJobsCommand({}));
    await expect(
      client.send(new ListCopyJobsCommand({})),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      $metadata: expect.objectContaining({ httpStatusCode: 500 }),
    });
    // Other regions are unaffected.
    await expect(
      backup({ region: 'eu-west-1' }).send(new ListBackupVaultsCommand({})),
    ).resolves.toBeDefined();
  });

  it('deletes a VanishingVaults vault once a listing has named it: later listings leave it out, its points answer 403', async () => {
    emulator.setFaults(PAYMENTS, 'eu-central-1', {
      VanishingVaults: [LEDGER_VAULT],
    });
    const client = backup();
    // Until it is listed, the vault is there.
    await expect(
      client.send(
        new DescribeBackupVaultCommand({ BackupVaultName: LEDGER_VAULT }),
      ),
    ).resolves.toMatchObject({ NumberOfRecoveryPoints: 7 });
    const listed = await client.send(new ListBackupVaultsCommand({}));
    expect(listed.BackupVaultList!.map(v => v.BackupVaultName)).toEqual([
      LEDGER_VAULT,
      'scratch',
    ]);
    for (const command of [
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: LEDGER_VAULT,
      }),
      new DescribeBackupVaultCommand({ BackupVaultName: LEDGER_VAULT }),
    ]) {
      await expect(client.send(command as any)).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: 'Insufficient privileges to perform this action.',
        $metadata: expect.objectContaining({ httpStatusCode: 403 }),
      });
    }
    const again = await client.send(new ListBackupVaultsCommand({}));
    expect(again.BackupVaultList!.map(v => v.BackupVaultName)).toEqual([
      'scratch',
    ]);
    // Its recovery points went with it.
    const { Results } = await client.send(
      new ListProtectedResourcesCommand({}),
    );
    expect(Results).toEqual([]);
    // Other vaults and regions are untouched, and new faults bring it back.
    await expect(
      backup({ region: 'eu-west-1' }).send(new ListBackupVaultsCommand({})),
    ).resolves.toBeDefined();
    emulator.setFaults(PAYMENTS, 'eu-central-1', {});
    await expect(
      client.send(
        new DescribeBackupVaultCommand({ BackupVaultName: LEDGER_VAULT }),
      ),
    ).resolves.toBeDefined();
  });

  it('refuses a VanishingVaults fault naming a vault the region does not have', () => {
    const data = testScenarioData();
    (data.Accounts[0].Regions![0] as any).Faults = {
      VanishingVaults: ['payments-valut'],
    };
    expect(() => parseScenario(data, { now: NOW })).toThrow(
      /Faults\/VanishingVaults\/0: no vault "payments-valut"/,
    );
  });

  const allPoints = async () =>
    (
      await backup().send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: LEDGER_VAULT,
        }),
      )
    ).RecoveryPoints!.map(p => p.RecoveryPointArn!);
  const allResources = async () =>
    (
      await tagging().send(new GetResourcesCommand({}))
    ).ResourceTagMappingList!.map(r => r.ResourceARN!);

  it('cuts pages short at ShortPageRate, down to empty, with tokens; paginators still read every item, the same pages for a seed', async () => {
    const pages = async () => {
      emulator.setFaults(PAYMENTS, 'eu-central-1', {
        ShortPageRate: 0.7,
        ShortPageSeed: 3,
      });
      const sizes: number[] = [];
      const arns: string[] = [];
      for await (const page of paginateListRecoveryPointsByBackupVault(
        { client: backup(), pageSize: 3 },
        { BackupVaultName: LEDGER_VAULT },
      )) {
        sizes.push(page.RecoveryPoints!.length);
        arns.push(...page.RecoveryPoints!.map(p => p.RecoveryPointArn!));
      }
      for await (const page of paginateGetResources(
        { client: tagging(), pageSize: 2 },
        { ResourcesPerPage: 2 },
      )) {
        sizes.push(page.ResourceTagMappingList!.length);
        arns.push(...page.ResourceTagMappingList!.map(r => r.ResourceARN!));
      }
      return { sizes, arns };
    };
    emulator.resetStats();
    const first = await pages();
    expect(emulator.stats()).toMatchObject({ shortPages: 4, emptyPages: 2 });
    expect(await pages()).toEqual(first);
    emulator.setFaults(PAYMENTS, 'eu-central-1', {});
    // 7 recovery points and 4 tagged resources, each once, in order.
    expect(first.arns).toEqual([
      ...(await allPoints()),
      ...(await allResources()),
    ]);
    // Without the fault: [3, 3, 1] and [2, 2]. Short pages, empty pages with a
    // token, and a token leading to an empty last page.
    expect(first.sizes).toEqual([3, 1, 3, 0, 1, 0, 2, 0, 1]);
  });

  it('never cuts a page short without the fault', async () => {
    const sizes: number[] = [];
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client: backup(), pageSize: 3 },
      { BackupVaultName: LEDGER_VAULT },
    )) {
      sizes.push(page.RecoveryPoints!.length);
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(emulator.stats()).toMatchObject({ shortPages: 0, emptyPages: 0 });
  });

  it('adds latency to every response', async () => {
    emulator.setFaults(PAYMENTS, 'eu-central-1', { LatencyMs: 150 });
    const started = Date.now();
    await backup().send(new ListBackupVaultsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('applies new faults to the calls already waiting: a held call goes when the latency is lifted', async () => {
    emulator.setFaults(PAYMENTS, 'eu-central-1', { LatencyMs: 3_600_000 });
    const call = listVaultsHeld();
    try {
      // the call has reached the emulator and waits there
      await waitUntil(() => emulator.stats().held === 1);
      expect(call.answered()).toBe(false);
    } finally {
      emulator.setFaults(PAYMENTS, 'eu-central-1', {});
    }
    expect((await call.answer).BackupVaultList?.length).toBeGreaterThan(0);
  });

  it('gives the default faults to every account-region, one nobody used included, beneath a region’s own', async () => {
    await emulator.close();
    const scenario = testScenario();
    // the scenario's own faults of one region win over the defaults
    const ledger = scenario.accounts
      .find(a => a.accountId === PAYMENTS)!
      .regions.get('eu-central-1')!;
    ledger.faults = { LatencyMs: 0 };
    emulator = await startEmulator({
      scenario,
      defaultFaults: { LatencyMs: 3_600_000 },
    });

    // a region the scenario does not hold waits as any other would
    const unused = listVaultsHeld('ap-southeast-2');
    try {
      await waitUntil(() => emulator.stats().held === 1);
      const own = await backup().send(new ListBackupVaultsCommand({}));
      expect(own.BackupVaultList?.length).toBeGreaterThan(0);
      expect(unused.answered()).toBe(false);
      expect(emulator.stats().held).toBe(1);
    } finally {
      // let the held call go, whatever happened
      emulator.setFaults(PAYMENTS, 'ap-southeast-2', {});
    }
    expect((await unused.answer).BackupVaultList).toEqual([]);
  });
});

describe('/_emulator/stats', () => {
  it('counts calls per operation and per account-region over HTTP, and resets', async () => {
    const client = backup();
    await client.send(new ListBackupVaultsCommand({}));
    await client.send(new ListBackupVaultsCommand({}));
    await tagging({ accessKeyId: 'AKIALENDINGTEST' }).send(
      new GetResourcesCommand({}),
    );
    await expect(
      client.send(new GetBackupPlanCommand({ BackupPlanId: 'missing' })),
    ).rejects.toBeDefined();

    const stats = await (await fetch(`${emulator.url}/_emulator/stats`)).json();
    expect(stats).toMatchObject({
      calls: 4,
      errors: 1,
      operations: {
        ListBackupVaults: { calls: 2, throttled: 0, errors: 0 },
        GetResources: { calls: 1 },
        GetBackupPlan: { calls: 1, errors: 1 },
      },
      accountRegions: {
        [`${PAYMENTS}/eu-central-1`]: {
          calls: 3,
          operations: { ListBackupVaults: 2 },
        },
        [`${LENDING}/eu-central-1`]: {
          calls: 1,
          operations: { GetResources: 1 },
        },
      },
    });
    await fetch(`${emulator.url}/_emulator/stats`, { method: 'DELETE' });
    expect(emulator.stats().calls).toBe(0);
  });
});
