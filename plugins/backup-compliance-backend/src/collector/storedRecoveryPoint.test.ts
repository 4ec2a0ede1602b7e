import type { RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { storedRecoveryPoint } from './storedRecoveryPoint';

const created = new Date('2026-11-30T01:00:00Z');

/** Every field `ListRecoveryPointsByBackupVault` can send for one point. */
const listed: RecoveryPointByBackupVault = {
  RecoveryPointArn:
    'arn:aws:rds:eu-central-1:111111111111:snapshot:awsbackup:job-1a2b',
  BackupVaultName: 'prod-vault',
  BackupVaultArn:
    'arn:aws:backup:eu-central-1:111111111111:backup-vault:prod-vault',
  SourceBackupVaultArn:
    'arn:aws:backup:eu-west-1:111111111111:backup-vault:source-vault',
  ResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:payments',
  ResourceType: 'RDS',
  CreatedBy: {
    BackupPlanId: 'plan-1',
    BackupPlanArn:
      'arn:aws:backup:eu-central-1:111111111111:backup-plan:plan-1',
    BackupPlanName: 'payments-plan',
    BackupPlanVersion: 'version-1',
    BackupRuleId: 'rule-1',
    BackupRuleName: 'daily',
    BackupRuleCron: 'cron(0 1 * * ? *)',
    BackupRuleTimezone: 'Europe/Berlin',
  },
  IamRoleArn: 'arn:aws:iam::111111111111:role/backup',
  Status: 'COMPLETED',
  StatusMessage: 'done',
  CreationDate: created,
  InitiationDate: created,
  CompletionDate: new Date('2026-11-30T01:20:00Z'),
  BackupSizeInBytes: 1234567,
  CalculatedLifecycle: { DeleteAt: new Date('2027-11-30T01:00:00Z') },
  Lifecycle: { DeleteAfterDays: 365 },
  EncryptionKeyArn:
    'arn:aws:kms:eu-central-1:111111111111:key/0000-1111-2222-3333',
  IsEncrypted: true,
  LastRestoreTime: created,
  ParentRecoveryPointArn: 'arn:aws:backup:eu-central-1:111111111111:parent',
  CompositeMemberIdentifier: 'member',
  IsParent: false,
  ResourceName: 'payments',
  VaultType: 'BACKUP_VAULT',
  IndexStatus: 'ACTIVE',
  IndexStatusMessage: 'indexed',
  EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
};

describe('storedRecoveryPoint', () => {
  it('keeps the fields the checks read and drops the rest', () => {
    expect(storedRecoveryPoint(listed)).toEqual({
      RecoveryPointArn: listed.RecoveryPointArn,
      BackupVaultName: 'prod-vault',
      BackupVaultArn: listed.BackupVaultArn,
      SourceBackupVaultArn: listed.SourceBackupVaultArn,
      ResourceArn: listed.ResourceArn,
      ResourceType: 'RDS',
      CreatedBy: {
        BackupPlanId: 'plan-1',
        BackupPlanName: 'payments-plan',
        BackupRuleId: 'rule-1',
        BackupRuleName: 'daily',
        BackupRuleCron: 'cron(0 1 * * ? *)',
        BackupRuleTimezone: 'Europe/Berlin',
      },
      Status: 'COMPLETED',
      StatusMessage: 'done',
      CreationDate: created,
      CompletionDate: listed.CompletionDate,
      CalculatedLifecycle: listed.CalculatedLifecycle,
      Lifecycle: { DeleteAfterDays: 365 },
      IsEncrypted: true,
      EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
      VaultType: 'BACKUP_VAULT',
    });
  });

  it('stores no key for what AWS left out, so an absent fact stays absent', () => {
    const stored = storedRecoveryPoint({
      RecoveryPointArn: listed.RecoveryPointArn,
      CreatedBy: { BackupPlanArn: 'arn:only' },
    });
    expect(stored).toEqual({
      RecoveryPointArn: listed.RecoveryPointArn,
      CreatedBy: {},
    });
    expect(Object.keys(stored)).not.toContain('IsEncrypted');
  });

  it('stores under two thirds of a fully listed point', () => {
    expect(JSON.stringify(storedRecoveryPoint(listed)).length).toBeLessThan(
      JSON.stringify(listed).length * 0.65,
    );
  });
});
