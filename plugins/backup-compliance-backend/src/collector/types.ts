import type {
  BackupJob,
  BackupVaultListMember,
  CopyJob,
  GetBackupPlanOutput,
  GetBackupSelectionOutput,
  LegalHold,
  ProtectedResource,
  RestoreJobsListMember,
  RestoreTestingPlanForGet,
  RestoreTestingSelectionForGet,
} from '@aws-sdk/client-backup';
import type { StoredRecoveryPoint } from '@backup-compliance/backstage-plugin-node';

export type AccountRegion = { accountId: string; region: string };

/** A resource as the Tagging API lists it. */
export type TaggedResource = { arn: string; tags: Record<string, string> };

export type BackupPlanWithSelections = {
  plan: Omit<GetBackupPlanOutput, '$metadata'>;
  selections: Array<Omit<GetBackupSelectionOutput, '$metadata'>>;
};

export type RestoreTestingPlanWithSelections = {
  plan: RestoreTestingPlanForGet;
  selections: RestoreTestingSelectionForGet[];
};

export type LegalHoldWithPoints = {
  hold: LegalHold;
  recoveryPointArns: string[];
};

/**
 * Everything one cycle read from one account-region. Jobs and recovery points
 * are only those created since `since` in an incremental cycle.
 */
export type AccountRegionSnapshot = AccountRegion & {
  mode: 'full' | 'incremental';
  /** Lower bound of jobs and recovery points read (incremental), or of jobs (full). */
  since?: Date;
  /**
   * Full: the oldest test restore AWS listed (all it lists are read). Older ones already
   * stored are kept: they are the record of tests AWS no longer lists (DORA Art. 25(5)).
   */
  restoreJobsSince?: Date;
  resources: TaggedResource[];
  protectedResources: ProtectedResource[];
  vaults: BackupVaultListMember[];
  /** What the store keeps of each listed point (`storedRecoveryPoint`). */
  recoveryPoints: StoredRecoveryPoint[];
  backupPlans: BackupPlanWithSelections[];
  backupJobs: BackupJob[];
  copyJobs: CopyJob[];
  restoreJobs: RestoreJobsListMember[];
  restoreTestingPlans: RestoreTestingPlanWithSelections[];
  legalHolds: LegalHoldWithPoints[];
};

/** API calls of one account-region's collection, per operation, and throttled attempts. */
export type ApiCallCounts = {
  calls: Record<string, number>;
  throttles: number;
};
