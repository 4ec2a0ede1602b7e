import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';

/**
 * `authorizeConditional` of a permission policy that makes `catalog.entity.read`
 * conditional, on the conditions `conditionsOf` gives for the caller's credentials, and
 * allows every other permission: what a bank's owner or namespace policy answers.
 */
export function conditionalCatalogRead(
  conditionsOf: (credentials: any) => PermissionCriteria<PermissionCondition>,
) {
  return async (
    requests: any[],
    options?: { credentials?: any },
  ): Promise<PolicyDecision[]> =>
    requests.map(r =>
      r.permission.name === 'catalog.entity.read'
        ? {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: conditionsOf(options?.credentials),
          }
        : { result: AuthorizeResult.ALLOW },
    );
}
