/**
 * Backend of Backup Compliance for Backstage (new backend system): collects
 * AWS Backup state, evaluates the compliance checks and serves them at
 * `/api/backup-compliance`.
 *
 * @packageDocumentation
 */

export { backupCompliancePlugin as default } from './plugin';
