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
 * Read the collection's state and the policy definitions: account ids, regions, run
 * records and AWS error messages (which can name role ARNs). Meant for platform teams
 * and auditors; entity pages do not need it.
 *
 * @public
 */
export const backupComplianceCollectionReadPermission = createPermission({
  name: 'backup-compliance.collection.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the plugin, for the permissions registry.
 *
 * @public
 */
export const backupCompliancePermissions = [
  backupComplianceScorecardReadPermission,
  backupComplianceCollectionRefreshPermission,
  backupComplianceCollectionReadPermission,
];
