import {
  BUILT_IN_CHECKS,
  CheckDefinition,
  CheckId,
} from '@backup-compliance/backstage-plugin-common';
import { encryptedCheck, vaultLockCheck } from './checks/immutability';
import {
  backupJobsHealthyCheck,
  protectedCheck,
  recoveryPointFreshCheck,
} from './checks/protection';
import { organizationPolicyCheck } from './checks/organization';
import { restoreTestedCheck, restoreTimeCheck } from './checks/restoreTesting';
import {
  legalHoldCheck,
  retentionAlignmentCheck,
  retentionDailyCheck,
  retentionMonthlyCheck,
  retentionYearlyCheck,
} from './checks/retention';
import {
  crossAccountCopyCheck,
  crossRegionCopyCheck,
} from './checks/segregation';
import { ResourceCheck } from './types';

/** A check the engine runs on every resource of an entity. */
export type RegisteredCheck = {
  definition: CheckDefinition;
  evaluate: ResourceCheck;
};

const IMPLEMENTATIONS: Record<
  Exclude<CheckId, 'resources-found'>,
  ResourceCheck
> = {
  protected: protectedCheck,
  'recovery-point-fresh': recoveryPointFreshCheck,
  'backup-jobs-healthy': backupJobsHealthyCheck,
  'retention-daily': retentionDailyCheck,
  'retention-monthly': retentionMonthlyCheck,
  'retention-yearly': retentionYearlyCheck,
  'retention-alignment': retentionAlignmentCheck,
  encrypted: encryptedCheck,
  'vault-lock': vaultLockCheck,
  'cross-region-copy': crossRegionCopyCheck,
  'cross-account-copy': crossAccountCopyCheck,
  'restore-tested': restoreTestedCheck,
  'restore-time': restoreTimeCheck,
  'legal-hold': legalHoldCheck,
  'organization-policy': organizationPolicyCheck,
};

/** `resources-found` is judged on the entity, not per resource. */
export const RESOURCES_FOUND = BUILT_IN_CHECKS.find(
  c => c.id === 'resources-found',
)!;

export const BUILT_IN_RESOURCE_CHECKS: RegisteredCheck[] =
  BUILT_IN_CHECKS.filter(c => c.id !== 'resources-found').map(definition => ({
    definition,
    evaluate: IMPLEMENTATIONS[definition.id as keyof typeof IMPLEMENTATIONS],
  }));
