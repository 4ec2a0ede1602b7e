import { createBackend } from '@backstage/backend-defaults';
import { backupComplianceModuleDedicatedVault } from './modules/dedicatedVaultCheck';
import { examplePermissionPolicyModule } from './modules/examplePermissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in for local development only; see app-config.production.yaml.
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// Allow-all, or a conditional catalog policy as banks have (exampleBackend.permissionPolicy).
backend.add(examplePermissionPolicyModule);

backend.add(import('@backup-compliance/backstage-plugin-backend'));
// An example of a check of one's own, added through the plugin's extension point.
backend.add(backupComplianceModuleDedicatedVault);

// Backstage notifications, and the module that tells owners of changes in their
// services' backup compliance (backupCompliance.notifications in app-config.yaml).
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(
  import('@backup-compliance/backstage-plugin-backend-module-notifications'),
);

// Tech Insights, fed with backup compliance facts; checks on them in app-config.yaml.
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(
  import('@backup-compliance/backstage-plugin-backend-module-tech-insights'),
);

// The actions the plugins register, offered to AI agents over MCP at /api/mcp-actions/v1.
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.start();
