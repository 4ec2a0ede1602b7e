import { BackupPolicy } from '../../config/readPolicies';
import {
  aCompliantResource,
  aContext,
  aCopyJob,
  ACCOUNT,
  aPoint,
  aPolicy,
  aResource,
  aRestoreTest,
  aRestoreTestingSelection,
  aRule,
  aTierPoint,
  aVault,
  CRON,
  daysAfter,
  daysAgo,
  hoursAgo,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  vaultArn,
  vaultsByArn,
} from '../testing/evidence';
import {
  EvaluationContext,
  LocatedRecoveryPoint,
  ResourceCheck,
  ResourceEvidence,
  ResourceVerdict,
} from '../types';
import { summarizeResource } from '../summarizeResource';
import { vaultLockCheck } from './immutability';
import { recoveryPointFreshCheck } from './protection';
import { restoreTestedCheck, restoreTimeCheck } from './restoreTesting';
import {
  retentionDailyCheck,
  retentionMonthlyCheck,
  retentionYearlyCheck,
} from './retention';
import { crossAccountCopyCheck, crossRegionCopyCheck } from './segregation';

// What real estates use beyond the demo's daily/monthly/yearly snapshots: continuous
// backups, cold storage, logically air-gapped vaults and copies with lifecycles of
// their own. Each case names the AWS fields it is about.

type Case = {
  name: string;
  check: ResourceCheck;
  resource: ResourceEvidence;
  policy?: BackupPolicy;
  context?: EvaluationContext;
  status: ResourceVerdict['status'];
  explanation: RegExp;
  /** A fact whose label matches, with a value matching. */
  fact?: [RegExp, RegExp];
};

/** A continuous point (point-in-time recovery) started `sinceDays` ago, with a window of `windowDays`. */
function aContinuousPoint(
  { sinceDays, windowDays }: { sinceDays: number; windowDays: number },
  overrides: Partial<LocatedRecoveryPoint> = {},
): LocatedRecoveryPoint {
  return aPoint({
    RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:continuous:db-transactions-${sinceDays}`,
    CreationDate: daysAgo(sinceDays),
    Lifecycle: { DeleteAfterDays: windowDays },
    CreatedBy: { BackupPlanId: 'plan-1', BackupRuleName: 'Continuous' },
    ...overrides,
  });
}

const continuousRule = (windowDays = 35, schedule: string = CRON.daily) =>
  aRule({
    RuleName: 'Continuous',
    ScheduleExpression: schedule,
    EnableContinuousBackup: true,
    Lifecycle: { DeleteAfterDays: windowDays },
  });

const drVault = vaultArn('dr-vault', ACCOUNT, OTHER_REGION);
const centralVault = vaultArn('central-vault', OTHER_ACCOUNT, REGION);

/** A copy of a source point into another account-region's vault. */
function aCopy(
  source: LocatedRecoveryPoint,
  destination: { accountId: string; region: string; vault: string },
  keptDays: number,
): LocatedRecoveryPoint {
  return {
    ...source,
    RecoveryPointArn: `${source.RecoveryPointArn}-copy-${destination.accountId}-${destination.region}`,
    BackupVaultName: destination.vault,
    BackupVaultArn: vaultArn(
      destination.vault,
      destination.accountId,
      destination.region,
    ),
    SourceBackupVaultArn: source.BackupVaultArn,
    CalculatedLifecycle: {
      DeleteAt: daysAfter(source.CreationDate!, keptDays),
    },
    accountId: destination.accountId,
    region: destination.region,
  };
}

const yearlyRule = (copyKeptDays?: number, keptDays = 2555) =>
  aRule(
    {
      RuleName: 'Yearly',
      ScheduleExpression: CRON.yearly,
      Lifecycle: { DeleteAfterDays: keptDays },
      CopyActions: [
        {
          DestinationBackupVaultArn: centralVault,
          ...(copyKeptDays
            ? { Lifecycle: { DeleteAfterDays: copyKeptDays } }
            : {}),
        },
      ],
    },
    {},
  );

const yearlyPoint = aTierPoint(
  'yearly',
  { ageDays: 73, keptDays: 2555 },
  { CreatedBy: { BackupPlanId: 'plan-1', BackupRuleName: 'Yearly' } },
);

const cases: Case[] = [
  // Continuous backups
  {
    name: 'recovery-point-fresh passes on a running continuous backup, however old its point is',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [continuousRule()],
      points: [aContinuousPoint({ sinceDays: 200, windowDays: 35 })],
    }),
    status: 'pass',
    explanation:
      /Continuous backup \(point-in-time recovery\) is running: any moment of the last 35 d/,
    fact: [/^Continuous backup .* since$/, /^\d{4}-/],
  },
  {
    name: 'recovery-point-fresh fails when the continuous backup was last seen longer ago than the RPO',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [continuousRule()],
      points: [aContinuousPoint({ sinceDays: 200, windowDays: 35 })],
      collectedAt: hoursAgo(30),
    }),
    status: 'fail',
    explanation: /last read, 30 h ago: older than the 24 h RPO/,
  },
  {
    name: 'recovery-point-fresh does not count a STOPPED continuous backup',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [continuousRule()],
      points: [
        aContinuousPoint(
          { sinceDays: 200, windowDays: 35 },
          { Status: 'STOPPED' },
        ),
      ],
    }),
    status: 'fail',
    explanation: /No completed recovery point exists/,
  },
  {
    name: 'recovery-point-fresh judges a snapshot of a continuous rule by its age, as any snapshot',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [continuousRule()],
      points: [
        aPoint({
          CreationDate: hoursAgo(30),
          CreatedBy: { BackupPlanId: 'plan-1', BackupRuleName: 'Continuous' },
        }),
      ],
    }),
    status: 'fail',
    explanation:
      /The newest recovery point is 30 h old: older than the 24 h RPO/,
  },
  {
    name: 'retention-daily counts a continuous window of 35 d for a 30 d daily tier',
    check: retentionDailyCheck,
    resource: aResource({
      rules: [continuousRule(35)],
      points: [aContinuousPoint({ sinceDays: 200, windowDays: 35 })],
    }),
    status: 'pass',
    explanation: /all 1 daily points keep data at least 30 d/,
    fact: [/^Rule .*\/Continuous \(continuous\)$/, /^35 d$/],
  },
  {
    name: 'retention-daily fails on a continuous window shorter than the daily tier',
    check: retentionDailyCheck,
    resource: aResource({
      rules: [continuousRule(14)],
      points: [aContinuousPoint({ sinceDays: 200, windowDays: 14 })],
    }),
    status: 'fail',
    explanation: /keeps points 14 d, 16 d short of the 30 d required/,
  },
  {
    name: 'retention-monthly never counts a continuous rule, even one with a monthly schedule',
    check: retentionMonthlyCheck,
    resource: aResource({
      rules: [continuousRule(35, CRON.monthly)],
      points: [aContinuousPoint({ sinceDays: 200, windowDays: 35 })],
    }),
    status: 'fail',
    explanation: /No backup plan has a monthly rule/,
  },
  // Cold storage
  {
    name: 'retention-yearly counts warm and cold storage together (DeleteAfterDays is the total)',
    check: retentionYearlyCheck,
    resource: aResource({
      rules: [
        aRule({
          RuleName: 'Yearly',
          ScheduleExpression: CRON.yearly,
          Lifecycle: { DeleteAfterDays: 2555, MoveToColdStorageAfterDays: 90 },
        }),
      ],
      points: [
        aTierPoint(
          'yearly',
          { ageDays: 400, keptDays: 2555 },
          {
            CalculatedLifecycle: {
              MoveToColdStorageAt: daysAgo(310),
              DeleteAt: daysAfter(daysAgo(400), 2555),
            },
          },
        ),
      ],
    }),
    status: 'pass',
    explanation: /all 1 yearly points keep data at least 7 y/,
  },
  {
    name: 'restore-time says the tested point was warm and that no test measured the cold points',
    check: restoreTimeCheck,
    resource: aCompliantResource({
      points: [
        aPoint({ RecoveryPointArn: 'arn:tested-warm' }),
        aTierPoint(
          'yearly',
          { ageDays: 400, keptDays: 2555 },
          {
            CalculatedLifecycle: {
              MoveToColdStorageAt: daysAgo(310),
              DeleteAt: daysAfter(daysAgo(400), 2555),
            },
          },
        ),
      ],
      restoreTests: [aRestoreTest({}, { RecoveryPointArn: 'arn:tested-warm' })],
    }),
    status: 'pass',
    explanation:
      /test restore from warm storage took 60 min, within the 240 min RTO\. 1 of its points are in cold storage, whose restore time no test has measured/,
    fact: [/^Storage class of the tested point$/, /^WARM$/],
  },
  {
    name: 'restore-time says a test restored a point from cold storage',
    check: restoreTimeCheck,
    resource: aCompliantResource({
      points: [
        aTierPoint(
          'yearly',
          { ageDays: 400, keptDays: 2555 },
          {
            RecoveryPointArn: 'arn:tested-cold',
            CalculatedLifecycle: { MoveToColdStorageAt: daysAgo(310) },
          },
        ),
      ],
      restoreTests: [
        aRestoreTest({ minutes: 200 }, { RecoveryPointArn: 'arn:tested-cold' }),
      ],
    }),
    status: 'pass',
    explanation:
      /^The latest test restore from cold storage took 200 min, within the 240 min RTO\.$/,
  },
  // Logically air-gapped vaults
  {
    name: 'vault-lock counts a logically air-gapped vault as compliance mode, whatever Locked says',
    check: vaultLockCheck,
    resource: aCompliantResource({
      vaults: vaultsByArn(
        aVault({
          VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
          Locked: undefined,
          LockDate: undefined,
        }),
      ),
    }),
    status: 'pass',
    explanation: /Every vault holding its points is locked in compliance mode/,
    fact: [/^Vault prod-vault lock$/, /logically air-gapped/],
  },
  {
    name: 'vault-lock fails when the vault holding its copies has no Vault Lock',
    check: vaultLockCheck,
    resource: aCompliantResource({
      points: [
        yearlyPoint,
        aCopy(
          yearlyPoint,
          { accountId: OTHER_ACCOUNT, region: REGION, vault: 'central-vault' },
          2555,
        ),
      ],
      vaults: vaultsByArn(
        aVault(),
        aVault({
          BackupVaultName: 'central-vault',
          accountId: OTHER_ACCOUNT,
          Locked: false,
          LockDate: undefined,
        }),
      ),
    }),
    status: 'fail',
    explanation:
      /Vault central-vault \(copies, 222222222222\/eu-central-1\) has no Vault Lock/,
  },
  {
    name: 'vault-lock passes when its copies are in a logically air-gapped vault of another account',
    check: vaultLockCheck,
    resource: aCompliantResource({
      points: [
        yearlyPoint,
        aCopy(
          yearlyPoint,
          { accountId: OTHER_ACCOUNT, region: REGION, vault: 'central-vault' },
          2555,
        ),
      ],
      vaults: vaultsByArn(
        aVault(),
        aVault({
          BackupVaultName: 'central-vault',
          accountId: OTHER_ACCOUNT,
          VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
        }),
      ),
    }),
    status: 'pass',
    explanation: /Every vault holding its points and copies is locked/,
  },
  // Copy retention
  {
    name: 'cross-account-copy fails when the copy action keeps copies 30 d and the yearly points 7 y',
    check: crossAccountCopyCheck,
    resource: aCompliantResource({
      rules: [yearlyRule(30)],
    }),
    status: 'fail',
    explanation:
      /within the RPO; but rule transactions-db-plan\/Yearly keeps its copies to 222222222222\/eu-central-1 30 d, its points 7 y \(2555 d\)/,
  },
  {
    name: 'cross-account-copy passes a 30 d copy when the policy asks copies to keep 30 d',
    check: crossAccountCopyCheck,
    resource: aCompliantResource({ rules: [yearlyRule(30)] }),
    policy: aPolicy({
      copies: { crossRegion: true, crossAccount: true, retention: 30 },
    }),
    status: 'pass',
    explanation: /within the RPO\.$/,
  },
  {
    name: 'cross-account-copy fails when a copy found expires before the point it copies',
    check: crossAccountCopyCheck,
    resource: aCompliantResource({
      rules: [yearlyRule()],
      points: [
        yearlyPoint,
        aCopy(
          yearlyPoint,
          { accountId: OTHER_ACCOUNT, region: REGION, vault: 'central-vault' },
          365,
        ),
      ],
    }),
    status: 'fail',
    explanation: /1 of 1 copies expire before the points they copy/,
  },
  {
    name: 'cross-region-copy judges only copies to other regions',
    check: crossRegionCopyCheck,
    resource: aCompliantResource({
      rules: [yearlyRule(30)],
      copyJobs: [aCopyJob(drVault)],
    }),
    status: 'pass',
    explanation: /A copy in another region is 1 h old, within the RPO\.$/,
  },
  // Schedules against objectives
  {
    name: 'recovery-point-fresh fails a fresh point when the plan runs less often than the RPO',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [aRule()],
      points: [aPoint({ CreationDate: hoursAgo(2) })],
    }),
    policy: aPolicy({ rpoHours: 4 }),
    status: 'fail',
    explanation:
      /newest recovery point is 2 h old, but the most frequent backup rule, transactions-db-plan\/Daily \(cron\(0 2 \* \* \? \*\)\), runs only every 24 h: longer than the 4 h RPO/,
    fact: [/^Next scheduled backup$/, /^2026-03-16T02:00:00.000Z$/],
  },
  {
    name: 'recovery-point-fresh reads the schedule in ScheduleExpressionTimezone',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [aRule({ ScheduleExpressionTimezone: 'Europe/Berlin' })],
      points: [aPoint()],
    }),
    status: 'pass',
    explanation: /within the 24 h RPO/,
    // 02:00 in Berlin in March (winter time) is 01:00 UTC
    fact: [/^Next scheduled backup$/, /^2026-03-16T01:00:00.000Z$/],
  },
  {
    name: 'recovery-point-fresh passes a plan that runs every 4 h against a 4 h RPO',
    check: recoveryPointFreshCheck,
    resource: aResource({
      rules: [aRule({ ScheduleExpression: 'cron(0 */4 * * ? *)' })],
      points: [aPoint({ CreationDate: hoursAgo(1) })],
    }),
    policy: aPolicy({ rpoHours: 4 }),
    status: 'pass',
    explanation: /within the 4 h RPO/,
    fact: [/^Most frequent backup rule$/, /at least every 4 h$/],
  },
  {
    name: 'restore-tested warns while the test is fresh when the restore-testing plan runs less often than maxAgeDays',
    check: restoreTestedCheck,
    resource: aCompliantResource({
      restoreTestingSelections: [
        {
          ...aRestoreTestingSelection(),
          planName: 'quarterly',
          schedule: { expression: 'cron(0 5 1 1,4,7,10 ? *)' },
        },
      ],
    }),
    status: 'warn',
    explanation:
      /Test-restored 5 d ago with a successful validation, but the most frequent restore-testing plan, quarterly \(cron\(0 5 1 1,4,7,10 \? \*\)\), runs only every 93 d: the test will be older than the 30 d/,
    fact: [/^Next scheduled test restore$/, /^2026-04-01T05:00:00.000Z$/],
  },
  {
    name: 'restore-tested passes a weekly restore-testing plan',
    check: restoreTestedCheck,
    resource: aCompliantResource({
      restoreTestingSelections: [
        {
          ...aRestoreTestingSelection(),
          schedule: { expression: 'cron(0 5 ? * SUN *)' },
        },
      ],
    }),
    status: 'pass',
    explanation: /^Test-restored 5 d ago with a successful validation\.$/,
    fact: [/^Most frequent restore-testing plan$/, /every 7 d$/],
  },
  // Explanations that carry the whole story
  {
    name: 'restore-tested names the day of a stale last test',
    check: restoreTestedCheck,
    resource: aCompliantResource({
      restoreTests: [aRestoreTest({ ageDays: 200 })],
    }),
    status: 'fail',
    explanation: new RegExp(
      `The last successful test restore, on ${daysAgo(200)
        .toISOString()
        .slice(0, 10)}, is 200 d old, older than the 30 d`,
    ),
  },
];

describe('checks on continuous backups, cold storage, air-gapped vaults and copy retention', () => {
  it.each(cases.map(c => [c.name, c] as const))('%s', (_name, c) => {
    const verdict = c.check(
      c.resource,
      c.policy ?? aPolicy(),
      c.context ?? aContext(),
    );
    expect(verdict).toMatchObject({
      status: c.status,
      explanation: expect.stringMatching(c.explanation),
    });
  });

  it.each(cases.filter(c => c.fact).map(c => [c.name, c] as const))(
    '%s, and shows the fact',
    (_name, c) => {
      const verdict = c.check(
        c.resource,
        c.policy ?? aPolicy(),
        c.context ?? aContext(),
      );
      const [label, value] = c.fact!;
      expect(
        verdict.facts.map(f => ({ label: f.label, value: String(f.value) })),
      ).toContainEqual({
        label: expect.stringMatching(label),
        value: expect.stringMatching(value),
      });
    },
  );
});

describe('the resources table summary', () => {
  it('shows a running continuous backup, the cold points and where the test restore was', () => {
    const cold = aTierPoint(
      'yearly',
      { ageDays: 400, keptDays: 2555 },
      {
        RecoveryPointArn: 'arn:cold',
        CalculatedLifecycle: { MoveToColdStorageAt: daysAgo(310) },
      },
    );
    const summary = summarizeResource(
      aResource({
        rules: [continuousRule()],
        points: [aContinuousPoint({ sinceDays: 200, windowDays: 35 }), cold],
        vaults: vaultsByArn(
          aVault({ VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT' }),
        ),
        restoreTests: [aRestoreTest({}, { RecoveryPointArn: 'arn:cold' })],
      }),
      aPolicy(),
      aContext().now,
    );
    expect(summary).toMatchObject({
      continuous: {
        since: daysAgo(200).toISOString(),
        windowDays: 35,
      },
      coldPoints: 1,
      nextBackupAt: '2026-03-16T02:00:00.000Z',
      vaults: [{ name: 'prod-vault', lock: 'compliance (air-gapped)' }],
      lastRestoreTest: { storageClass: 'COLD' },
    });
  });
});
