import { BackupPolicy } from '../../config/readPolicies';
import { BUILT_IN_RESOURCE_CHECKS } from '../builtInChecks';
import {
  aBackupJob,
  aCompliantResource,
  aContext,
  aCopyJob,
  ACCOUNT,
  aLegalHold,
  ago,
  aPoint,
  aPolicy,
  aResource,
  aRestoreTest,
  aRestoreTestingSelection,
  aRule,
  aTierPoint,
  aVault,
  CRON,
  daysAgo,
  HOUR_MS,
  hoursAgo,
  MINUTE_MS,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  UNCOLLECTED_ACCOUNT,
  vaultArn,
  vaultsByArn,
} from '../testing/evidence';
import {
  EvaluationContext,
  ResourceCheck,
  ResourceEvidence,
  ResourceVerdict,
} from '../types';
import { encryptedCheck, vaultLockCheck } from './immutability';
import {
  backupJobsHealthyCheck,
  protectedCheck,
  recoveryPointFreshCheck,
} from './protection';
import { restoreTestedCheck, restoreTimeCheck } from './restoreTesting';
import {
  legalHoldCheck,
  retentionAlignmentCheck,
  retentionDailyCheck,
  retentionMonthlyCheck,
  retentionYearlyCheck,
} from './retention';
import { crossAccountCopyCheck, crossRegionCopyCheck } from './segregation';

type Case = {
  name: string;
  resource: ResourceEvidence;
  policy?: BackupPolicy;
  context?: EvaluationContext;
  status: ResourceVerdict['status'];
  /** Words the explanation must contain. */
  explanation?: RegExp;
  notApplicable?: true;
};

const verdictOf = (
  check: ResourceCheck,
  { resource, policy = aPolicy(), context = aContext() }: Case,
) => check(resource, policy, context);

const expected = ({ status, explanation, notApplicable }: Case) => ({
  status,
  ...(explanation ? { explanation: expect.stringMatching(explanation) } : {}),
  ...(notApplicable ? { notApplicable } : {}),
});

const notRequired = (name: string, policy: BackupPolicy): Case => ({
  name,
  resource: aCompliantResource(),
  policy,
  status: 'pass',
  notApplicable: true,
});

describe('every built-in check', () => {
  it.each<[string, ResourceCheck]>(
    BUILT_IN_RESOURCE_CHECKS.map(c => [c.definition.id, c.evaluate]),
  )('%s passes for a resource that meets the whole policy', (_id, evaluate) => {
    const verdict = evaluate(aCompliantResource(), aPolicy(), aContext());
    expect(verdict.status).toBe('pass');
  });
});

describe('protected', () => {
  it.each<Case>([
    {
      name: 'fails when no plan selects it and it has no recovery point',
      resource: aResource(),
      status: 'fail',
      explanation: /No backup plan selects this resource/,
    },
    {
      name: 'fails when a plan selects it but no recovery point exists yet',
      resource: aResource({ rules: [aRule()] }),
      status: 'fail',
      explanation: /Selected by transactions-db-plan, but no recovery point/,
    },
    {
      name: 'fails when points exist but no plan selects it any more',
      resource: aResource({ points: [aPoint()] }),
      status: 'fail',
      explanation: /no backup plan selects the resource any more/,
    },
    {
      name: 'passes when a plan selects it and points exist',
      resource: aResource({ rules: [aRule()], points: [aPoint(), aPoint()] }),
      status: 'pass',
      explanation: /Selected by transactions-db-plan; 2 completed/,
    },
    {
      name: 'fails when its only point is still being created',
      resource: aResource({
        rules: [aRule()],
        points: [aPoint({ Status: 'CREATING' })],
      }),
      status: 'fail',
    },
    {
      name: 'fails when its only points are copies in another region',
      resource: aResource({
        rules: [aRule()],
        points: [aPoint({ region: OTHER_REGION })],
      }),
      status: 'fail',
    },
  ])('$name', c => {
    expect(verdictOf(protectedCheck, c)).toMatchObject(expected(c));
  });
});

describe('recovery-point-fresh', () => {
  it.each<Case>([
    {
      name: 'passes when the newest point is exactly as old as the RPO',
      resource: aResource({ points: [aPoint({ CreationDate: hoursAgo(24) })] }),
      status: 'pass',
      explanation: /within the 24 h RPO/,
    },
    {
      name: 'fails when the newest point is one minute older than the RPO',
      resource: aResource({
        points: [aPoint({ CreationDate: ago(24 * HOUR_MS + MINUTE_MS) })],
      }),
      status: 'fail',
      explanation: /older than the 24 h RPO/,
    },
    {
      name: 'judges by the policy RPO',
      resource: aResource({ points: [aPoint({ CreationDate: hoursAgo(5) })] }),
      policy: aPolicy({ rpoHours: 4 }),
      status: 'fail',
      explanation: /older than the 4 h RPO by 1 h/,
    },
    {
      name: 'fails without any completed point',
      resource: aResource(),
      status: 'fail',
      explanation: /No completed recovery point exists/,
    },
    {
      name: 'ignores a newer point that is still being created',
      resource: aResource({
        points: [
          aPoint({ Status: 'CREATING', CreationDate: hoursAgo(1) }),
          aPoint({ CreationDate: hoursAgo(30) }),
        ],
      }),
      status: 'fail',
    },
    {
      name: 'ignores a newer copy in another region',
      resource: aResource({
        points: [
          aPoint({ region: OTHER_REGION, CreationDate: hoursAgo(1) }),
          aPoint({ CreationDate: hoursAgo(30) }),
        ],
      }),
      status: 'fail',
    },
  ])('$name', c => {
    expect(verdictOf(recoveryPointFreshCheck, c)).toMatchObject(expected(c));
  });
});

describe('backup-jobs-healthy', () => {
  it.each<Case>([
    {
      name: 'passes when a failed job was followed by a completed one',
      resource: aResource({
        backupJobs: [
          aBackupJob({ State: 'COMPLETED', CreationDate: hoursAgo(2) }),
          aBackupJob({ State: 'FAILED', CreationDate: hoursAgo(26) }),
        ],
      }),
      status: 'pass',
    },
    {
      name: 'fails when the newest job failed',
      resource: aResource({
        backupJobs: [
          aBackupJob({
            State: 'FAILED',
            CreationDate: hoursAgo(2),
            StatusMessage: 'KMS key disabled',
          }),
          aBackupJob({ State: 'COMPLETED', CreationDate: hoursAgo(26) }),
        ],
      }),
      status: 'fail',
      explanation:
        /failed \("KMS key disabled"\) and no backup has succeeded since/,
    },
    {
      name: 'fails when the newest job failed, whatever order the jobs come in',
      resource: aResource({
        backupJobs: [
          aBackupJob({ State: 'COMPLETED', CreationDate: hoursAgo(26) }),
          aBackupJob({ State: 'FAILED', CreationDate: hoursAgo(2) }),
        ],
      }),
      status: 'fail',
    },
    {
      name: 'fails when a job expired and none succeeded',
      resource: aResource({
        backupJobs: [aBackupJob({ State: 'EXPIRED' })],
      }),
      status: 'fail',
      explanation: /expired/,
    },
    {
      name: 'fails when a job was aborted and none succeeded',
      resource: aResource({
        backupJobs: [aBackupJob({ State: 'ABORTED' })],
      }),
      status: 'fail',
      explanation: /aborted/,
    },
    {
      name: 'fails when no job ran in the collected window',
      resource: aResource(),
      status: 'fail',
      explanation: /No backup job ran/,
    },
    {
      name: 'warns when the newest job completed only partially',
      resource: aResource({
        backupJobs: [
          aBackupJob({ State: 'PARTIAL', CreationDate: hoursAgo(2) }),
          aBackupJob({ State: 'COMPLETED', CreationDate: hoursAgo(26) }),
        ],
      }),
      status: 'warn',
      explanation: /only partially/,
    },
  ])('$name', c => {
    expect(verdictOf(backupJobsHealthyCheck, c)).toMatchObject(expected(c));
  });

  it('lists each unresolved job among its facts', () => {
    const verdict = backupJobsHealthyCheck(
      aResource({
        backupJobs: [
          aBackupJob({
            BackupJobId: 'job-failed',
            State: 'FAILED',
            StatusMessage: 'Access denied',
          }),
        ],
      }),
      aPolicy(),
      aContext(),
    );
    expect(verdict.facts).toContainEqual(
      expect.objectContaining({
        label: 'FAILED job job-failed',
        value: 'Access denied',
      }),
    );
  });
});

describe('retention-daily, retention-monthly, retention-yearly', () => {
  const checks = {
    daily: retentionDailyCheck,
    monthly: retentionMonthlyCheck,
    yearly: retentionYearlyCheck,
  };
  const yearlyRule = (days?: number) =>
    aRule({
      RuleName: 'Yearly',
      ScheduleExpression: CRON.yearly,
      Lifecycle: days === undefined ? undefined : { DeleteAfterDays: days },
    });
  const monthlyRule = (days: number) =>
    aRule({
      RuleName: 'Monthly',
      ScheduleExpression: CRON.monthly,
      Lifecycle: { DeleteAfterDays: days },
    });

  it.each<Case & { tier: keyof typeof checks }>([
    {
      tier: 'yearly',
      name: 'passes when yearly points are kept 2555 d for a 7 y policy',
      resource: aResource({
        rules: [yearlyRule(2555)],
        points: [aTierPoint('yearly', { ageDays: 73, keptDays: 2555 })],
      }),
      status: 'pass',
    },
    {
      tier: 'yearly',
      name: 'fails when yearly points are kept 2554 d, one day short of 7 years',
      resource: aResource({
        rules: [yearlyRule(2555)],
        points: [aTierPoint('yearly', { ageDays: 73, keptDays: 2554 })],
      }),
      status: 'fail',
      explanation: /expire after 2554 d: 1 d short of the 7 y \(2555 d\)/,
    },
    {
      tier: 'yearly',
      name: 'fails when the plan promises 7 y but actual yearly points expire after 1 y',
      resource: aResource({
        rules: [yearlyRule(2555)],
        points: [
          aTierPoint('yearly', { ageDays: 73, keptDays: 2555 }),
          aTierPoint('yearly', { ageDays: 438, keptDays: 365 }),
        ],
      }),
      status: 'fail',
      explanation: /plan keeps yearly points long enough, but 1 of 2 actual/,
    },
    {
      tier: 'yearly',
      name: 'fails when the yearly rule keeps points one day short of 7 years',
      resource: aResource({
        rules: [yearlyRule(2554)],
        points: [aTierPoint('yearly', { ageDays: 73, keptDays: 2554 })],
      }),
      status: 'fail',
      explanation: /yearly rule keeps points 2554 d, 1 d short/,
    },
    {
      tier: 'yearly',
      name: 'finds the tier of a point without a cron by its rule name',
      resource: aResource({
        rules: [yearlyRule(2555)],
        points: [
          aTierPoint(
            'yearly',
            { ageDays: 73, keptDays: 2554 },
            { CreatedBy: { BackupRuleName: 'Yearly' } },
          ),
        ],
      }),
      status: 'fail',
    },
    {
      tier: 'yearly',
      name: 'passes when the rule and its points never expire',
      resource: aResource({
        rules: [yearlyRule()],
        points: [aPoint({ CreatedBy: { BackupRuleCron: CRON.yearly } })],
      }),
      status: 'pass',
    },
    {
      tier: 'yearly',
      name: 'warns when the rule is right but no yearly point exists yet',
      resource: aResource({
        rules: [yearlyRule(2555)],
        points: [aTierPoint('daily', { ageDays: 1, keptDays: 35 })],
      }),
      status: 'warn',
      explanation: /no yearly recovery point exists yet/,
    },
    {
      tier: 'yearly',
      name: 'judges a 10 y policy by 3650 d',
      resource: aResource({
        rules: [yearlyRule(2555)],
        points: [aTierPoint('yearly', { ageDays: 73, keptDays: 2555 })],
      }),
      policy: aPolicy({
        name: 'rewards-db',
        retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 10 },
      }),
      status: 'fail',
      explanation: /3 y \(1095 d\) short of the 10 y \(3650 d\)/,
    },
    {
      tier: 'monthly',
      name: 'fails when no plan has a monthly rule',
      resource: aResource({ rules: [aRule(), yearlyRule(2555)] }),
      status: 'fail',
      explanation: /No backup plan has a monthly rule/,
    },
    {
      tier: 'monthly',
      name: 'passes when monthly points are kept 12 × 30 d',
      resource: aResource({
        rules: [monthlyRule(360)],
        points: [aTierPoint('monthly', { ageDays: 14, keptDays: 360 })],
      }),
      status: 'pass',
    },
    {
      tier: 'monthly',
      name: 'fails when the monthly rule keeps points 359 d for a 12-month policy',
      resource: aResource({ rules: [monthlyRule(359)] }),
      status: 'fail',
      explanation: /1 d short of the 360 d/,
    },
    {
      tier: 'monthly',
      name: 'judges by the longest-kept monthly rule',
      resource: aResource({
        rules: [monthlyRule(90), monthlyRule(400)],
        points: [aTierPoint('monthly', { ageDays: 14, keptDays: 400 })],
      }),
      status: 'pass',
    },
    {
      tier: 'daily',
      name: 'passes when daily points are kept exactly the daily retention',
      resource: aResource({
        rules: [aRule({ Lifecycle: { DeleteAfterDays: 30 } })],
        points: [aTierPoint('daily', { ageDays: 1, keptDays: 30 })],
      }),
      status: 'pass',
    },
    {
      tier: 'daily',
      name: 'counts a rate(12 hours) rule as daily',
      resource: aResource({
        rules: [
          aRule({
            ScheduleExpression: 'rate(12 hours)',
            Lifecycle: { DeleteAfterDays: 30 },
          }),
        ],
      }),
      status: 'warn',
    },
    {
      tier: 'daily',
      name: 'does not count a weekly rule as daily',
      resource: aResource({
        rules: [aRule({ ScheduleExpression: CRON.weekly })],
      }),
      status: 'fail',
      explanation: /No backup plan has a daily rule/,
    },
    {
      tier: 'daily',
      name: 'ignores the retention of copies in other regions',
      resource: aResource({
        rules: [aRule({ Lifecycle: { DeleteAfterDays: 30 } })],
        points: [
          aTierPoint('daily', { ageDays: 1, keptDays: 30 }),
          aTierPoint(
            'daily',
            { ageDays: 1, keptDays: 7 },
            { region: OTHER_REGION },
          ),
        ],
      }),
      status: 'pass',
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no monthly tier',
        aPolicy({
          retention: { dailyDays: 30, monthlyMonths: 0, yearlyYears: 7 },
        }),
      ),
      tier: 'monthly',
      resource: aResource(),
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no yearly tier',
        aPolicy({
          retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 0 },
        }),
      ),
      tier: 'yearly',
      resource: aResource(),
    },
  ])('$tier: $name', c => {
    expect(verdictOf(checks[c.tier], c)).toMatchObject(expected(c));
  });
});

describe('retention-alignment', () => {
  const daily30 = aRule({ Lifecycle: { DeleteAfterDays: 30 } });
  const yearly7y = aRule({
    RuleName: 'Yearly',
    ScheduleExpression: CRON.yearly,
    Lifecycle: { DeleteAfterDays: 2555 },
  });
  const monthly = (days: number) =>
    aRule({
      RuleName: 'Monthly',
      ScheduleExpression: CRON.monthly,
      Lifecycle: { DeleteAfterDays: days },
    });
  const pii = (days: number) => aContext({ piiDeletionDays: days });

  it.each<Case>([
    {
      name: 'fails when PII lives 35 d and only a 30 d daily and a yearly tier exist, naming both tiers',
      resource: aResource({ rules: [daily30, yearly7y] }),
      context: pii(35),
      status: 'fail',
      explanation:
        /the daily rule Daily captures every record but keeps it 30 d, 2525 d short of 7 y \(2555 d\); the yearly rule Yearly runs every 366 d, so it misses records that live 35 d/,
    },
    {
      name: 'passes when a monthly tier captures PII living 35 d and keeps it the legal 7 y',
      resource: aResource({ rules: [daily30, monthly(2555), yearly7y] }),
      context: pii(35),
      status: 'pass',
    },
    {
      name: 'fails when the monthly tier captures the records but keeps them only 12 months',
      resource: aResource({ rules: [daily30, monthly(360), yearly7y] }),
      context: pii(35),
      status: 'fail',
      explanation:
        /monthly rule Monthly captures every record but keeps it 360 d/,
    },
    {
      name: 'fails when records live 30 d, shorter than a monthly tier can capture',
      resource: aResource({ rules: [monthly(2555)] }),
      context: pii(30),
      status: 'fail',
      explanation: /runs every 31 d, so it misses records that live 30 d/,
    },
    {
      name: 'fails when no backup rule covers the resource',
      resource: aResource(),
      context: pii(35),
      status: 'fail',
      explanation: /no backup rule covers the resource/,
    },
    {
      name: 'is not applicable without the PII deletion annotation',
      resource: aResource({ rules: [daily30, yearly7y] }),
      status: 'pass',
      notApplicable: true,
    },
    {
      name: 'is not applicable when the policy sets no legal retention',
      resource: aResource({ rules: [daily30] }),
      policy: aPolicy({ legalRetentionYears: 0 }),
      context: pii(35),
      status: 'pass',
      notApplicable: true,
    },
  ])('$name', c => {
    expect(verdictOf(retentionAlignmentCheck, c)).toMatchObject(expected(c));
  });
});

describe('encrypted', () => {
  it.each<Case>([
    {
      name: 'passes when every point uses a customer-managed key',
      resource: aResource({ points: [aPoint(), aPoint()] }),
      status: 'pass',
    },
    {
      name: 'fails when a point is not encrypted',
      resource: aResource({
        points: [aPoint(), aPoint({ IsEncrypted: false })],
      }),
      status: 'fail',
      explanation: /1 of 2 recovery points are not encrypted/,
    },
    {
      name: 'is unknown when AWS does not report whether a point is encrypted',
      resource: aResource({
        points: [aPoint(), aPoint({ IsEncrypted: undefined })],
      }),
      status: 'unknown',
      explanation:
        /did not report whether 1 of 2 recovery points are encrypted/,
    },
    {
      name: 'fails when an unencrypted copy sits in another region',
      resource: aResource({
        points: [
          aPoint(),
          aPoint({ region: OTHER_REGION, IsEncrypted: false }),
        ],
      }),
      status: 'fail',
    },
    {
      name: 'fails when a point uses an AWS-owned key and the policy requires customer-managed keys',
      resource: aResource({
        points: [aPoint({ EncryptionKeyType: 'AWS_OWNED_KMS_KEY' })],
      }),
      status: 'fail',
      explanation:
        /requires customer-managed KMS keys; 1 of 1 points use an AWS-owned key/,
    },
    {
      name: 'passes an AWS-owned key when the policy accepts any encryption',
      resource: aResource({
        points: [aPoint({ EncryptionKeyType: 'AWS_OWNED_KMS_KEY' })],
      }),
      policy: aPolicy({ encryption: 'any' }),
      status: 'pass',
    },
    {
      name: 'is unknown when AWS does not report the key type',
      resource: aResource({
        points: [aPoint({ EncryptionKeyType: undefined })],
      }),
      status: 'unknown',
      explanation: /cannot be confirmed/,
    },
    {
      name: 'is unknown without any point to inspect',
      resource: aResource(),
      status: 'unknown',
    },
  ])('$name', c => {
    expect(verdictOf(encryptedCheck, c)).toMatchObject(expected(c));
  });
});

describe('vault-lock', () => {
  const inVault = (...vaults: ReturnType<typeof aVault>[]) =>
    aResource({ points: [aPoint()], vaults: vaultsByArn(...vaults) });

  it.each<Case>([
    {
      name: 'passes a vault locked in compliance mode (lock date passed)',
      resource: inVault(aVault({ LockDate: daysAgo(1) })),
      status: 'pass',
    },
    {
      name: 'warns while the compliance lock is in its cooling-off period (future lock date)',
      resource: inVault(aVault({ LockDate: daysAgo(-3) })),
      status: 'warn',
      explanation: /enters compliance mode on 2026-03-18/,
    },
    {
      name: 'fails a vault locked without lock date (governance) when compliance is required',
      resource: inVault(aVault({ LockDate: undefined })),
      status: 'fail',
      explanation: /governance mode.*compliance mode is required/,
    },
    {
      name: 'passes a vault locked without lock date (governance) when governance is required',
      resource: inVault(aVault({ LockDate: undefined })),
      policy: aPolicy({ vaultLock: 'governance' }),
      status: 'pass',
    },
    {
      name: 'passes a compliance-locked vault when governance is required',
      resource: inVault(aVault()),
      policy: aPolicy({ vaultLock: 'governance' }),
      status: 'pass',
    },
    {
      name: 'fails an unlocked vault',
      resource: inVault(aVault({ Locked: false, LockDate: undefined })),
      status: 'fail',
      explanation: /has no Vault Lock/,
    },
    {
      name: 'fails a vault whose minimum retention is below the daily retention',
      resource: inVault(aVault({ MinRetentionDays: 7 })),
      status: 'fail',
      explanation: /allows deleting points after 7 d, less than the 30 d/,
    },
    {
      name: 'fails a locked vault that reports no minimum retention',
      resource: inVault(aVault({ MinRetentionDays: undefined })),
      status: 'fail',
    },
    {
      name: 'fails, not warns, a cooling-off vault with too short a minimum retention',
      resource: inVault(aVault({ LockDate: daysAgo(-3), MinRetentionDays: 7 })),
      status: 'fail',
    },
    {
      name: 'fails when one of two vaults holding its points is unlocked',
      resource: aResource({
        points: [
          aPoint(),
          aPoint({
            BackupVaultName: 'old-vault',
            BackupVaultArn: vaultArn('old-vault'),
          }),
        ],
        vaults: vaultsByArn(
          aVault(),
          aVault({
            BackupVaultName: 'old-vault',
            Locked: false,
            LockDate: undefined,
          }),
        ),
      }),
      status: 'fail',
      explanation: /^Vault old-vault has no Vault Lock\.$/,
    },
    {
      name: 'is unknown without any point, so without a vault to inspect',
      resource: aResource({ vaults: vaultsByArn(aVault()) }),
      status: 'unknown',
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no Vault Lock',
        aPolicy({ vaultLock: 'none' }),
      ),
      resource: inVault(aVault({ Locked: false, LockDate: undefined })),
    },
  ])('$name', c => {
    expect(verdictOf(vaultLockCheck, c)).toMatchObject(expected(c));
  });
});

describe('cross-region-copy and cross-account-copy', () => {
  const checks = {
    region: crossRegionCopyCheck,
    account: crossAccountCopyCheck,
  };
  const otherRegionVault = vaultArn('dr-vault', ACCOUNT, OTHER_REGION);
  const otherAccountVault = vaultArn('central-vault', OTHER_ACCOUNT, REGION);
  const sameRegionVault = vaultArn('second-vault', ACCOUNT, REGION);
  const copyingTo = (destination: string) =>
    aRule({ CopyActions: [{ DestinationBackupVaultArn: destination }] });

  it.each<Case & { kind: keyof typeof checks }>([
    {
      kind: 'region',
      name: 'passes with a completed copy job to another region within the RPO',
      resource: aResource({ copyJobs: [aCopyJob(otherRegionVault)] }),
      status: 'pass',
    },
    {
      kind: 'region',
      name: 'passes with a copy job completed exactly one RPO ago',
      resource: aResource({
        copyJobs: [
          aCopyJob(otherRegionVault, { CompletionDate: hoursAgo(24) }),
        ],
      }),
      status: 'pass',
    },
    {
      kind: 'region',
      name: 'fails when the newest copy to another region is older than the RPO',
      resource: aResource({
        copyJobs: [
          aCopyJob(otherRegionVault, { CompletionDate: hoursAgo(25) }),
        ],
      }),
      status: 'fail',
      explanation: /older than the 24 h RPO/,
    },
    {
      kind: 'region',
      name: 'passes with a recent recovery point in another region and no job',
      resource: aResource({
        points: [aPoint({ region: OTHER_REGION, CreationDate: hoursAgo(3) })],
      }),
      status: 'pass',
    },
    {
      kind: 'region',
      name: 'fails when copies only go to the same region',
      resource: aResource({
        rules: [copyingTo(sameRegionVault)],
        copyJobs: [aCopyJob(sameRegionVault)],
        points: [
          aPoint({
            BackupVaultArn: sameRegionVault,
            BackupVaultName: 'second-vault',
          }),
        ],
      }),
      status: 'fail',
      explanation: /no backup rule has a copy action to one/,
    },
    {
      kind: 'region',
      name: 'fails when the copy job to another region failed',
      resource: aResource({
        rules: [copyingTo(otherRegionVault)],
        copyJobs: [aCopyJob(otherRegionVault, { State: 'FAILED' })],
      }),
      status: 'fail',
      explanation:
        /copy action to another region, but no completed copy exists/,
    },
    {
      kind: 'region',
      name: 'is unknown when the plan copies to an uncollected region and no job shows it arrived',
      resource: aResource({ rules: [copyingTo(otherRegionVault)] }),
      context: aContext({ collected: new Set([`${ACCOUNT}/${REGION}`]) }),
      status: 'unknown',
      explanation: new RegExp(`copies to ${ACCOUNT}/${OTHER_REGION}`),
    },
    {
      kind: 'account',
      name: 'passes with a completed copy job to another account within the RPO',
      resource: aResource({ copyJobs: [aCopyJob(otherAccountVault)] }),
      status: 'pass',
    },
    {
      kind: 'account',
      name: 'fails when copies only go to another region of the same account',
      resource: aResource({
        rules: [copyingTo(otherRegionVault)],
        copyJobs: [aCopyJob(otherRegionVault)],
      }),
      status: 'fail',
    },
    {
      kind: 'account',
      name: 'fails when the plan copies to a collected account but no copy exists',
      resource: aResource({ rules: [copyingTo(otherAccountVault)] }),
      status: 'fail',
      explanation: /copy action to another account, but no completed copy/,
    },
    {
      kind: 'account',
      name: 'is unknown when the plan copies to an uncollected account-region and no job shows it arrived',
      resource: aResource({
        rules: [
          copyingTo(vaultArn('central-vault', UNCOLLECTED_ACCOUNT, REGION)),
        ],
      }),
      status: 'unknown',
      explanation: new RegExp(`copies to ${UNCOLLECTED_ACCOUNT}/${REGION}`),
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no cross-region copy',
        aPolicy({
          copies: {
            crossRegion: false,
            crossAccount: true,
            retention: 'same-as-source',
          },
        }),
      ),
      kind: 'region',
      resource: aResource(),
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no cross-account copy',
        aPolicy({
          copies: {
            crossRegion: true,
            crossAccount: false,
            retention: 'same-as-source',
          },
        }),
      ),
      kind: 'account',
      resource: aResource(),
    },
  ])('$kind: $name', c => {
    expect(verdictOf(checks[c.kind], c)).toMatchObject(expected(c));
  });
});

describe('restore-tested', () => {
  const selected = (...restoreTests: ReturnType<typeof aRestoreTest>[]) =>
    aResource({
      restoreTestingSelections: [aRestoreTestingSelection()],
      restoreTests,
    });

  it.each<Case>([
    {
      name: 'passes when the latest test restore completed and validated within maxAgeDays',
      resource: selected(aRestoreTest({ ageDays: 5 })),
      status: 'pass',
      explanation: /with a successful validation/,
    },
    {
      name: 'passes when the last good test is exactly maxAgeDays old',
      resource: selected(aRestoreTest({ ageDays: 30 })),
      status: 'pass',
    },
    {
      name: 'fails when the last good test is older than maxAgeDays',
      resource: selected(aRestoreTest({ ageDays: 31 })),
      status: 'fail',
      explanation: /older than the 30 d the policy allows/,
    },
    {
      name: 'fails when validation timed out',
      resource: selected(
        aRestoreTest({ ageDays: 5 }, { ValidationStatus: 'TIMED_OUT' }),
      ),
      status: 'fail',
      explanation: /validation TIMED_OUT/,
    },
    {
      name: 'fails when validation failed',
      resource: selected(
        aRestoreTest(
          { ageDays: 5 },
          {
            ValidationStatus: 'FAILED',
            ValidationStatusMessage: 'row count 0',
          },
        ),
      ),
      status: 'fail',
      explanation: /validation FAILED \("row count 0"\)/,
    },
    {
      name: 'passes a completed test without validation when the policy does not require one',
      resource: selected(
        aRestoreTest({ ageDays: 5 }, { ValidationStatus: undefined }),
      ),
      policy: aPolicy({
        restoreTesting: {
          required: true,
          maxAgeDays: 30,
          requireValidation: false,
        },
      }),
      status: 'pass',
    },
    {
      name: 'warns when an earlier test succeeded but the latest failed',
      resource: selected(
        aRestoreTest({ ageDays: 1 }, { Status: 'FAILED' }),
        aRestoreTest({ ageDays: 10 }),
      ),
      status: 'warn',
      explanation: /the latest one ended FAILED/,
    },
    {
      name: 'warns when an earlier test succeeded but the latest failed validation',
      resource: selected(
        aRestoreTest({ ageDays: 1 }, { ValidationStatus: 'FAILED' }),
        aRestoreTest({ ageDays: 10 }),
      ),
      status: 'warn',
    },
    {
      name: 'fails when no plan selects the resource and it was never tested',
      resource: aResource(),
      status: 'fail',
      explanation: /No restore-testing plan selects this resource/,
    },
    {
      name: 'fails when a plan selects the resource but no test ran',
      resource: selected(),
      status: 'fail',
      explanation:
        /Selected by monthly-restore-test, but no test restore of it is on record/,
    },
    {
      name: 'ignores a test restore still running',
      resource: selected(
        aRestoreTest({ ageDays: 0.1 }, { Status: 'RUNNING' }),
        aRestoreTest({ ageDays: 5 }),
      ),
      status: 'pass',
    },
    {
      name: 'ignores a test restore still pending',
      resource: selected(
        aRestoreTest({ ageDays: 0.1 }, { Status: 'PENDING' }),
        aRestoreTest({ ageDays: 5 }),
      ),
      status: 'pass',
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no restore testing',
        aPolicy({
          restoreTesting: {
            required: false,
            maxAgeDays: 30,
            requireValidation: true,
          },
        }),
      ),
      resource: aResource(),
    },
  ])('$name', c => {
    expect(verdictOf(restoreTestedCheck, c)).toMatchObject(expected(c));
  });

  // A restore still VALIDATING has no outcome yet: like RUNNING and PENDING
  // it is ignored, so the earlier successful test decides.
  it('ignores a test restore whose validation is still running', () => {
    const verdict = restoreTestedCheck(
      selected(
        aRestoreTest({ ageDays: 0.1 }, { ValidationStatus: 'VALIDATING' }),
        aRestoreTest({ ageDays: 5 }),
      ),
      aPolicy(),
      aContext(),
    );
    expect(verdict.status).toBe('pass');
  });

  // DESIGN.md: "a restore-testing plan selects the resource and a test
  // restore COMPLETED within maxAgeDays". Without a plan no test will repeat.
  it('does not pass when no restore-testing plan selects the resource any more', () => {
    const verdict = restoreTestedCheck(
      aResource({ restoreTests: [aRestoreTest({ ageDays: 5 })] }),
      aPolicy(),
      aContext(),
    );
    expect(verdict.status).not.toBe('pass');
  });
});

describe('restore-time', () => {
  const tested = (...restoreTests: ReturnType<typeof aRestoreTest>[]) =>
    aResource({ restoreTests });

  it.each<Case>([
    {
      name: 'passes when the latest test restore took less than the RTO',
      resource: tested(aRestoreTest({ minutes: 60 })),
      status: 'pass',
      explanation: /took 60 min, within the 240 min RTO/,
    },
    {
      name: 'passes when the latest test restore took exactly the RTO',
      resource: tested(aRestoreTest({ minutes: 240 })),
      status: 'pass',
    },
    {
      name: 'fails when the latest test restore took longer than the RTO',
      resource: tested(aRestoreTest({ minutes: 241 })),
      status: 'fail',
      explanation: /took 241 min, 1 min over the 240 min RTO/,
    },
    {
      name: 'judges the latest completed test, not an older faster one',
      resource: tested(
        aRestoreTest({ ageDays: 1, minutes: 300 }),
        aRestoreTest({ ageDays: 20, minutes: 30 }),
      ),
      status: 'fail',
    },
    {
      name: 'skips a newer test that did not complete',
      resource: tested(
        aRestoreTest({ ageDays: 1, minutes: 500 }, { Status: 'FAILED' }),
        aRestoreTest({ ageDays: 20, minutes: 30 }),
      ),
      status: 'pass',
    },
    {
      name: 'fails when no test restore completed',
      resource: tested(aRestoreTest({}, { Status: 'FAILED' })),
      status: 'fail',
      explanation: /No completed test restore is on record/,
    },
    {
      name: 'fails without any test restore',
      resource: tested(),
      status: 'fail',
    },
    {
      ...notRequired(
        'is not applicable when the policy requires no restore testing',
        aPolicy({
          restoreTesting: {
            required: false,
            maxAgeDays: 30,
            requireValidation: false,
          },
        }),
      ),
      resource: aResource(),
    },
  ])('$name', c => {
    expect(verdictOf(restoreTimeCheck, c)).toMatchObject(expected(c));
  });
});

describe('legal-hold', () => {
  it.each<Case>([
    {
      name: 'passes without any hold',
      resource: aResource(),
      status: 'pass',
      explanation: /No recovery point is under an active legal hold/,
    },
    {
      name: 'passes, informationally, with points under an active hold',
      resource: aResource({
        legalHolds: [aLegalHold({}, ['point-1', 'point-2'])],
      }),
      status: 'pass',
      explanation:
        /2 recovery points are under active legal hold \("Litigation 2026-01"\)/,
    },
  ])('$name', c => {
    expect(verdictOf(legalHoldCheck, c)).toMatchObject(expected(c));
  });

  it('lists only active holds among its facts', () => {
    const verdict = legalHoldCheck(
      aResource({
        legalHolds: [
          aLegalHold({ LegalHoldId: 'hold-active', Title: 'Audit' }, ['p-1']),
          aLegalHold(
            {
              LegalHoldId: 'hold-canceled',
              Title: 'Closed case',
              Status: 'CANCELED',
              CancellationDate: daysAgo(1),
            },
            ['p-2', 'p-3'],
          ),
          aLegalHold({ LegalHoldId: 'hold-creating', Status: 'CREATING' }, [
            'p-4',
          ]),
        ],
      }),
      aPolicy(),
      aContext(),
    );
    expect(verdict).toMatchObject({
      status: 'pass',
      explanation: expect.stringMatching(/^1 recovery points/),
    });
    expect(verdict.facts).toEqual([
      expect.objectContaining({
        label: 'Legal hold "Audit" (hold-active)',
        value: '1 points',
      }),
    ]);
  });
});
