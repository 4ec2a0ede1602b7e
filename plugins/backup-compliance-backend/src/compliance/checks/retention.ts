import { BackupPolicy } from '../../config/readPolicies';
import { classifySchedule, Tier } from '../schedule';
import {
  CoveringRule,
  LocatedRecoveryPoint,
  ResourceCheck,
  ResourceEvidence,
} from '../types';
import {
  DAY_MS,
  fact,
  humanDays,
  isContinuous,
  notApplicable,
  sourcePoints,
  usablePoints,
} from './util';

type PolicyTier = 'daily' | 'monthly' | 'yearly';

/** Days a tier must keep points. AWS's own tooling counts a month as 30 days and a year as 365. */
export function requiredDays(policy: BackupPolicy, tier: PolicyTier): number {
  switch (tier) {
    case 'daily':
      return policy.retention.dailyDays;
    case 'monthly':
      return policy.retention.monthlyMonths * 30;
    default:
      return policy.retention.yearlyYears * 365;
  }
}

const keptDays = (rule: CoveringRule) =>
  rule.rule.Lifecycle?.DeleteAfterDays ?? Infinity;

/**
 * Days a point is kept: CalculatedLifecycle.DeleteAt − CreationDate, else its lifecycle;
 * Infinity without expiry. Warm and cold storage together: `DeleteAfterDays` is the total.
 * A continuous point keeps a window of `DeleteAfterDays` back from now, however old it is.
 */
export function pointRetentionDays(point: LocatedRecoveryPoint): number {
  if (isContinuous(point)) return point.Lifecycle?.DeleteAfterDays ?? Infinity;
  const deleteAt = point.CalculatedLifecycle?.DeleteAt;
  if (deleteAt && point.CreationDate) {
    return Math.round(
      (deleteAt.getTime() - point.CreationDate.getTime()) / DAY_MS,
    );
  }
  return point.Lifecycle?.DeleteAfterDays ?? Infinity;
}

/**
 * The tier a rule serves: its schedule's, except that continuous backups (kept at most
 * 35 days) serve the daily tier only, whatever their snapshot schedule.
 */
export function tierOfRule(rule: CoveringRule['rule']): Tier | undefined {
  if (rule.EnableContinuousBackup) return 'daily';
  return classifySchedule(rule.ScheduleExpression)?.tier;
}

/** The tier a point was taken for: its rule's cron, else the rule it names; continuous points are daily. */
export function tierOfPoint(
  point: LocatedRecoveryPoint,
  rules: CoveringRule[],
): Tier | undefined {
  if (isContinuous(point)) return 'daily';
  const byCron = classifySchedule(point.CreatedBy?.BackupRuleCron)?.tier;
  if (byCron) return byCron;
  const rule = rules.find(
    r => r.rule.RuleName === point.CreatedBy?.BackupRuleName,
  );
  return rule ? tierOfRule(rule.rule) : undefined;
}

function retentionCheck(tier: PolicyTier): ResourceCheck {
  return (resource: ResourceEvidence, policy: BackupPolicy) => {
    const required = requiredDays(policy, tier);
    if (required <= 0) {
      return notApplicable(
        `Policy ${policy.name} requires no ${tier} backups.`,
      );
    }
    const requirement = fact(
      `Required ${tier} retention`,
      humanDays(required),
      `policy ${policy.name}: retention`,
    );
    const rules = resource.rules.filter(r => tierOfRule(r.rule) === tier);
    const best = rules.reduce<CoveringRule | undefined>(
      (a, b) => (a && keptDays(a) >= keptDays(b) ? a : b),
      undefined,
    );
    const facts = [
      requirement,
      ...rules.map(r =>
        fact(
          `Rule ${r.planName}/${r.rule.RuleName} (${
            r.rule.EnableContinuousBackup
              ? 'continuous'
              : r.rule.ScheduleExpression
          })`,
          Number.isFinite(keptDays(r))
            ? humanDays(keptDays(r))
            : 'never expires',
          'GetBackupPlan: Rules[].Lifecycle.DeleteAfterDays',
          resource.arn,
        ),
      ),
    ];
    if (!best) {
      return {
        status: 'fail',
        facts,
        explanation: `No backup plan has a ${tier} rule for this resource.`,
      };
    }
    if (keptDays(best) < required) {
      return {
        status: 'fail',
        facts,
        explanation: `The ${tier} rule keeps points ${humanDays(
          keptDays(best),
        )}, ${humanDays(required - keptDays(best))} short of the ${humanDays(
          required,
        )} required.`,
      };
    }
    const points = usablePoints(sourcePoints(resource.points, resource)).filter(
      p => tierOfPoint(p, resource.rules) === tier,
    );
    const short = points.filter(p => pointRetentionDays(p) < required);
    facts.push(
      fact(
        `${tier} recovery points`,
        points.length,
        'ListRecoveryPointsByBackupVault: CreatedBy.BackupRuleCron',
        resource.arn,
      ),
    );
    if (short.length > 0) {
      const worst = Math.min(...short.map(pointRetentionDays));
      facts.push(
        ...short
          .slice(0, 5)
          .map(p =>
            fact(
              `Point of ${p.CreationDate?.toISOString().slice(0, 10)} expires`,
              p.CalculatedLifecycle?.DeleteAt ??
                humanDays(pointRetentionDays(p)),
              'ListRecoveryPointsByBackupVault: CalculatedLifecycle.DeleteAt',
              resource.arn,
            ),
          ),
      );
      return {
        status: 'fail',
        facts,
        explanation: `The plan keeps ${tier} points long enough, but ${
          short.length
        } of ${points.length} actual ${tier} points expire after ${humanDays(
          worst,
        )}: ${humanDays(required - worst)} short of the ${humanDays(
          required,
        )} required.`,
      };
    }
    if (points.length === 0) {
      return {
        status: 'warn',
        facts,
        explanation: `The ${tier} rule keeps points ${humanDays(
          keptDays(best),
        )}, but no ${tier} recovery point exists yet to confirm it.`,
      };
    }
    return {
      status: 'pass',
      facts,
      explanation: `The ${tier} rule and all ${
        points.length
      } ${tier} points keep data at least ${humanDays(required)}.`,
    };
  };
}

export const retentionDailyCheck = retentionCheck('daily');
export const retentionMonthlyCheck = retentionCheck('monthly');
export const retentionYearlyCheck = retentionCheck('yearly');

export const retentionAlignmentCheck: ResourceCheck = (
  resource,
  policy,
  { piiDeletionDays },
) => {
  if (!piiDeletionDays) {
    return notApplicable(
      'The entity declares no PII deletion (aws.amazon.com/backup-pii-deletion-days).',
    );
  }
  const legal = policy.legalRetentionYears * 365;
  if (legal <= 0) {
    return notApplicable(`Policy ${policy.name} sets no legal retention.`);
  }
  const facts = [
    fact(
      'Data lives before PII deletion',
      `${piiDeletionDays} d`,
      'annotation aws.amazon.com/backup-pii-deletion-days',
    ),
    fact(
      'Legal retention',
      humanDays(legal),
      `policy ${policy.name}: legalRetentionYears`,
    ),
  ];
  const judged = resource.rules.map(rule => {
    const schedule = classifySchedule(rule.rule.ScheduleExpression);
    return { rule, schedule, kept: keptDays(rule) };
  });
  const lines: string[] = [];
  let aligned = false;
  for (const { rule, schedule, kept } of judged) {
    const name = `${schedule?.tier ?? 'unreadable'} rule ${rule.rule.RuleName}`;
    facts.push(
      fact(
        `${name} (${rule.rule.ScheduleExpression})`,
        `every ${schedule?.intervalDays ?? '?'} d, kept ${
          Number.isFinite(kept) ? humanDays(kept) : 'forever'
        }`,
        'GetBackupPlan: Rules[].ScheduleExpression, Lifecycle.DeleteAfterDays',
        resource.arn,
      ),
    );
    if (!schedule || schedule.intervalDays > piiDeletionDays) {
      lines.push(
        `the ${name} runs every ${
          schedule?.intervalDays ?? '?'
        } d, so it misses records that live ${piiDeletionDays} d`,
      );
    } else if (kept < legal) {
      lines.push(
        `the ${name} captures every record but keeps it ${humanDays(
          kept,
        )}, ${humanDays(legal - kept)} short of ${humanDays(legal)}`,
      );
    } else {
      aligned = true;
    }
  }
  if (aligned) {
    return {
      status: 'pass',
      facts,
      explanation: `A tier that runs at least every ${piiDeletionDays} d keeps records ${humanDays(
        legal,
      )} or longer.`,
    };
  }
  return {
    status: 'fail',
    facts,
    explanation: `Records live ${piiDeletionDays} d before their personal data is deleted, and no backup tier both captures them and keeps them the legal ${humanDays(
      legal,
    )}: ${lines.join('; ') || 'no backup rule covers the resource'}.`,
  };
};

export const legalHoldCheck: ResourceCheck = resource => {
  const active = resource.legalHolds.filter(h => h.hold.Status === 'ACTIVE');
  const facts = active.map(h =>
    fact(
      `Legal hold "${h.hold.Title}" (${h.hold.LegalHoldId})`,
      `${h.recoveryPointArns.length} points`,
      'ListLegalHolds, ListRecoveryPointsByLegalHold',
      resource.arn,
    ),
  );
  if (active.length === 0) {
    return {
      status: 'pass',
      facts,
      explanation: 'No recovery point is under an active legal hold.',
    };
  }
  const points = active.reduce((n, h) => n + h.recoveryPointArns.length, 0);
  return {
    status: 'pass',
    facts,
    explanation: `${points} recovery points are under active legal hold (${active
      .map(h => `"${h.hold.Title}"`)
      .join(', ')}) and are kept past their lifecycle.`,
  };
};
