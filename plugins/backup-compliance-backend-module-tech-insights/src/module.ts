import { createBackendModule } from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { backupComplianceFactRetriever } from './backupComplianceFactRetriever';

/**
 * Adds the backup compliance fact retriever to Tech Insights. Tech Insights runs it as
 * `techInsights.factRetrievers.backupComplianceFactRetriever` configures it (cadence,
 * lifecycle); without that configuration it does not run.
 *
 * @public
 */
export const backupComplianceTechInsightsModule = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'backup-compliance',
  register(env) {
    env.registerInit({
      deps: { factRetrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ factRetrievers }) {
        factRetrievers.addFactRetrievers({ backupComplianceFactRetriever });
      },
    });
  },
});
