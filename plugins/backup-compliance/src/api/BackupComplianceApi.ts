import { createApiRef } from '@backstage/core-plugin-api';
import {
  CollectionStatus,
  EntityResources,
} from '@backup-compliance/backstage-plugin-common';

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
  getCollectionStatus(options?: { limit?: number }): Promise<CollectionStatus>;
  getEntityResources(entity: {
    namespace: string;
    kind: string;
    name: string;
  }): Promise<EntityResources>;
}

/**
 * @public
 */
export const backupComplianceApiRef = createApiRef<BackupComplianceApi>({
  id: 'plugin.backup-compliance.service',
});
