import {
  BackupClient,
  BackupServiceException,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
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
  ListRestoreJobsCommand,
  ListRestoreTestingPlansCommand,
  ListRestoreTestingSelectionsCommand,
} from '@aws-sdk/client-backup';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { collectAccountRegion } from './collectAccountRegion';

const backup = new BackupClient({ region: 'eu-central-1' });
const tagging = new ResourceGroupsTaggingAPIClient({ region: 'eu-central-1' });
const backupMock = mockClient(backup);
const taggingMock = mockClient(tagging);

const SINCE = new Date('2026-11-26T08:00:00Z');
const JOBS_SINCE = new Date('2026-10-27T10:00:00Z');
const target = {
  accountId: '111111111111',
  region: 'eu-central-1',
  jobsSince: JOBS_SINCE,
};

function emptyAccount() {
  taggingMock
    .on(GetResourcesCommand)
    .resolves({ ResourceTagMappingList: [], PaginationToken: '' });
  backupMock.on(ListProtectedResourcesCommand).resolves({ Results: [] });
  backupMock.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });
  backupMock.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
  backupMock.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backupMock.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backupMock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
  backupMock
    .on(ListRestoreTestingPlansCommand)
    .resolves({ RestoreTestingPlans: [] });
  backupMock.on(ListLegalHoldsCommand).resolves({ LegalHolds: [] });
}

beforeEach(() => {
  backupMock.reset();
  taggingMock.reset();
  emptyAccount();
});

describe('collectAccountRegion', () => {
  it('reads an empty account-region with one call per listing', async () => {
    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'full' },
    );
    expect(snapshot).toMatchObject({
      resources: [],
      vaults: [],
      recoveryPoints: [],
      backupJobs: [],
      legalHolds: [],
      mode: 'full',
      since: JOBS_SINCE,
      notes: [],
    });
    expect(taggingMock.calls()).toHaveLength(1);
    expect(backupMock.calls()).toHaveLength(8);
  });

  it('pages the Tagging API and filters on Backup-supported resource types', async () => {
    taggingMock
      .on(GetResourcesCommand)
      .resolvesOnce({
        ResourceTagMappingList: [
          {
            ResourceARN: 'arn:a',
            Tags: [
              { Key: 'app', Value: 'ledger' },
              { Key: 'env', Value: 'prod' },
            ],
          },
        ],
        PaginationToken: 'page-2',
      })
      .resolvesOnce({
        ResourceTagMappingList: [{ ResourceARN: 'arn:b', Tags: [] }],
        PaginationToken: '',
      });

    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'full' },
    );

    expect(snapshot.resources).toEqual([
      { arn: 'arn:a', tags: { app: 'ledger', env: 'prod' } },
      { arn: 'arn:b', tags: {} },
    ]);
    const inputs = taggingMock
      .commandCalls(GetResourcesCommand)
      .map(c => c.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0].ResourceTypeFilters).toEqual(
      expect.arrayContaining(['rds:db', 'dynamodb:table', 's3']),
    );
    expect(inputs[0].ResourcesPerPage).toBe(100);
    expect(inputs[1].PaginationToken).toBe('page-2');
  });

  it("reads every vault's recovery points, paging, and all of them on a full cycle", async () => {
    backupMock.on(ListBackupVaultsCommand).resolves({
      BackupVaultList: [{ BackupVaultName: 'a' }, { BackupVaultName: 'b' }],
    });
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'a' })
      .resolvesOnce({
        RecoveryPoints: [{ RecoveryPointArn: 'a1' }],
        NextToken: 't',
      })
      .resolvesOnce({ RecoveryPoints: [{ RecoveryPointArn: 'a2' }] });
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'b' })
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: 'b1' }] });

    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'full' },
    );

    expect(snapshot.recoveryPoints.map(p => p.RecoveryPointArn)).toEqual([
      'a1',
      'a2',
      'b1',
    ]);
    const calls = backupMock.commandCalls(
      ListRecoveryPointsByBackupVaultCommand,
    );
    expect(calls.map(c => c.args[0].input.ByCreatedAfter)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    // vaults are read side by side: a's second page carries a's token
    const ofA = calls.filter(c => c.args[0].input.BackupVaultName === 'a');
    expect(ofA).toHaveLength(2);
    expect(ofA[1].args[0].input.NextToken).toBe('t');
    expect(
      backupMock.commandCalls(ListBackupJobsCommand)[0].args[0].input
        .ByCreatedAfter,
    ).toEqual(JOBS_SINCE);
  });

  it("starts every listing without the previous listing's page token", async () => {
    backupMock
      .on(ListBackupJobsCommand)
      .resolvesOnce({
        BackupJobs: [{ BackupJobId: 'j1' }],
        NextToken: 'backup-jobs-page-2',
      })
      .resolvesOnce({ BackupJobs: [{ BackupJobId: 'j2' }] });
    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'full' },
    );
    expect(snapshot.backupJobs.map(j => j.BackupJobId)).toEqual(['j1', 'j2']);
    expect(
      backupMock.commandCalls(ListCopyJobsCommand)[0].args[0].input.NextToken,
    ).toBeUndefined();
    expect(
      backupMock.commandCalls(ListRestoreJobsCommand)[0].args[0].input
        .NextToken,
    ).toBeUndefined();
  });

  it('asks only for what is new since the last cycle on an incremental cycle', async () => {
    backupMock
      .on(ListBackupVaultsCommand)
      .resolves({ BackupVaultList: [{ BackupVaultName: 'a' }] });
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolves({ RecoveryPoints: [] });

    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'incremental', since: SINCE },
    );

    expect(snapshot.since).toEqual(SINCE);
    expect(
      backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0]
        .input.ByCreatedAfter,
    ).toEqual(SINCE);
    for (const command of [
      ListBackupJobsCommand,
      ListCopyJobsCommand,
      ListRestoreJobsCommand,
    ]) {
      expect(
        backupMock.commandCalls(command as any)[0].args[0].input,
      ).toMatchObject({ ByCreatedAfter: SINCE });
    }
  });

  it('reads plans with their rules and selections, restore testing and legal holds', async () => {
    backupMock
      .on(ListBackupPlansCommand)
      .resolves({ BackupPlansList: [{ BackupPlanId: 'p1' }] });
    backupMock.on(GetBackupPlanCommand).resolves({
      BackupPlanId: 'p1',
      BackupPlan: {
        BackupPlanName: 'daily',
        Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'a' }],
      },
    });
    backupMock
      .on(ListBackupSelectionsCommand)
      .resolves({ BackupSelectionsList: [{ SelectionId: 's1' }] });
    backupMock.on(GetBackupSelectionCommand).resolves({
      SelectionId: 's1',
      BackupSelection: { SelectionName: 'tagged', IamRoleArn: 'r' },
    });
    backupMock.on(ListRestoreTestingPlansCommand).resolves({
      RestoreTestingPlans: [{ RestoreTestingPlanName: 'weekly' } as any],
    });
    backupMock.on(GetRestoreTestingPlanCommand).resolves({
      RestoreTestingPlan: {
        RestoreTestingPlanName: 'weekly',
        ScheduleExpression: 'cron(0 5 ? * 1 *)',
      } as any,
    });
    backupMock.on(ListRestoreTestingSelectionsCommand).resolves({
      RestoreTestingSelections: [{ RestoreTestingSelectionName: 'rds' } as any],
    });
    backupMock.on(GetRestoreTestingSelectionCommand).resolves({
      RestoreTestingSelection: {
        RestoreTestingSelectionName: 'rds',
        ProtectedResourceType: 'RDS',
      } as any,
    });
    backupMock
      .on(ListLegalHoldsCommand)
      .resolves({ LegalHolds: [{ LegalHoldId: 'h1', Status: 'ACTIVE' }] });
    backupMock.on(ListRecoveryPointsByLegalHoldCommand).resolves({
      RecoveryPoints: [
        { RecoveryPointArn: 'rp-1' },
        { RecoveryPointArn: 'rp-2' },
      ],
    });

    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'full' },
    );

    expect(snapshot.backupPlans).toEqual([
      {
        plan: expect.objectContaining({
          BackupPlanId: 'p1',
          BackupPlan: expect.objectContaining({ BackupPlanName: 'daily' }),
        }),
        selections: [expect.objectContaining({ SelectionId: 's1' })],
      },
    ]);
    expect(snapshot.backupPlans[0].plan).not.toHaveProperty('$metadata');
    expect(snapshot.restoreTestingPlans).toEqual([
      {
        plan: expect.objectContaining({ RestoreTestingPlanName: 'weekly' }),
        selections: [expect.objectContaining({ ProtectedResourceType: 'RDS' })],
      },
    ]);
    expect(snapshot.legalHolds).toEqual([
      {
        hold: { LegalHoldId: 'h1', Status: 'ACTIVE' },
        recoveryPointArns: ['rp-1', 'rp-2'],
      },
    ]);
  });

  const accessDenied = () =>
    new BackupServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'Insufficient privileges to perform this action.',
    });

  it('skips a vault deleted after it was listed (AccessDenied, no longer listed) and says so', async () => {
    backupMock
      .on(ListBackupVaultsCommand)
      .resolvesOnce({
        BackupVaultList: [
          { BackupVaultName: 'a' },
          { BackupVaultName: 'gone' },
          { BackupVaultName: 'c' },
        ],
      })
      .resolves({
        BackupVaultList: [{ BackupVaultName: 'a' }, { BackupVaultName: 'c' }],
      });
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'a' })
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: 'a1' }] });
    // A first page, then the vault is deleted under the reader's feet.
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'gone' })
      .resolvesOnce({
        RecoveryPoints: [{ RecoveryPointArn: 'gone1' }],
        NextToken: 't',
      })
      .rejects(accessDenied());
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'c' })
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: 'c1' }] });

    const snapshot = await collectAccountRegion(
      { backup, tagging },
      { ...target, mode: 'full' },
    );

    expect(snapshot.vaults.map(v => v.BackupVaultName)).toEqual(['a', 'c']);
    expect(snapshot.recoveryPoints.map(p => p.RecoveryPointArn)).toEqual([
      'a1',
      'c1',
    ]);
    expect(snapshot.notes).toEqual([
      expect.stringMatching(
        /^Backup vault gone was deleted while it was being read: .*AccessDeniedException.*no longer lists it/,
      ),
    ]);
    expect(backupMock.commandCalls(ListBackupVaultsCommand)).toHaveLength(2);
  });

  it('fails the account-region on AccessDenied for a vault that is still listed: a permission problem', async () => {
    backupMock.on(ListBackupVaultsCommand).resolves({
      BackupVaultList: [{ BackupVaultName: 'a' }, { BackupVaultName: 'b' }],
    });
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'a' })
      .rejects(accessDenied());
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'b' })
      .resolves({ RecoveryPoints: [] });
    await expect(
      collectAccountRegion({ backup, tagging }, { ...target, mode: 'full' }),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(backupMock.commandCalls(ListBackupVaultsCommand)).toHaveLength(2);
  });

  it('takes no other error on a vault for a deleted vault', async () => {
    backupMock
      .on(ListBackupVaultsCommand)
      .resolvesOnce({ BackupVaultList: [{ BackupVaultName: 'a' }] })
      .resolves({ BackupVaultList: [] });
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).rejects(
      new BackupServiceException({
        name: 'ServiceUnavailableException',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'down',
      }),
    );
    await expect(
      collectAccountRegion({ backup, tagging }, { ...target, mode: 'full' }),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableException' });
  });

  it.each(['ThrottlingException', 'AccessDeniedException'])(
    'rejects with the AWS error (%s) so the caller keeps the previous data',
    async name => {
      backupMock.on(ListBackupJobsCommand).rejects(
        new BackupServiceException({
          name,
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: `${name} happened`,
        }),
      );
      await expect(
        collectAccountRegion({ backup, tagging }, { ...target, mode: 'full' }),
      ).rejects.toMatchObject({ name, message: `${name} happened` });
    },
  );
});
