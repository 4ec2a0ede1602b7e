import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { BackupComplianceClient, backupComplianceApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The Backup Compliance frontend plugin, for apps on the legacy frontend
 * system. New Frontend System apps use the default export of `/alpha`.
 *
 * @public
 */
export const backupCompliancePlugin = createPlugin({
  id: 'backup-compliance',
  apis: [
    createApiFactory({
      api: backupComplianceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new BackupComplianceClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The Backup tab for an entity page; show it where
 * `isBackupComplianceAvailable` holds.
 *
 * @public
 */
export const EntityBackupComplianceContent = backupCompliancePlugin.provide(
  createRoutableExtension({
    name: 'EntityBackupComplianceContent',
    component: () =>
      import('./components/EntityBackupContent').then(
        m => m.EntityBackupContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The org-wide Backup compliance page: the scorecard, and the policies (each
 * compliance policy with the AWS Organizations backup policies implementing
 * it) at `policies` below it. Mount it with a route that matches below its
 * path, as `FlatRoutes` does.
 *
 * @public
 */
export const BackupComplianceScorecardPage = backupCompliancePlugin.provide(
  createRoutableExtension({
    name: 'BackupComplianceScorecardPage',
    component: () =>
      import('./components/ScorecardPage').then(m => m.ScorecardPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The overview card for an entity page: level, score, failing checks, newest
 * backup and last restore test, linking to the Backup tab.
 *
 * @public
 */
export const EntityBackupComplianceCard = backupCompliancePlugin.provide(
  createComponentExtension({
    name: 'EntityBackupComplianceCard',
    component: {
      lazy: () =>
        import('./components/EntityBackupComplianceCard').then(
          m => m.EntityBackupComplianceCard,
        ),
    },
  }),
);
