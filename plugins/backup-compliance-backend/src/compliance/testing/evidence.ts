import type {
  BackupJob,
  BackupRule,
  CopyJob,
  LegalHold,
  RestoreJobsListMember,
  RestoreTestingSelectionForGet,
} from '@aws-sdk/client-backup';
import { BackupPolicy } from '../../config/readPolicies';
import {
  CoveringRule,
  EvaluationContext,
  LocatedRecoveryPoint,
  LocatedVault,
  ResourceEvidence,
} from '../types';

// Builders for the compliance engine's tests: each returns complete, valid
// evidence so a test only spells out the facts its case is about.

export const NOW = new Date('2026-03-15T12:00:00.000Z');

let sequence = 0;
/** Ids unique within a test run, and the same on every run. */
const nextId = () => String((sequence += 1)).padStart(4, '0');

export const ACCOUNT = '111111111111';
export const REGION = 'eu-central-1';
export const OTHER_ACCOUNT = '222222222222';
export const OTHER_REGION = 'eu-west-1';
/** An account-region no test marks as collected. */
export const UNCOLLECTED_ACCOUNT = '333333333333';

export const DB_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:transactions`;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const ago = (ms: number) => new Date(NOW.getTime() - ms);
export const minutesAgo = (minutes: number) => ago(minutes * MINUTE_MS);
export const hoursAgo = (hours: number) => ago(hours * HOUR_MS);
export const daysAgo = (days: number) => ago(days * DAY_MS);
export const daysAfter = (date: Date, days: number) =>
  new Date(date.getTime() + days * DAY_MS);
export const minutesAfter = (date: Date, minutes: number) =>
  new Date(date.getTime() + minutes * MINUTE_MS);

/** Schedules AWS Backup's console writes for each tier. */
export const CRON = {
  hourly: 'cron(0 * * * ? *)',
  daily: 'cron(0 2 * * ? *)',
  weekly: 'cron(0 5 ? * SUN *)',
  monthly: 'cron(0 3 1 * ? *)',
  yearly: 'cron(0 4 1 1 ? *)',
} as const;

export const vaultArn = (
  name = 'prod-vault',
  accountId = ACCOUNT,
  region = REGION,
) => `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;

/** A transactions-db-like policy: the strictest the seed configures. */
export function aPolicy(overrides: Partial<BackupPolicy> = {}): BackupPolicy {
  return {
    name: 'transactions-db',
    rpoHours: 24,
    rtoMinutes: 240,
    retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
    legalRetentionYears: 7,
    vaultLock: 'compliance',
    encryption: 'customer-managed',
    copies: {
      crossRegion: true,
      crossAccount: true,
      retention: 'same-as-source',
    },
    restoreTesting: { required: true, maxAgeDays: 30, requireValidation: true },
    ...overrides,
  };
}

/** A rule of a plan whose selection assigns the resource; daily, kept 35 d by default. */
export function aRule(
  rule: Partial<BackupRule> = {},
  plan: Partial<Omit<CoveringRule, 'rule'>> = {},
): CoveringRule {
  return {
    planId: 'plan-1',
    planName: 'transactions-db-plan',
    selectionName: 'by-policy-tag',
    ...plan,
    rule: {
      RuleName: 'Daily',
      TargetBackupVaultName: 'prod-vault',
      ScheduleExpression: CRON.daily,
      Lifecycle: { DeleteAfterDays: 35 },
      ...rule,
    },
  };
}

/** A completed, customer-managed-key encrypted daily point of 2 h ago in the resource's own vault. */
export function aPoint(
  overrides: Partial<LocatedRecoveryPoint> = {},
): LocatedRecoveryPoint {
  const accountId = overrides.accountId ?? ACCOUNT;
  const region = overrides.region ?? REGION;
  return {
    RecoveryPointArn: `arn:aws:rds:${region}:${accountId}:snapshot:awsbackup:job-${nextId()}`,
    BackupVaultName: 'prod-vault',
    BackupVaultArn: vaultArn('prod-vault', accountId, region),
    ResourceArn: DB_ARN,
    ResourceType: 'RDS',
    Status: 'COMPLETED',
    CreationDate: hoursAgo(2),
    IsEncrypted: true,
    EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
    CreatedBy: {
      BackupPlanName: 'transactions-db-plan',
      BackupRuleCron: CRON.daily,
    },
    accountId,
    region,
    ...overrides,
  };
}

/** A point of the tier's rule, created `ageDays` ago and deleted `keptDays` after creation. */
export function aTierPoint(
  tier: keyof typeof CRON,
  { ageDays, keptDays }: { ageDays: number; keptDays: number },
  overrides: Partial<LocatedRecoveryPoint> = {},
): LocatedRecoveryPoint {
  const created = daysAgo(ageDays);
  return aPoint({
    CreationDate: created,
    CalculatedLifecycle: { DeleteAt: daysAfter(created, keptDays) },
    CreatedBy: { BackupRuleCron: CRON[tier] },
    ...overrides,
  });
}

/** The resource's vault, locked in compliance mode since 100 days, minimum retention 30 d. */
export function aVault(overrides: Partial<LocatedVault> = {}): LocatedVault {
  const accountId = overrides.accountId ?? ACCOUNT;
  const region = overrides.region ?? REGION;
  const name = overrides.BackupVaultName ?? 'prod-vault';
  return {
    BackupVaultName: name,
    BackupVaultArn: vaultArn(name, accountId, region),
    Locked: true,
    LockDate: daysAgo(100),
    MinRetentionDays: 30,
    MaxRetentionDays: 3650,
    accountId,
    region,
    ...overrides,
  };
}

export const vaultsByArn = (...vaults: LocatedVault[]) =>
  new Map(vaults.map(v => [v.BackupVaultArn!, v]));

export function aBackupJob(overrides: Partial<BackupJob> = {}): BackupJob {
  return {
    BackupJobId: `backup-${nextId()}`,
    ResourceArn: DB_ARN,
    BackupVaultArn: vaultArn(),
    State: 'COMPLETED',
    CreationDate: hoursAgo(2),
    ...overrides,
  };
}

/** A copy job of the resource's point into `destination`, completed 1 h ago. */
export function aCopyJob(
  destination: string,
  overrides: Partial<CopyJob> = {},
): CopyJob {
  return {
    CopyJobId: `copy-${nextId()}`,
    ResourceArn: DB_ARN,
    SourceBackupVaultArn: vaultArn(),
    DestinationBackupVaultArn: destination,
    State: 'COMPLETED',
    CreationDate: hoursAgo(2),
    CompletionDate: hoursAgo(1),
    ...overrides,
  };
}

/** A test restore started `ageDays` ago that took `minutes`; completed and validated. */
export function aRestoreTest(
  { ageDays = 5, minutes = 60 }: { ageDays?: number; minutes?: number } = {},
  overrides: Partial<RestoreJobsListMember> = {},
): RestoreJobsListMember {
  const created = daysAgo(ageDays);
  return {
    RestoreJobId: `restore-${nextId()}`,
    AccountId: ACCOUNT,
    ResourceType: 'RDS',
    CreationDate: created,
    CompletionDate: minutesAfter(created, minutes),
    Status: 'COMPLETED',
    ValidationStatus: 'SUCCESSFUL',
    CreatedBy: {
      RestoreTestingPlanArn: `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:monthly-restore-test`,
    },
    ...overrides,
  };
}

export function aRestoreTestingSelection(
  overrides: Partial<RestoreTestingSelectionForGet> = {},
  planName = 'monthly-restore-test',
): ResourceEvidence['restoreTestingSelections'][number] {
  return {
    planName,
    selection: {
      RestoreTestingPlanName: planName,
      RestoreTestingSelectionName: 'rds-candidates',
      CreationTime: daysAgo(200),
      IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/restore-testing`,
      ProtectedResourceType: 'RDS',
      ProtectedResourceArns: ['*'],
      ...overrides,
    },
  };
}

export function aLegalHold(
  hold: Partial<LegalHold> = {},
  recoveryPointArns: string[] = [],
): ResourceEvidence['legalHolds'][number] {
  return {
    hold: {
      LegalHoldId: 'hold-1',
      Title: 'Litigation 2026-01',
      Status: 'ACTIVE',
      CreationDate: daysAgo(20),
      ...hold,
    },
    recoveryPointArns,
  };
}

/** An RDS database in 111111111111/eu-central-1 with no evidence at all. */
export function aResource(
  overrides: Partial<ResourceEvidence> = {},
): ResourceEvidence {
  return {
    arn: DB_ARN,
    accountId: ACCOUNT,
    region: REGION,
    tags: { app: 'payments-ledger', env: 'prod' },
    resourceType: 'RDS',
    collectedAt: hoursAgo(1),
    stale: false,
    points: [],
    vaults: new Map(),
    rules: [],
    backupJobs: [],
    copyJobs: [],
    restoreTests: [],
    restoreTestingSelections: [],
    legalHolds: [],
    ...overrides,
  };
}

/** A resource that passes every built-in check under {@link aPolicy}. */
export function aCompliantResource(
  overrides: Partial<ResourceEvidence> = {},
): ResourceEvidence {
  const copyDestinations = [
    vaultArn('dr-vault', ACCOUNT, OTHER_REGION),
    vaultArn('central-vault', OTHER_ACCOUNT, REGION),
  ];
  const copyActions = copyDestinations.map(DestinationBackupVaultArn => ({
    DestinationBackupVaultArn,
  }));
  return aResource({
    points: [
      aTierPoint('daily', { ageDays: 0.1, keptDays: 35 }),
      aTierPoint('monthly', { ageDays: 14, keptDays: 365 }),
      aTierPoint('yearly', { ageDays: 73, keptDays: 2555 }),
    ],
    vaults: vaultsByArn(aVault()),
    rules: [
      aRule({ CopyActions: copyActions }),
      aRule({
        RuleName: 'Monthly',
        ScheduleExpression: CRON.monthly,
        Lifecycle: { DeleteAfterDays: 365 },
        CopyActions: copyActions,
      }),
      aRule({
        RuleName: 'Yearly',
        ScheduleExpression: CRON.yearly,
        Lifecycle: { DeleteAfterDays: 2555 },
      }),
    ],
    backupJobs: [aBackupJob()],
    copyJobs: copyDestinations.map(destination => aCopyJob(destination)),
    restoreTests: [aRestoreTest()],
    restoreTestingSelections: [aRestoreTestingSelection()],
    ...overrides,
  });
}

/** Everything in both accounts and regions collected; 30 days of restore jobs. */
export function aContext(
  overrides: Partial<EvaluationContext> = {},
): EvaluationContext {
  return {
    now: NOW,
    collected: new Set([
      `${ACCOUNT}/${REGION}`,
      `${ACCOUNT}/${OTHER_REGION}`,
      `${OTHER_ACCOUNT}/${REGION}`,
      `${OTHER_ACCOUNT}/${OTHER_REGION}`,
    ]),
    restoreHistoryDays: 30,
    ...overrides,
  };
}
