import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';

/** The annotation that hides an entity under the `conditional-catalog` policy. */
export const RESTRICTED_ANNOTATION = 'backup-compliance.example/restricted';

const POLICIES = ['allow-all', 'conditional-catalog'] as const;

/**
 * The example backend's permission policy, `exampleBackend.permissionPolicy`:
 *
 * - `allow-all` (the default): every request allowed, as Backstage's allow-all module.
 * - `conditional-catalog`: every request allowed, but reading an entity in the catalog is
 *   conditional: every entity without the annotation {@link RESTRICTED_ANNOTATION}. The
 *   catalog applies the condition in its SQL, and a plugin that lists entities has the
 *   catalog filter them for the caller, as under a bank's policies (owners, namespaces).
 *   The benchmark measures the plugins under both.
 */
export function examplePermissionPolicy(config: Config): PermissionPolicy {
  const name = config.getOptionalString('exampleBackend.permissionPolicy');
  if (name !== undefined && !(POLICIES as readonly string[]).includes(name)) {
    throw new Error(
      `exampleBackend.permissionPolicy must be one of ${POLICIES.join(
        ', ',
      )}, got "${name}"`,
    );
  }
  const conditional = name === 'conditional-catalog';
  return {
    async handle(request: PolicyQuery): Promise<PolicyDecision> {
      if (
        conditional &&
        request.permission.name === 'catalog.entity.read' &&
        isResourcePermission(request.permission, 'catalog-entity')
      ) {
        return createCatalogConditionalDecision(request.permission, {
          not: catalogConditions.hasAnnotation({
            annotation: RESTRICTED_ANNOTATION,
          }),
        });
      }
      return { result: AuthorizeResult.ALLOW };
    },
  };
}

export const examplePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(examplePermissionPolicy(config));
      },
    });
  },
});
