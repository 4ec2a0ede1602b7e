import { createBackendModule } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { backupComplianceNotifiersExtensionPoint } from '@backup-compliance/backstage-plugin-node';
import { notificationOf } from './notificationOf';

/**
 * Sends each change in backup compliance to the entity's owners as a Backstage
 * notification. Needs the notifications backend (`@backstage/plugin-notifications-backend`);
 * without this module, the plugin keeps no changes and sends nothing.
 *
 * @public
 */
export const backupComplianceModuleNotifications = createBackendModule({
  pluginId: 'backup-compliance',
  moduleId: 'notifications',
  register(env) {
    env.registerInit({
      deps: {
        notifiers: backupComplianceNotifiersExtensionPoint,
        notifications: notificationService,
      },
      async init({ notifiers, notifications }) {
        notifiers.addNotifier({
          notify: change => notifications.send(notificationOf(change)),
        });
      },
    });
  },
});
