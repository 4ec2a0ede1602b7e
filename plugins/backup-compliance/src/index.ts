/**
 * Backup Compliance for Backstage: the Backup tab and the org-wide scorecard.
 * This entry point serves the legacy frontend system; see `./alpha` for the
 * New Frontend System.
 *
 * @packageDocumentation
 */

export {
  backupCompliancePlugin,
  EntityBackupComplianceContent,
  BackupComplianceScorecardPage,
  EntityBackupComplianceCard,
} from './plugin';
export { isBackupComplianceAvailable } from '@backup-compliance/backstage-plugin-common';
export * from './api';
