import { createApiRef } from '@backstage/core-plugin-api';

/**
 * Answer of `GET /api/backup-compliance/health`.
 *
 * @public
 */
export type BackupComplianceHealth = {
  status: 'ok';
};

/**
 * Client of the Backup Compliance backend.
 *
 * @public
 */
export interface BackupComplianceApi {
  getHealth(): Promise<BackupComplianceHealth>;
}

/**
 * @public
 */
export const backupComplianceApiRef = createApiRef<BackupComplianceApi>({
  id: 'plugin.backup-compliance.service',
});
