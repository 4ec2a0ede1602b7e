/** An AWS-shaped object: PascalCase fields, times as `Date`. */
export type AwsObject = Record<string, any>;

/** Fault injection for one account-region. */
export type Faults = {
  LatencyMs?: number;
  MaxRequestsPerSecond?: number;
  ThrottleRate?: number;
  ThrottleSeed?: number;
  FailAfterCalls?: number;
  /** Vaults deleted as soon as a `ListBackupVaults` answer has named them. */
  VanishingVaults?: string[];
  /** Fraction of list pages cut short (down to empty) while a `NextToken` is still given. */
  ShortPageRate?: number;
  ShortPageSeed?: number;
};

export type TaggedResource = {
  ResourceARN: string;
  Tags: Record<string, string>;
};

export type PlanState = {
  /** BackupPlanId, BackupPlanArn, BackupPlanName, VersionId, CreationDate, ... */
  plan: AwsObject;
  rules: AwsObject[];
  selections: AwsObject[];
};

export type RestoreTestingPlanState = {
  plan: AwsObject;
  selections: AwsObject[];
};

export type LegalHoldState = {
  hold: AwsObject;
  recoveryPointArns: string[];
};

/** Everything one account holds in one region, with derived fields filled in. */
export type RegionState = {
  accountId: string;
  region: string;
  faults: Faults;
  resources: TaggedResource[];
  /** Vaults without their recovery points. */
  vaults: AwsObject[];
  /** Recovery points of all vaults, newest first, with BackupVaultName/Arn. */
  recoveryPoints: AwsObject[];
  plans: PlanState[];
  /** Newest first. */
  backupJobs: AwsObject[];
  copyJobs: AwsObject[];
  restoreJobs: AwsObject[];
  restoreTestingPlans: RestoreTestingPlanState[];
  legalHolds: LegalHoldState[];
};

export type AccountState = {
  accountId: string;
  accessKeyId: string;
  name?: string;
  accessDenied: boolean;
  regions: Map<string, RegionState>;
};

/** A loaded scenario: the AWS world the emulator serves. */
export type Scenario = {
  description?: string;
  /** The moment relative times were resolved against. */
  loadedAt: Date;
  accounts: AccountState[];
};
