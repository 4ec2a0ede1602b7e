import { ResourceCheck } from '../types';
import { DAY_MS, fact, humanAge, notApplicable } from './util';

const SOURCE = 'ListRestoreJobs: CreatedBy.RestoreTestingPlanArn';

export const restoreTestedCheck: ResourceCheck = (
  resource,
  policy,
  { now, restoreHistoryDays },
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
          ? `No restore-testing plan selects this resource and it was not test-restored in the last ${restoreHistoryDays} d.`
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
          }; the latest one ended ${latest.Status}${
            latest.ValidationStatus
              ? ` with validation ${latest.ValidationStatus}`
              : ''
          }${
            latest.ValidationStatusMessage
              ? ` ("${latest.ValidationStatusMessage}")`
              : ''
          }.`
        : `Selected by ${plans.join(
            ', ',
          )}, but no test restore ran in the last ${restoreHistoryDays} d.`,
    };
  }
  const age = now.getTime() - (lastGood.CreationDate?.getTime() ?? 0);
  if (age > maxAgeDays * DAY_MS) {
    return {
      status: 'fail',
      facts,
      explanation: `The last successful test restore is ${humanAge(
        age,
      )} old, older than the ${maxAgeDays} d the policy allows.`,
    };
  }
  if (latest !== lastGood) {
    return {
      status: 'warn',
      facts,
      explanation: `A test restore succeeded ${humanAge(
        age,
      )} ago, but the latest one ended ${latest.Status}${
        latest.ValidationStatus
          ? ` with validation ${latest.ValidationStatus}`
          : ''
      }${
        latest.ValidationStatusMessage
          ? ` ("${latest.ValidationStatusMessage}")`
          : ''
      }.`,
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

export const restoreTimeCheck: ResourceCheck = (
  resource,
  policy,
  { restoreHistoryDays },
) => {
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
      explanation: `No test restore completed in the last ${restoreHistoryDays} d to measure the restore time with.`,
    };
  }
  const minutes = Math.round(
    (latest.CompletionDate!.getTime() - latest.CreationDate!.getTime()) /
      60_000,
  );
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
    rto,
  ];
  if (minutes <= policy.rtoMinutes) {
    return {
      status: 'pass',
      facts,
      explanation: `The latest test restore took ${minutes} min, within the ${policy.rtoMinutes} min RTO.`,
    };
  }
  return {
    status: 'fail',
    facts,
    explanation: `The latest test restore took ${minutes} min, ${
      minutes - policy.rtoMinutes
    } min over the ${policy.rtoMinutes} min RTO.`,
  };
};
