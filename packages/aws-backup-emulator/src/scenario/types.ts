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

/** The AWS organization: its tree and its policies, as Organizations lists them. */
export type OrganizationState = {
  id: string;
  managementAccountId: string;
  delegatedAdministrators: string[];
  /** Root: Id, Arn, Name, PolicyTypes. */
  root: AwsObject;
  /** OrganizationalUnit (Id, Arn, Name) under its parent's id. */
  units: Array<{ unit: AwsObject; parentId: string }>;
  /** Account (Id, Arn, Name, Email, Status, ...) under its parent's id. */
  accounts: Array<{ account: AwsObject; parentId: string }>;
  /** PolicySummary, the document, and PolicyTargetSummary of each target. */
  policies: Array<{
    summary: AwsObject;
    content: AwsObject;
    targets: AwsObject[];
  }>;
};

/** A loaded scenario: the AWS world the emulator serves. */
export type Scenario = {
  description?: string;
  /** The moment relative times were resolved against. */
  loadedAt: Date;
  accounts: AccountState[];
  organization?: OrganizationState;
};
