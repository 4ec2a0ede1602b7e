import { stableId } from '../scenario/ids';
import {
  AccountRegionPlan,
  Json,
  OrgPlan,
  ResourcePlan,
  RESTORE_TESTING_TAG,
  RuleSpec,
} from './orgPlan';
import { between, Random, weighted } from './random';
import {
  ago,
  createdBy,
  DAY,
  GIB,
  homeVaultArn,
  PointSlot,
} from './recoveryPoints';

// AWS lists backup and copy jobs of the last 30 days only.
const JOB_HISTORY = 30 * DAY;

export const RESTORE_TESTING_PLAN = 'weekly_restore_tests';

function failedBackupJob(
  resource: ResourcePlan,
  rule: RuleSpec,
  ageMinutes: number,
  random: Random,
): Json {
  const [State, StatusMessage] = weighted<[string, string]>(random, [
    [['FAILED', 'Insufficient privileges to perform this action.'], 0.5],
    [
      ['FAILED', 'The resource is in a state that does not allow a backup.'],
      0.2,
    ],
    [['EXPIRED', 'Backup job did not start within the start window.'], 0.2],
    [['ABORTED', 'Backup job was aborted: completion window exceeded.'], 0.1],
  ]);
  return {
    ResourceArn: resource.arn,
    BackupVaultName: rule.vaultName,
    State,
    StatusMessage,
    CreationDate: ago(ageMinutes),
    CompletionDate: ago(ageMinutes - between(random, 1, 60)),
    CreatedBy: createdBy(rule),
  };
}

/**
 * Jobs of the newest daily points, plus failures: every missed day of a stale
 * resource, and now and then a failure that a later success repaired.
 */
export function backupJobs(
  resource: ResourcePlan,
  own: PointSlot[],
  random: Random,
): Json[] {
  const dailies = own.filter(s => s.rule.name === 'daily' && !s.status);
  const jobs: Json[] = [];
  for (const slot of dailies.slice(0, 2)) {
    if (slot.ageMinutes > JOB_HISTORY) break;
    jobs.push({
      ResourceArn: resource.arn,
      BackupVaultName: slot.rule.vaultName,
      State: 'COMPLETED',
      BackupSizeInBytes: slot.sizeBytes,
      CreationDate: ago(slot.ageMinutes),
      CompletionDate: ago(slot.ageMinutes - between(random, 5, 90)),
      CreatedBy: createdBy(slot.rule),
    });
  }
  const newest = dailies[0];
  if (!newest) return jobs;
  const missedDays = Math.min(10, Math.floor(newest.ageMinutes / DAY));
  for (let day = 1; day <= missedDays; day++) {
    const age = newest.ageMinutes - day * DAY + between(random, 0, 30);
    jobs.push(failedBackupJob(resource, newest.rule, age, random));
  }
  if (missedDays === 0 && random() < 0.05) {
    jobs.push(
      failedBackupJob(resource, newest.rule, newest.ageMinutes + 600, random),
    );
  }
  return jobs;
}

export function copyJobs(
  org: OrgPlan,
  resource: ResourcePlan,
  copies: PointSlot[],
  random: Random,
): Json[] {
  const jobs: Json[] = [];
  for (const slot of copies) {
    if (slot.ageMinutes > JOB_HISTORY) continue;
    jobs.push({
      ResourceArn: resource.arn,
      SourceBackupVaultArn: homeVaultArn(org, resource, slot.rule.vaultName),
      DestinationBackupVaultArn: slot.copy!.vaultArn,
      State: 'COMPLETED',
      BackupSizeInBytes: slot.sizeBytes,
      CreationDate: ago(slot.ageMinutes + between(random, 10, 60)),
      CompletionDate: ago(slot.ageMinutes),
      CreatedBy: createdBy(slot.rule),
    });
  }
  const newest = copies[0];
  if (newest && newest.ageMinutes + DAY <= JOB_HISTORY && random() < 0.03) {
    jobs.push({
      ResourceArn: resource.arn,
      SourceBackupVaultArn: homeVaultArn(org, resource, newest.rule.vaultName),
      DestinationBackupVaultArn: newest.copy!.vaultArn,
      State: 'FAILED',
      StatusMessage: 'Access denied to the destination vault key.',
      CreationDate: ago(newest.ageMinutes + DAY),
      CompletionDate: ago(newest.ageMinutes + DAY - 5),
      CreatedBy: createdBy(newest.rule),
    });
  }
  return jobs;
}

export function restoreTestingPlanArn(
  org: OrgPlan,
  ar: AccountRegionPlan,
): string {
  const id = stableId('synthetic', org.options.seed, ar.accountId, ar.region);
  const name = `${RESTORE_TESTING_PLAN}-${id.slice(0, 6)}`;
  return `arn:aws:backup:${ar.region}:${ar.accountId}:restore-testing-plan:${name}`;
}

/** Test restores of the last 60 days: mostly validated, some failed or timed out, some slow. */
export function restoreTestJobs(
  org: OrgPlan,
  ar: AccountRegionPlan,
  resource: ResourcePlan,
  random: Random,
): Json[] {
  if (!ar.setup.restoreTesting || !resource.tags?.[RESTORE_TESTING_TAG]) {
    return [];
  }
  const count = weighted(random, [
    [0, 0.1],
    [1, 0.7],
    [2, 0.2],
  ]);
  const jobs: Json[] = [];
  for (let n = 0; n < count; n++) {
    const age = between(random, 60, 60 * DAY);
    const duration = weighted(random, [
      [between(random, 10, 120), 0.8],
      [between(random, 121, 600), 0.2],
    ]);
    const status = weighted(random, [
      ['COMPLETED', 0.92],
      ['FAILED', 0.05],
      ['ABORTED', 0.03],
    ]);
    const job: Json = {
      SourceResourceArn: resource.arn,
      CreatedResourceArn: `${resource.arn}-restore-test-${n + 1}`,
      Status: status,
      BackupSizeInBytes: between(random, 1, 500) * GIB,
      CreationDate: ago(age),
      CompletionDate: ago(age - duration),
      RecoveryPointCreationDate: ago(age + between(random, 60, 7 * DAY)),
      CreatedBy: { RestoreTestingPlanArn: restoreTestingPlanArn(org, ar) },
    };
    if (status === 'COMPLETED') {
      const validation = weighted<string | undefined>(random, [
        ['SUCCESSFUL', 0.85],
        ['FAILED', 0.07],
        ['TIMED_OUT', 0.05],
        [undefined, 0.03],
      ]);
      if (validation) job.ValidationStatus = validation;
      if (validation === 'FAILED') {
        job.ValidationStatusMessage = 'Validation script exited with code 1.';
      }
      job.DeletionStatus = 'SUCCESSFUL';
    } else {
      job.StatusMessage =
        status === 'FAILED'
          ? 'Restore failed: the subnet group does not exist.'
          : 'Restore was cancelled.';
    }
    jobs.push(job);
  }
  return jobs;
}
