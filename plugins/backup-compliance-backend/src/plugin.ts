import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

/**
 * The Backup Compliance backend plugin.
 *
 * @public
 */
export const backupCompliancePlugin = createBackendPlugin({
  pluginId: 'backup-compliance',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ httpRouter, logger }) {
        httpRouter.use(await createRouter({ logger }));
        // Health is probed by load balancers and the frontend before sign-in matters.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
