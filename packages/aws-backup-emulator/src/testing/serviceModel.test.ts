import {
  loadServiceModel,
  readSdkTypes,
  restRequest,
  validateOutput,
} from './serviceModel';

const backup = loadServiceModel('backup-2018-11-15');
const tagging = loadServiceModel('resourcegroupstaggingapi-2017-01-26');
const backupTypes = readSdkTypes('@aws-sdk/client-backup');
const taggingTypes = readSdkTypes(
  '@aws-sdk/client-resource-groups-tagging-api',
);

const job = {
  BackupJobId: 'job-1',
  State: 'COMPLETED',
  CreationDate: 1_795_000_000.5,
  BackupSizeInBytes: 1024,
  IsParent: false,
  CreatedBy: { BackupPlanId: 'plan-1' },
};

const problemsOf = (body: unknown) =>
  validateOutput(backup, 'ListBackupJobs', body, backupTypes).problems;

describe('validateOutput', () => {
  it('accepts a body as the model declares it', () => {
    expect(problemsOf({ BackupJobs: [job], NextToken: 't' })).toEqual([]);
  });

  it.each([
    [
      'an unknown member',
      { Colour: 'red' },
      'Colour: not a member of the model',
    ],
    [
      'an ISO timestamp',
      { CreationDate: '2026-11-26T12:00:00Z' },
      'CreationDate: expected a timestamp in epoch seconds',
    ],
    [
      'a timestamp in milliseconds',
      { CreationDate: 1_795_000_000_000 },
      'CreationDate: expected a timestamp in epoch seconds',
    ],
    [
      'a long as a string',
      { BackupSizeInBytes: '1024' },
      'BackupSizeInBytes: expected an long',
    ],
    [
      'a fraction for a long',
      { BackupSizeInBytes: 1.5 },
      'BackupSizeInBytes: expected an long',
    ],
    [
      'a boolean as a string',
      { IsParent: 'false' },
      'IsParent: expected a boolean',
    ],
    [
      'a lower-case enum value',
      { State: 'completed' },
      'State: expected one of BackupJobState',
    ],
    [
      'null for a member',
      { StatusMessage: null },
      'StatusMessage: expected a string',
    ],
    [
      'a structure as a string',
      { CreatedBy: 'plan-1' },
      'CreatedBy: expected a structure',
    ],
  ])('finds %s', (_name, change, problem) => {
    expect(problemsOf({ BackupJobs: [{ ...job, ...change }] })).toEqual([
      expect.stringContaining(`ListBackupJobs.BackupJobs[0].${problem}`),
    ]);
  });

  it('finds a list that is not an array and a required member left out', () => {
    expect(problemsOf({ BackupJobs: job })).toEqual([
      expect.stringContaining('ListBackupJobs.BackupJobs: expected a list'),
    ]);
    expect(
      validateOutput(
        tagging,
        'GetResources',
        {
          ResourceTagMappingList: [
            { ResourceARN: 'arn:a', Tags: [{ Key: 'app' }] },
          ],
        },
        taggingTypes,
      ).problems,
    ).toEqual([
      'GetResources.ResourceTagMappingList[0].Tags[0].Value: required member missing',
    ]);
  });

  it('checks members newer than the v2 model by the v3 SDK types, and reports them apart', () => {
    const report = validateOutput(
      backup,
      'ListBackupVaults',
      {
        BackupVaultList: [
          { BackupVaultName: 'a', EncryptionKeyType: 'AWS_OWNED_KMS_KEY' },
          { BackupVaultName: 'b', EncryptionKeyType: 'aws-owned' },
        ],
      },
      backupTypes,
    );
    expect([...report.newerMembers]).toEqual([
      'BackupVaultListMember.EncryptionKeyType',
    ]);
    expect(report.problems).toEqual([
      expect.stringContaining(
        'ListBackupVaults.BackupVaultList[1].EncryptionKeyType: expected EncryptionKeyType',
      ),
    ]);
  });
});

describe('restRequest', () => {
  it("builds the path and query from the model's URI template and bindings", () => {
    expect(
      restRequest(backup, 'ListRecoveryPointsByBackupVault', {
        BackupVaultName: 'payments-vault',
        ByResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
        MaxResults: 2,
      }),
    ).toEqual({
      method: 'GET',
      path: '/backup-vaults/payments-vault/recovery-points/?resourceArn=arn%3Aaws%3Ards%3Aeu-central-1%3A111111111111%3Adb%3Aledger&maxResults=2',
    });
  });
});
