import type {
  BackupJob,
  BackupRule,
  BackupVaultListMember,
  CopyJob,
  LegalHold,
  RecoveryPointByBackupVault,
  RecoveryPointCreator,
  RestoreJobsListMember,
  RestoreTestingSelectionForGet,
} from '@aws-sdk/client-backup';
import type {
  CheckFact,
  OrganizationBackupPolicy,
  PolicyRequirements,
} from '@backup-compliance/backstage-plugin-common';

/**
 * What a class of data requires of its backups (`backupCompliance.policies`).
 *
 * @public
 */
export type BackupPolicy = PolicyRequirements & { name: string };

/**
 * Where in AWS something was found: its account and region.
 *
 * @public
 */
export type Located = { accountId: string; region: string };

/**
 * What the plugin keeps of a recovery point that `ListRecoveryPointsByBackupVault`
 * lists: the fields the checks read, and where a copy came from. An estate holds hundreds of thousands of points,
 * and the rest (names, sizes, the IAM role, the key's ARN, index and scan status) is
 * about half of each point's bytes, stored, read back and parsed every cycle.
 *
 * @public
 */
export type StoredRecoveryPoint = Pick<
  RecoveryPointByBackupVault,
  | 'RecoveryPointArn'
  | 'BackupVaultName'
  | 'BackupVaultArn'
  | 'SourceBackupVaultArn'
  | 'ResourceArn'
  | 'ResourceType'
  | 'Status'
  | 'StatusMessage'
  | 'CreationDate'
  | 'CompletionDate'
  | 'CalculatedLifecycle'
  | 'Lifecycle'
  | 'IsEncrypted'
  | 'EncryptionKeyType'
  | 'VaultType'
> & {
  CreatedBy?: Pick<
    RecoveryPointCreator,
    | 'BackupPlanId'
    | 'BackupPlanName'
    | 'BackupRuleId'
    | 'BackupRuleName'
    | 'BackupRuleCron'
    | 'BackupRuleTimezone'
  >;
};

/** @public */
export type LocatedRecoveryPoint = StoredRecoveryPoint & Located;
/** @public */
export type LocatedVault = BackupVaultListMember & Located;

/** @public */
export type CoveringRule = {
  planId: string;
  planName: string;
  selectionName?: string;
  rule: BackupRule;
};

/**
 * Everything collected about one resource, wherever in AWS it was found.
 *
 * @public
 */
export type ResourceEvidence = Located & {
  arn: string;
  tags: Record<string, string>;
  /** AWS Backup's type (RDS, DynamoDB, ...), when known. */
  resourceType?: string;
  /** When its account-region was last collected; undefined: never. */
  collectedAt?: Date;
  /** The last collection attempt of its account-region failed. */
  stale: boolean;
  /** Its recovery points in every account-region collected, copies included, newest first. */
  points: LocatedRecoveryPoint[];
  /** Vaults by ARN, for the points above. */
  vaults: Map<string, LocatedVault>;
  /** Rules of the backup plans whose selections assign the resource. */
  rules: CoveringRule[];
  backupJobs: BackupJob[];
  copyJobs: CopyJob[];
  /** Test restores (created by a restore-testing plan) of the resource, newest first. */
  restoreTests: RestoreJobsListMember[];
  restoreTestingSelections: Array<{
    planName: string;
    selection: RestoreTestingSelectionForGet;
    /** The restore-testing plan's schedule: `ScheduleExpression`, `ScheduleExpressionTimezone`. */
    schedule?: { expression?: string; timezone?: string };
  }>;
  legalHolds: Array<{ hold: LegalHold; recoveryPointArns: string[] }>;
};

/** @public */
export type EvaluationContext = {
  now: Date;
  /** `account/region` pairs collected successfully at least once. */
  collected: Set<string>;
  /** The entity's aws.amazon.com/backup-pii-deletion-days. */
  piiDeletionDays?: number;
  /** Days of restore jobs collected: older tests are not known. */
  restoreHistoryDays: number;
  /**
   * The organization's backup policies, judged, with their drift; absent when
   * `backupCompliance.organization` is not configured.
   */
  organization?: { policies: OrganizationBackupPolicy[]; error?: string };
};

/**
 * One check's verdict on one resource.
 *
 * @public
 */
export type ResourceVerdict = {
  status: 'pass' | 'fail' | 'warn' | 'unknown';
  notApplicable?: boolean;
  explanation: string;
  facts: CheckFact[];
};

/** @public */
export type ResourceCheck = (
  resource: ResourceEvidence,
  policy: BackupPolicy,
  context: EvaluationContext,
) => ResourceVerdict;
