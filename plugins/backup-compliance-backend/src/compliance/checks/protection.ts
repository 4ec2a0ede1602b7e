import { ResourceCheck } from '../types';
import {
  fact,
  HOUR_MS,
  humanAge,
  humanHours,
  isContinuous,
  schedulesOf,
  sourcePoints,
  usablePoints,
} from './util';

const POINTS = 'ListRecoveryPointsByBackupVault';

export const protectedCheck: ResourceCheck = resource => {
  const points = usablePoints(sourcePoints(resource.points, resource));
  const plans = [...new Set(resource.rules.map(r => r.planName))];
  const facts = [
    fact(
      'Completed recovery points',
      points.length,
      `${POINTS}: Status`,
      resource.arn,
    ),
    fact(
      'Backup plans selecting it',
      plans.join(', ') || 'none',
      'GetBackupSelection: Resources, ListOfTags, Conditions',
      resource.arn,
    ),
  ];
  if (points.length === 0 && plans.length === 0) {
    return {
      status: 'fail',
      facts,
      explanation:
        'No backup plan selects this resource and it has no recovery point.',
    };
  }
  if (points.length === 0) {
    return {
      status: 'fail',
      facts,
      explanation: `Selected by ${plans.join(
        ', ',
      )}, but no recovery point exists yet.`,
    };
  }
  if (plans.length === 0) {
    return {
      status: 'fail',
      facts,
      explanation: `${points.length} recovery points exist, but no backup plan selects the resource any more: no new backups will be taken.`,
    };
  }
  return {
    status: 'pass',
    facts,
    explanation: `Selected by ${plans.join(', ')}; ${
      points.length
    } completed recovery points.`,
  };
};

export const recoveryPointFreshCheck: ResourceCheck = (
  resource,
  policy,
  { now },
) => {
  const own = usablePoints(sourcePoints(resource.points, resource));
  const newest = own[0];
  const rpo = fact(
    'RPO',
    `${policy.rpoHours} h`,
    `policy ${policy.name}: rpoHours`,
  );
  // A running continuous backup can restore any second up to the moment it was seen.
  const continuous = own.find(p => isContinuous(p));
  if (continuous) {
    const window = continuous.Lifecycle?.DeleteAfterDays;
    const facts = [
      fact(
        'Continuous backup (point-in-time recovery) since',
        continuous.CreationDate,
        `${POINTS}: RecoveryPointArn …:continuous:…, Status, CreationDate`,
        resource.arn,
      ),
      fact(
        'Restore window',
        window === undefined ? null : `${window} d`,
        `${POINTS}: Lifecycle.DeleteAfterDays`,
        resource.arn,
      ),
      fact(
        'Seen running at',
        resource.collectedAt,
        'collection of its account-region',
        resource.arn,
      ),
      rpo,
    ];
    if (!resource.collectedAt) {
      return {
        status: 'unknown',
        facts,
        explanation:
          'A continuous backup exists, but its account-region has no successful collection to date it.',
      };
    }
    const age = now.getTime() - resource.collectedAt.getTime();
    if (age <= policy.rpoHours * HOUR_MS) {
      return {
        status: 'pass',
        facts,
        explanation: `Continuous backup (point-in-time recovery) is running: any moment of the last ${
          window ?? '?'
        } d can be restored, within the ${policy.rpoHours} h RPO.`,
      };
    }
    return {
      status: 'fail',
      facts,
      explanation: `A continuous backup was running when its account-region was last read, ${humanAge(
        age,
      )} ago: older than the ${policy.rpoHours} h RPO.`,
    };
  }
  if (!newest?.CreationDate) {
    return {
      status: 'fail',
      facts: [rpo],
      explanation: 'No completed recovery point exists.',
    };
  }
  const age = now.getTime() - newest.CreationDate.getTime();
  // Continuous rules aside (they take snapshots too, but restore to any second).
  const schedule = schedulesOf(
    resource.rules
      .filter(r => !r.rule.EnableContinuousBackup)
      .map(r => ({
        name: `${r.planName}/${r.rule.RuleName}`,
        expression: r.rule.ScheduleExpression,
        timezone: r.rule.ScheduleExpressionTimezone,
      })),
    now,
  );
  const facts = [
    fact(
      'Newest completed recovery point',
      newest.CreationDate,
      `${POINTS}: CreationDate`,
      resource.arn,
    ),
    fact('Age', humanAge(age), 'now − CreationDate', resource.arn),
    rpo,
    ...(schedule.most
      ? [
          fact(
            'Most frequent backup rule',
            `${schedule.most}: at least every ${humanHours(
              schedule.gapHours!,
            )}`,
            'GetBackupPlan: Rules[].ScheduleExpression, ScheduleExpressionTimezone',
            resource.arn,
          ),
        ]
      : []),
    ...(schedule.next
      ? [
          fact(
            'Next scheduled backup',
            schedule.next,
            'GetBackupPlan: Rules[].ScheduleExpression, ScheduleExpressionTimezone',
            resource.arn,
          ),
        ]
      : []),
  ];
  // A fresh point says nothing of the next one: a plan that runs less often than the RPO
  // leaves the resource outside it between runs.
  if (
    age <= policy.rpoHours * HOUR_MS &&
    schedule.gapHours !== undefined &&
    schedule.gapHours > policy.rpoHours
  ) {
    return {
      status: 'fail',
      facts,
      explanation: `The newest recovery point is ${humanAge(
        age,
      )} old, but the most frequent backup rule, ${
        schedule.most
      }, runs only every ${humanHours(schedule.gapHours)}: longer than the ${
        policy.rpoHours
      } h RPO, so the resource falls outside it between runs.`,
    };
  }
  if (age <= policy.rpoHours * HOUR_MS) {
    return {
      status: 'pass',
      facts,
      explanation: `The newest recovery point is ${humanAge(
        age,
      )} old, within the ${policy.rpoHours} h RPO.`,
    };
  }
  return {
    status: 'fail',
    facts,
    explanation: `The newest recovery point is ${humanAge(
      age,
    )} old: older than the ${policy.rpoHours} h RPO by ${humanAge(
      age - policy.rpoHours * HOUR_MS,
    )}.`,
  };
};

const BAD_JOB_STATES = new Set(['FAILED', 'EXPIRED', 'ABORTED']);

export const backupJobsHealthyCheck: ResourceCheck = resource => {
  const jobs = [...resource.backupJobs].sort(
    (a, b) =>
      (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0),
  );
  if (jobs.length === 0) {
    return {
      status: 'fail',
      facts: [
        fact(
          'Backup jobs in the collected window',
          0,
          'ListBackupJobs: ByResourceArn',
          resource.arn,
        ),
      ],
      explanation:
        'No backup job ran for this resource in the collected window.',
    };
  }
  const lastSuccess = jobs.find(j => j.State === 'COMPLETED');
  const unresolved = jobs.filter(
    j =>
      BAD_JOB_STATES.has(j.State ?? '') &&
      (!lastSuccess?.CreationDate ||
        (j.CreationDate?.getTime() ?? 0) > lastSuccess.CreationDate.getTime()),
  );
  const facts = [
    fact(
      'Last successful job',
      lastSuccess?.CreationDate,
      'ListBackupJobs: State=COMPLETED, CreationDate',
      resource.arn,
    ),
    ...unresolved.map(j =>
      fact(
        `${j.State} job ${j.BackupJobId}`,
        j.StatusMessage ?? j.State ?? '',
        'ListBackupJobs: State, StatusMessage',
        resource.arn,
      ),
    ),
  ];
  if (unresolved.length > 0) {
    const latest = unresolved[0];
    return {
      status: 'fail',
      facts,
      explanation: `The backup job of ${latest.CreationDate?.toISOString()} ${latest.State?.toLowerCase()}${
        latest.StatusMessage ? ` ("${latest.StatusMessage}")` : ''
      } and no backup has succeeded since.`,
    };
  }
  const partial = jobs[0].State === 'PARTIAL';
  if (partial) {
    return {
      status: 'warn',
      facts,
      explanation: 'The latest backup job completed only partially.',
    };
  }
  return {
    status: 'pass',
    facts,
    explanation: 'Every failed job was followed by a successful one.',
  };
};
