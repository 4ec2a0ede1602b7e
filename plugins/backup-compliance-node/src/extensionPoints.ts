import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  CheckDefinition,
  ComplianceLevel,
  Waiver,
} from '@backup-compliance/backstage-plugin-common';
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

/**
 * A change in an entity's backup compliance that its owners should hear of: its level
 * got worse or recovered, or a waiver on one of its checks expires soon. Each change is
 * handed to the notifiers once, whichever replica evaluates and however many cycles see
 * the same level.
 *
 * @public
 */
export type BackupComplianceChange = {
  /** A stable id of the change: the same change always has the same id. */
  id: string;
  entityRef: string;
  /** The entity's Backup tab, as a path in the portal. */
  link: string;
  /** When the evaluation that saw the change ran. */
  evaluatedAt: string;
  /** The checks that fail (or, for a waiver, the waived check), with why. */
  checks: Array<{ checkId: string; title: string; explanation: string }>;
} & (
  | {
      kind: 'worse' | 'recovered';
      from: ComplianceLevel;
      to: ComplianceLevel;
    }
  | {
      kind: 'waiver-expiring';
      waiver: Waiver;
      /** Days until the waiver's expiry day (0: it expires today). */
      daysLeft: number;
    }
);

/**
 * Hears of changes in backup compliance (see `BackupComplianceChange`). A notifier that
 * throws gets the change again after the next evaluation, up to five times.
 *
 * @public
 */
export interface BackupComplianceNotifier {
  notify(change: BackupComplianceChange): Promise<void>;
}

/**
 * Lets backend modules hear of changes in backup compliance: the notifications module
 * tells the owners through Backstage's notifications.
 *
 * @public
 */
export interface BackupComplianceNotifiersExtensionPoint {
  addNotifier(notifier: BackupComplianceNotifier): void;
}

/**
 * @public
 */
export const backupComplianceNotifiersExtensionPoint =
  createExtensionPoint<BackupComplianceNotifiersExtensionPoint>({
    id: 'backup-compliance.notifiers',
  });
