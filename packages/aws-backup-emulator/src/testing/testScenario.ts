import { parseScenario } from '../scenario/loadScenario';

/** The moment relative times in test scenarios resolve against. */
export const NOW = new Date('2026-11-26T12:00:00Z');

export const PAYMENTS = '111111111111';
export const LENDING = '222222222222';
export const LEDGER_DB =
  'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger';
export const CARDS_TABLE =
  'arn:aws:dynamodb:eu-central-1:111111111111:table/card-transactions';
export const LEDGER_VAULT = 'payments-vault';
export const RESTORE_PLAN = 'monthly_restore_tests';

const point = (
  days: number,
  rule: 'daily' | 'monthly',
  resource = LEDGER_DB,
) => ({
  RecoveryPointArn: `arn:aws:backup:eu-central-1:111111111111:recovery-point:${rule}-${days}`,
  ResourceArn: resource,
  CreationDate: `-${days}d`,
  Lifecycle: { DeleteAfterDays: rule === 'daily' ? 30 : 365 },
  CreatedBy: {
    BackupPlanId: 'ledger-plan',
    BackupRuleName: rule,
    BackupRuleCron:
      rule === 'daily' ? 'cron(0 2 * * ? *)' : 'cron(0 3 1 * ? *)',
  },
});

/** A small two-account scenario that exercises every operation. */
export function testScenarioData() {
  return {
    Description: 'unit-test world',
    Accounts: [
      {
        AccountId: PAYMENTS,
        Name: 'payments-prod',
        Regions: [
          {
            Region: 'eu-central-1',
            Resources: [
              {
                ResourceARN: LEDGER_DB,
                Tags: { app: 'payments-ledger', env: 'prod' },
              },
              {
                ResourceARN: CARDS_TABLE,
                Tags: { app: 'card-transactions', env: 'prod' },
              },
              {
                ResourceARN:
                  'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger-staging',
                Tags: { app: 'payments-ledger', env: 'staging' },
              },
              {
                ResourceARN: 'arn:aws:s3:::payments-exports',
                Tags: { app: 'exports' },
              },
            ],
            BackupVaults: [
              {
                BackupVaultName: LEDGER_VAULT,
                Locked: true,
                LockDate: '-400d',
                MinRetentionDays: 30,
                MaxRetentionDays: 2555,
                EncryptionKeyArn:
                  'arn:aws:kms:eu-central-1:111111111111:key/ledger',
                RecoveryPoints: [
                  point(1, 'daily'),
                  point(2, 'daily'),
                  point(3, 'daily'),
                  point(4, 'daily'),
                  point(40, 'monthly'),
                  {
                    ...point(5, 'daily'),
                    ParentRecoveryPointArn:
                      'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-4',
                  },
                  {
                    ResourceArn: CARDS_TABLE,
                    CreationDate: '-26h',
                    Lifecycle: { DeleteAfterDays: 30 },
                    CreatedBy: {
                      BackupPlanId: 'cards-plan',
                      BackupRuleName: 'daily',
                    },
                  },
                ],
              },
              {
                BackupVaultName: 'scratch',
                VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
                MinRetentionDays: 7,
                MaxRetentionDays: 3650,
              },
            ],
            BackupPlans: [
              {
                BackupPlanId: 'ledger-plan',
                BackupPlanName: 'transactions-db',
                Rules: [
                  {
                    RuleName: 'daily',
                    TargetBackupVaultName: LEDGER_VAULT,
                    ScheduleExpression: 'cron(0 2 * * ? *)',
                    Lifecycle: { DeleteAfterDays: 30 },
                    CopyActions: [
                      {
                        DestinationBackupVaultArn:
                          'arn:aws:backup:eu-west-1:111111111111:backup-vault:payments-copy',
                        Lifecycle: { DeleteAfterDays: 30 },
                      },
                    ],
                  },
                ],
                Selections: [
                  {
                    SelectionName: 'by-policy-tag',
                    ListOfTags: [
                      {
                        ConditionType: 'STRINGEQUALS',
                        ConditionKey: 'backup-policy',
                        ConditionValue: 'transactions-db',
                      },
                    ],
                  },
                ],
              },
              {
                BackupPlanName: 'retired',
                DeletionDate: '-10d',
                Rules: [],
              },
            ],
            BackupJobs: [
              {
                ResourceArn: LEDGER_DB,
                BackupVaultName: LEDGER_VAULT,
                State: 'COMPLETED',
                CreationDate: '-1d',
              },
              {
                ResourceArn: LEDGER_DB,
                BackupVaultName: LEDGER_VAULT,
                State: 'COMPLETED',
                CreationDate: '-2d',
              },
              {
                ResourceArn: CARDS_TABLE,
                BackupVaultName: LEDGER_VAULT,
                State: 'FAILED',
                StatusMessage: 'Insufficient privileges',
                MessageCategory: 'ACCESS_DENIED',
                CreationDate: '-2h',
                CompletionDate: '-1h',
              },
              {
                ResourceArn: LEDGER_DB,
                BackupVaultName: 'scratch',
                State: 'ABORTED',
                CreationDate: '-20d',
              },
              {
                ResourceArn: LEDGER_DB,
                BackupVaultName: LEDGER_VAULT,
                State: 'COMPLETED',
                CreationDate: '-3d',
                ParentJobId: 'parent-job-1',
              },
            ],
            CopyJobs: [
              {
                ResourceArn: LEDGER_DB,
                DestinationBackupVaultArn:
                  'arn:aws:backup:eu-west-1:111111111111:backup-vault:payments-copy',
                State: 'COMPLETED',
                CreationDate: '-20h',
                SourceRecoveryPointArn:
                  'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-1',
                MessageCategory: 'SUCCESS',
              },
              {
                ResourceArn: LEDGER_DB,
                DestinationBackupVaultArn:
                  'arn:aws:backup:eu-central-1:333333333333:backup-vault:central',
                State: 'FAILED',
                CreationDate: '-19h',
                ParentJobId: 'parent-copy-1',
              },
            ],
            RestoreJobs: [
              {
                SourceResourceArn: LEDGER_DB,
                RecoveryPointArn:
                  'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-3',
                RecoveryPointCreationDate: '-3d',
                Status: 'COMPLETED',
                CreationDate: '-2d',
                CompletionDate: '-47h',
                ValidationStatus: 'SUCCESSFUL',
                CreatedBy: {
                  RestoreTestingPlanArn: `arn:aws:backup:eu-central-1:111111111111:restore-testing-plan:${RESTORE_PLAN}`,
                },
              },
              {
                SourceResourceArn: LEDGER_DB,
                RecoveryPointArn:
                  'arn:aws:backup:eu-central-1:111111111111:recovery-point:daily-4',
                RecoveryPointCreationDate: '-4d',
                Status: 'FAILED',
                CreationDate: '-1d',
                ParentJobId: 'parent-restore-1',
              },
            ],
            RestoreTestingPlans: [
              {
                RestoreTestingPlanName: RESTORE_PLAN,
                ScheduleExpression: 'cron(0 5 ? * 1 *)',
                RecoveryPointSelection: {
                  Algorithm: 'LATEST_WITHIN_WINDOW',
                  IncludeVaults: ['*'],
                  SelectionWindowDays: 7,
                },
                Selections: [
                  {
                    RestoreTestingSelectionName: 'rds_by_policy',
                    ProtectedResourceType: 'RDS',
                    ProtectedResourceConditions: {
                      StringEquals: [
                        {
                          Key: 'aws:ResourceTag/backup-policy',
                          Value: 'transactions-db',
                        },
                      ],
                    },
                    ValidationWindowHours: 2,
                  },
                  {
                    RestoreTestingSelectionName: 'dynamodb_all',
                    ProtectedResourceType: 'DynamoDB',
                    ProtectedResourceArns: ['*'],
                  },
                ],
              },
            ],
            LegalHolds: [
              {
                LegalHoldId: 'hold-1',
                Title: 'Litigation 2026-114',
                Status: 'ACTIVE',
                CreationDate: '-5d',
                RecoveryPointArns: [
                  'arn:aws:backup:eu-central-1:111111111111:recovery-point:monthly-40',
                ],
              },
            ],
          },
          {
            Region: 'eu-west-1',
            Resources: [
              {
                ResourceARN:
                  'arn:aws:dynamodb:eu-west-1:111111111111:table/fx-rates',
                Tags: { app: 'fx-rates', env: 'prod' },
              },
            ],
            BackupVaults: [{ BackupVaultName: 'payments-copy' }],
          },
        ],
      },
      {
        AccountId: LENDING,
        AccessKeyId: 'AKIALENDINGTEST',
        Regions: [
          {
            Region: 'eu-central-1',
            Resources: [
              {
                ResourceARN:
                  'arn:aws:rds:eu-central-1:222222222222:cluster:loan-servicing',
                Tags: { app: 'loan-servicing', env: 'prod' },
              },
            ],
          },
        ],
      },
      { AccountId: '444444444444', AccessDenied: true },
    ],
  };
}

export function testScenario() {
  return parseScenario(testScenarioData(), { file: 'test', now: NOW });
}
