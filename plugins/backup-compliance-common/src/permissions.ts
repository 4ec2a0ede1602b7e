import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the org-wide scorecard and its export.
 *
 * @public
 */
export const backupComplianceScorecardReadPermission = createPermission({
  name: 'backup-compliance.scorecard.read',
  attributes: { action: 'read' },
});

/**
 * Trigger a collection cycle on demand.
 *
 * @public
 */
export const backupComplianceCollectionRefreshPermission = createPermission({
  name: 'backup-compliance.collection.refresh',
  attributes: {},
});

/**
 * Every permission of the plugin, for the permissions registry.
 *
 * @public
 */
export const backupCompliancePermissions = [
  backupComplianceScorecardReadPermission,
  backupComplianceCollectionRefreshPermission,
];
