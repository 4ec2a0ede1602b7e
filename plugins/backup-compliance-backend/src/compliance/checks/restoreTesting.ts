import { ResourceCheck, ResourceEvidence } from '../types';
import {
  DAY_MS,
  fact,
  humanAge,
  humanHours,
  isCold,
  notApplicable,
  schedulesOf,
} from './util';

const SOURCE = 'ListRestoreJobs: CreatedBy.RestoreTestingPlanArn';

/**
 * Where the tested point was when the test restore started: a restore from cold
 * storage takes longer, so a warm test says nothing about the cold points.
 */
export function testedStorageClass(
  test: ResourceEvidence['restoreTests'][number],
  resource: ResourceEvidence,
): 'WARM' | 'COLD' | undefined {
  const point = resource.points.find(
    p => p.RecoveryPointArn === test.RecoveryPointArn,
  );
  if (!point || !test.CreationDate) return undefined;
  return isCold(point, test.CreationDate) ? 'COLD' : 'WARM';
}

/** How a test restore ended: its status, validation and the validation's message. */
function endedAs(test: ResourceEvidence['restoreTests'][number]): string {
  return `${test.Status}${
    test.ValidationStatus ? ` with validation ${test.ValidationStatus}` : ''
  }${
    test.ValidationStatusMessage ? ` ("${test.ValidationStatusMessage}")` : ''
  }`;
}

/** `at` is an ISO time; its day, for explanations. */
const day = (at: Date | undefined) => at?.toISOString().slice(0, 10);

export const restoreTestedCheck: ResourceCheck = (
  resource,
  policy,
  { now },
) => {
  const { required, maxAgeDays, requireValidation } = policy.restoreTesting;
  if (!required) {
    return notApplicable(`Policy ${policy.name} requires no restore testing.`);
  }
  const plans = [
    ...new Set(resource.restoreTestingSelections.map(s => s.planName)),
  ];
  // Tests still running or validating have no outcome yet.
  const tests = resource.restoreTests.filter(
    t =>
      t.Status !== 'RUNNING' &&
      t.Status !== 'PENDING' &&
      t.ValidationStatus !== 'VALIDATING',
  );
  const ok = (t: (typeof tests)[number]) =>
    t.Status === 'COMPLETED' &&
    (!requireValidation || t.ValidationStatus === 'SUCCESSFUL');
  const latest = tests[0];
  const lastGood = tests.find(ok);
  const facts = [
    fact(
      'Restore-testing plans selecting it',
      plans.join(', ') || 'none',
      'GetRestoreTestingSelection',
      resource.arn,
    ),
    fact(
      'Latest test restore',
      latest?.CreationDate,
      `${SOURCE}, CreationDate`,
      resource.arn,
    ),
    fact(
      'Latest test status',
      latest
        ? `${latest.Status}${
            latest.ValidationStatus
              ? ` / validation ${latest.ValidationStatus}`
              : ''
          }`
        : null,
      'ListRestoreJobs: Status, ValidationStatus',
      resource.arn,
    ),
    fact(
      'Required at most',
      `${maxAgeDays} d old${requireValidation ? ', validated' : ''}`,
      `policy ${policy.name}: restoreTesting`,
    ),
  ];
  if (plans.length === 0) {
    return {
      status: 'fail',
      facts,
      explanation:
        tests.length === 0
          ? 'No restore-testing plan selects this resource and no test restore of it is on record (what AWS lists, and what earlier cycles kept).'
          : 'No restore-testing plan selects this resource any more: earlier tests will not be repeated.',
    };
  }
  if (!lastGood) {
    return {
      status: 'fail',
      facts,
      explanation: latest
        ? `No test restore ever ${
            requireValidation
              ? 'completed with a successful validation'
              : 'completed'
          }; the latest one ended ${endedAs(latest)}.`
        : `Selected by ${plans.join(
            ', ',
          )}, but no test restore of it is on record (what AWS lists, and what earlier cycles kept).`,
    };
  }
  const age = now.getTime() - (lastGood.CreationDate?.getTime() ?? 0);
  const schedule = schedulesOf(
    resource.restoreTestingSelections.map(s => ({
      name: s.planName,
      expression: s.schedule?.expression,
      timezone: s.schedule?.timezone,
    })),
    now,
  );
  if (schedule.most) {
    facts.push(
      fact(
        'Most frequent restore-testing plan',
        `${schedule.most}: at least every ${humanHours(schedule.gapHours!)}`,
        'GetRestoreTestingPlan: ScheduleExpression, ScheduleExpressionTimezone',
        resource.arn,
      ),
    );
  }
  if (schedule.next) {
    facts.push(
      fact(
        'Next scheduled test restore',
        schedule.next,
        'GetRestoreTestingPlan: ScheduleExpression, ScheduleExpressionTimezone',
        resource.arn,
      ),
    );
  }
  if (age > maxAgeDays * DAY_MS) {
    return {
      status: 'fail',
      facts,
      explanation: `The last successful test restore, on ${day(
        lastGood.CreationDate,
      )}, is ${humanAge(
        age,
      )} old, older than the ${maxAgeDays} d the policy allows${
        latest !== lastGood
          ? `; the latest one, on ${day(latest.CreationDate)}, ended ${endedAs(
              latest,
            )}`
          : ''
      }.`,
    };
  }
  if (latest !== lastGood) {
    return {
      status: 'warn',
      facts,
      explanation: `A test restore succeeded ${humanAge(
        age,
      )} ago, but the latest one ended ${endedAs(latest)}.`,
    };
  }
  // The test is fresh now, but a plan that runs less often lets it go stale.
  if (schedule.gapHours !== undefined && schedule.gapHours > maxAgeDays * 24) {
    return {
      status: 'warn',
      facts,
      explanation: `Test-restored ${humanAge(age)} ago${
        requireValidation ? ' with a successful validation' : ''
      }, but the most frequent restore-testing plan, ${
        schedule.most
      }, runs only every ${humanHours(
        schedule.gapHours,
      )}: the test will be older than the ${maxAgeDays} d the policy allows before the next one.`,
    };
  }
  return {
    status: 'pass',
    facts,
    explanation: `Test-restored ${humanAge(age)} ago${
      requireValidation ? ' with a successful validation' : ''
    }.`,
  };
};

export const restoreTimeCheck: ResourceCheck = (resource, policy, { now }) => {
  if (!policy.restoreTesting.required) {
    return notApplicable(
      `Policy ${policy.name} requires no restore testing, so no restore time is measured.`,
    );
  }
  const latest = resource.restoreTests.find(
    t => t.Status === 'COMPLETED' && t.CreationDate && t.CompletionDate,
  );
  const rto = fact(
    'RTO',
    `${policy.rtoMinutes} min`,
    `policy ${policy.name}: rtoMinutes`,
  );
  if (!latest) {
    return {
      status: 'fail',
      facts: [rto],
      explanation:
        'No completed test restore is on record (what AWS lists, and what earlier cycles kept) to measure the restore time with.',
    };
  }
  const minutes = Math.round(
    (latest.CompletionDate!.getTime() - latest.CreationDate!.getTime()) /
      60_000,
  );
  const storage = testedStorageClass(latest, resource);
  const cold = resource.points.filter(p => isCold(p, now)).length;
  const facts = [
    fact(
      'Latest completed test restore',
      latest.CreationDate,
      `${SOURCE}, CreationDate`,
      resource.arn,
    ),
    fact(
      'Duration',
      `${minutes} min`,
      'ListRestoreJobs: CompletionDate − CreationDate',
      resource.arn,
    ),
    fact(
      'Storage class of the tested point',
      storage ?? 'not known (the point is no longer listed)',
      'ListRestoreJobs: RecoveryPointArn; ListRecoveryPointsByBackupVault: CalculatedLifecycle.MoveToColdStorageAt',
      resource.arn,
    ),
    fact(
      'Points in cold storage now',
      cold,
      'ListRecoveryPointsByBackupVault: CalculatedLifecycle.MoveToColdStorageAt',
      resource.arn,
    ),
    rto,
  ];
  const from = storage ? ` from ${storage.toLowerCase()} storage` : '';
  // A warm test says nothing of restoring a cold point, which takes hours longer.
  const untestedCold =
    cold > 0 && storage !== 'COLD'
      ? ` ${cold} of its points are in cold storage, whose restore time no test has measured.`
      : '';
  if (minutes <= policy.rtoMinutes) {
    return {
      status: 'pass',
      facts,
      explanation: `The latest test restore${from} took ${minutes} min, within the ${policy.rtoMinutes} min RTO.${untestedCold}`,
    };
  }
  return {
    status: 'fail',
    facts,
    explanation: `The latest test restore${from} took ${minutes} min, ${
      minutes - policy.rtoMinutes
    } min over the ${policy.rtoMinutes} min RTO.${untestedCold}`,
  };
};
