import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { CheckDefinition } from '@backup-compliance/backstage-plugin-common';
import type { ResourceCheck } from './types';

/**
 * A check added by a backend module: its catalogue entry and the function
 * that judges one resource against its policy. It runs after the built-in
 * checks, on the same evidence, and counts in the level and the score.
 *
 * @public
 */
export type CustomCheck = {
  definition: CheckDefinition;
  evaluate: ResourceCheck;
};

/**
 * Lets backend modules add compliance checks.
 *
 * @public
 */
export interface BackupComplianceChecksExtensionPoint {
  addCheck(check: CustomCheck): void;
}

/**
 * @public
 */
export const backupComplianceChecksExtensionPoint =
  createExtensionPoint<BackupComplianceChecksExtensionPoint>({
    id: 'backup-compliance.checks',
  });
