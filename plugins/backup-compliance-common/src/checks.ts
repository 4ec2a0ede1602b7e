/**
 * Stable ids of the compliance checks: part of the API, never renamed.
 *
 * @public
 */
export type CheckId =
  | 'resources-found'
  | 'protected'
  | 'recovery-point-fresh'
  | 'backup-jobs-healthy'
  | 'retention-daily'
  | 'retention-monthly'
  | 'retention-yearly'
  | 'retention-alignment'
  | 'encrypted'
  | 'vault-lock'
  | 'cross-region-copy'
  | 'cross-account-copy'
  | 'restore-tested'
  | 'restore-time'
  | 'legal-hold'
  | 'organization-policy';

/**
 * How the UI groups checks.
 *
 * @public
 */
export type CheckTheme =
  | 'protection'
  | 'retention'
  | 'immutability-encryption'
  | 'segregation'
  | 'restore-testing';

/**
 * A check as the catalogue describes it: the single source of its title,
 * DORA references and remediation, for the API and the UI alike.
 *
 * @public
 */
export type CheckDefinition = {
  id: string;
  title: string;
  description: string;
  theme: CheckTheme;
  /** Articles of Regulation (EU) 2022/2554 (DORA) and related law. */
  dora: string[];
  remediation: string;
  /** Share of the score; 0 for informational checks. */
  weight: number;
  /** Informational checks never change the level or the score. */
  informational?: boolean;
};

/**
 * The built-in checks.
 *
 * @public
 */
export const BUILT_IN_CHECKS: ReadonlyArray<CheckDefinition & { id: CheckId }> =
  [
    {
      id: 'resources-found',
      title: 'Resources found',
      description:
        "The entity's tags match at least one AWS resource of a type AWS Backup can protect.",
      theme: 'protection',
      dora: ['12(1)(a)'],
      remediation:
        'Tag the data stores of this service with every tag in aws.amazon.com/backup-resource-tags, or correct the annotation, its accounts or regions.',
      weight: 2,
    },
    {
      id: 'protected',
      title: 'Protected by a backup plan',
      description:
        'Every matched resource has recovery points and is selected by a backup plan.',
      theme: 'protection',
      dora: ['12(1)(a)'],
      remediation:
        'Add the resource to a backup plan selection (for example by its backup-policy tag) and check that the plan runs.',
      weight: 3,
    },
    {
      id: 'recovery-point-fresh',
      title: 'Recovery point within RPO',
      description:
        "The newest completed recovery point is younger than the policy's RPO.",
      theme: 'protection',
      dora: ['12(1)(a)', '12(6)'],
      remediation:
        'Find why recent backups did not complete (see the backup jobs) and schedule the plan at least as often as the RPO.',
      weight: 3,
    },
    {
      id: 'backup-jobs-healthy',
      title: 'Backup jobs healthy',
      description:
        'No failed, expired or aborted backup job without a later successful one.',
      theme: 'protection',
      dora: ['12(2)', '11(8)'],
      remediation:
        "Read the failed job's status message in AWS Backup, fix its cause (permissions, KMS key, resource state) and run an on-demand backup.",
      weight: 2,
    },
    {
      id: 'retention-daily',
      title: 'Daily retention',
      description:
        "Plan rules and actual recovery points keep daily backups at least as long as the policy's daily retention.",
      theme: 'retention',
      dora: ['12(1)(a)'],
      remediation:
        "Set the daily rule's lifecycle (DeleteAfterDays) to at least the policy's daily retention.",
      weight: 2,
    },
    {
      id: 'retention-monthly',
      title: 'Monthly retention',
      description:
        "Plan rules and actual recovery points keep monthly backups at least as long as the policy's monthly retention.",
      theme: 'retention',
      dora: ['12(1)(a)'],
      remediation:
        "Add a monthly rule (for example cron(0 3 1 * ? *)) whose lifecycle keeps points at least the policy's monthly retention.",
      weight: 2,
    },
    {
      id: 'retention-yearly',
      title: 'Yearly retention',
      description:
        "Plan rules and actual recovery points keep yearly backups at least as long as the policy's yearly retention.",
      theme: 'retention',
      dora: ['12(1)(a)'],
      remediation:
        "Add a yearly rule (for example cron(0 4 1 1 ? *)) whose lifecycle keeps points the policy's yearly retention (AWS counts a year as 365 days: 7 years = 2555 days).",
      weight: 3,
    },
    {
      id: 'retention-alignment',
      title: 'Retention aligned with PII deletion',
      description:
        'Data that lives only until its personal data is deleted is captured by a backup tier that keeps it for the legal retention period.',
      theme: 'retention',
      dora: ['12(1)(a)', 'GDPR 17'],
      remediation:
        'Back the data up at least as often as it lives (for example monthly for 35 days) in a tier kept for the legal retention period, or shorten the legal retention where the law allows.',
      weight: 3,
    },
    {
      id: 'encrypted',
      title: 'Encrypted',
      description:
        'All recovery points are encrypted, with a customer-managed KMS key where the policy says so.',
      theme: 'immutability-encryption',
      dora: ['9(2)', '12(2)'],
      remediation:
        'Encrypt the backup vault with a customer-managed KMS key and copy existing points into it; new points inherit the key.',
      weight: 2,
    },
    {
      id: 'vault-lock',
      title: 'Vault Lock',
      description:
        "Recovery points sit in vaults locked in the policy's mode, with a minimum retention no shorter than the policy's shortest tier.",
      theme: 'immutability-encryption',
      dora: ['12(2)', '12(3)'],
      remediation:
        'Apply AWS Backup Vault Lock in compliance mode (PutBackupVaultLockConfiguration with ChangeableForDays) and let the cooling-off period pass.',
      weight: 3,
    },
    {
      id: 'cross-region-copy',
      title: 'Cross-region copy',
      description: 'A completed copy exists in another region within the RPO.',
      theme: 'segregation',
      dora: ['12(3)', '12(4)'],
      remediation:
        "Add a copy action to a vault in another region to the plan's rules, and check the copy jobs.",
      weight: 2,
    },
    {
      id: 'cross-account-copy',
      title: 'Cross-account copy',
      description:
        'A completed copy exists in another AWS account within the RPO.',
      theme: 'segregation',
      dora: ['12(3)', '12(4)'],
      remediation:
        'Add a copy action to a vault in the central backup account (with a vault access policy that allows it), and check the copy jobs.',
      weight: 2,
    },
    {
      id: 'restore-tested',
      title: 'Restore tested',
      description:
        'A restore-testing plan selects the resource and a test restore completed recently enough, with a successful validation where required.',
      theme: 'restore-testing',
      dora: ['11(6)(a)', '12(2)', '12(7)'],
      remediation:
        'Select the resource in an AWS Backup restore-testing plan scheduled at least as often as the policy requires, and validate the restored data.',
      weight: 3,
    },
    {
      id: 'restore-time',
      title: 'Restore within RTO',
      description:
        "The latest test restore took no longer than the policy's RTO.",
      theme: 'restore-testing',
      dora: ['12(6)'],
      remediation:
        'Shorten the restore (smaller instance snapshots, faster storage, warm standby) or agree a longer RTO for this function.',
      weight: 2,
    },
    {
      id: 'legal-hold',
      title: 'Legal hold',
      description:
        'Informational: recovery points under an active legal hold, kept past their lifecycle.',
      theme: 'retention',
      dora: ['11(8)'],
      remediation:
        'Nothing to fix: release the hold in AWS Backup when the legal matter ends.',
      weight: 0,
      informational: true,
    },
    {
      id: 'organization-policy',
      title: 'Organization backup policy',
      description:
        "Informational: an AWS Organizations backup policy implements the resource's compliance policy, targets its account, and the account's plan carries its rules (no drift).",
      theme: 'protection',
      dora: ['12(1)(a)', '11(8)'],
      remediation:
        'Attach the backup policy to the account (or its organizational unit), and restore the plan it creates where it was deleted or edited locally.',
      weight: 0,
      informational: true,
    },
  ];

/**
 * Outcome of a check.
 *
 * @public
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'waived' | 'unknown';

/**
 * A value that decided a result, and the AWS field it came from.
 *
 * @public
 */
export type CheckFact = {
  label: string;
  value: string | number | boolean | null;
  /** e.g. `ListRecoveryPointsByBackupVault: CalculatedLifecycle.DeleteAt`. */
  source: string;
  resourceArn?: string;
};

/**
 * A platform-approved exception, from `backupCompliance.waivers`.
 *
 * @public
 */
export type Waiver = {
  entity: string;
  check: string;
  reason: string;
  approvedBy: string;
  /** ISO date (YYYY-MM-DD); the waiver applies through that day. */
  expires: string;
};

/**
 * One check's verdict on one entity.
 *
 * @public
 */
export type CheckResult = {
  checkId: string;
  status: CheckStatus;
  /** The status before a waiver turned it into `waived`. */
  waivedStatus?: CheckStatus;
  /** True when the policy does not ask for this check: excluded from the score. */
  notApplicable?: boolean;
  /** An informational check: shown, never counted in the level, the score or failing checks. */
  informational?: boolean;
  /** ARNs of the resources the result concerns. */
  resources: string[];
  facts: CheckFact[];
  explanation: string;
  remediation: string;
  dora: string[];
  /** Policies the resources were judged by. */
  policies: string[];
  waiver?: Waiver;
  /** A waiver for this check that expired: it no longer applies. */
  expiredWaiver?: Waiver;
};

/**
 * Overall standing of an entity.
 *
 * @public
 */
export type ComplianceLevel =
  | 'compliant'
  | 'at-risk'
  | 'non-compliant'
  | 'misconfigured'
  | 'unknown';

/**
 * Every level, worst first: the scorecard's default order.
 *
 * @public
 */
export const COMPLIANCE_LEVELS = [
  'non-compliant',
  'misconfigured',
  'unknown',
  'at-risk',
  'compliant',
] as const satisfies readonly ComplianceLevel[];

/**
 * The verdict on one entity: what the API serves and history keeps.
 *
 * @public
 */
export type EntityComplianceSnapshot = {
  entityRef: string;
  evaluatedAt: string;
  level: ComplianceLevel;
  /** Passed weight / applicable weight, 0–100; null when nothing applies. */
  score: number | null;
  policies: string[];
  /** Why the entity is misconfigured, when it is. */
  problems: string[];
  resources: Array<{
    arn: string;
    accountId: string;
    region: string;
    policy: string;
    /**
     * This resource's own verdict: the worst status of the checks judged on it
     * (informational checks and waivers aside; waivers apply to the entity's checks).
     * Absent in verdicts stored before it existed.
     */
    status?: CheckStatus;
    /** The checks this resource does not pass, worst first. */
    notPassing?: Array<{ checkId: string; status: CheckStatus }>;
    summary?: ResourceSummary;
  }>;
  /** Account-regions whose last collection failed: their data is older. */
  staleAccountRegions: string[];
  checks: CheckResult[];
};

/**
 * One resource at a glance, as the resources table shows it.
 *
 * @public
 */
export type ResourceSummary = {
  resourceType?: string;
  newestPointAt?: string;
  newestPointAgeHours?: number;
  /** A running continuous backup (point-in-time recovery): since when, and its window. */
  continuous?: { since?: string; windowDays?: number };
  /** Its points (copies included) in cold storage now; absent in older verdicts. */
  coldPoints?: number;
  /** When its backup rules next run (cron in `ScheduleExpressionTimezone`); absent when unknown. */
  nextBackupAt?: string;
  /** When a restore-testing plan selecting it next runs; absent when unknown. */
  nextRestoreTestAt?: string;
  rpoHours: number;
  /** Longest actual retention per tier, in days; null: never expires. */
  retentionDays: Partial<Record<'daily' | 'monthly' | 'yearly', number | null>>;
  vaults: Array<{ name: string; lock: string }>;
  keyTypes: string[];
  /** `account/region` of copies elsewhere. */
  copies: string[];
  lastRestoreTest?: {
    at?: string;
    status?: string;
    validation?: string;
    minutes?: number;
    /** Where the tested point was when the test started; absent when unknown. */
    storageClass?: 'WARM' | 'COLD';
  };
  /**
   * When the newest test restore that completed and was not found invalid started;
   * absent when none is listed (or in verdicts stored before it existed).
   */
  lastSuccessfulRestoreTestAt?: string;
  rtoMinutes: number;
  /** Active legal holds on its points. */
  legalHolds: number;
};
