import type { RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import type { StoredRecoveryPoint } from '@backup-compliance/backstage-plugin-node';

/**
 * The fields of a listed recovery point that the checks read (see `StoredRecoveryPoint`),
 * without the keys AWS left out: what the store keeps, per point, of an estate's
 * hundreds of thousands.
 */
export function storedRecoveryPoint(
  point: RecoveryPointByBackupVault,
): StoredRecoveryPoint {
  const stored: StoredRecoveryPoint = {};
  const keep = <K extends keyof StoredRecoveryPoint>(
    key: K,
    value: StoredRecoveryPoint[K],
  ) => {
    if (value !== undefined) stored[key] = value;
  };
  keep('RecoveryPointArn', point.RecoveryPointArn);
  keep('BackupVaultName', point.BackupVaultName);
  keep('BackupVaultArn', point.BackupVaultArn);
  keep('SourceBackupVaultArn', point.SourceBackupVaultArn);
  keep('ResourceArn', point.ResourceArn);
  keep('ResourceType', point.ResourceType);
  keep('Status', point.Status);
  keep('StatusMessage', point.StatusMessage);
  keep('CreationDate', point.CreationDate);
  keep('CompletionDate', point.CompletionDate);
  keep('CalculatedLifecycle', point.CalculatedLifecycle);
  keep('Lifecycle', point.Lifecycle);
  keep('IsEncrypted', point.IsEncrypted);
  keep('EncryptionKeyType', point.EncryptionKeyType);
  keep('VaultType', point.VaultType);
  const by = point.CreatedBy;
  if (by) {
    const createdBy: NonNullable<StoredRecoveryPoint['CreatedBy']> = {};
    if (by.BackupPlanId !== undefined) createdBy.BackupPlanId = by.BackupPlanId;
    if (by.BackupPlanName !== undefined) {
      createdBy.BackupPlanName = by.BackupPlanName;
    }
    if (by.BackupRuleId !== undefined) createdBy.BackupRuleId = by.BackupRuleId;
    if (by.BackupRuleName !== undefined) {
      createdBy.BackupRuleName = by.BackupRuleName;
    }
    if (by.BackupRuleCron !== undefined) {
      createdBy.BackupRuleCron = by.BackupRuleCron;
    }
    if (by.BackupRuleTimezone !== undefined) {
      createdBy.BackupRuleTimezone = by.BackupRuleTimezone;
    }
    stored.CreatedBy = createdBy;
  }
  return stored;
}
