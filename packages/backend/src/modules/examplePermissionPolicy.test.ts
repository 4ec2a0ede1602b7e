import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  examplePermissionPolicy,
  RESTRICTED_ANNOTATION,
} from './examplePermissionPolicy';

const entityRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const scorecardRead = createPermission({
  name: 'backup-compliance.scorecard.read',
  attributes: { action: 'read' },
});

const policyOf = (permissionPolicy?: string) =>
  examplePermissionPolicy(
    new ConfigReader(
      permissionPolicy ? { exampleBackend: { permissionPolicy } } : {},
    ),
  );

describe('the example permission policy', () => {
  it('allows everything by default', async () => {
    for (const permission of [entityRead, scorecardRead]) {
      expect(await policyOf().handle({ permission })).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('makes reading an entity conditional on its not being restricted, and allows the rest', async () => {
    const policy = policyOf('conditional-catalog');
    expect(await policy.handle({ permission: entityRead })).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'HAS_ANNOTATION',
          resourceType: 'catalog-entity',
          params: { annotation: RESTRICTED_ANNOTATION },
        },
      },
    });
    expect(await policy.handle({ permission: scorecardRead })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('refuses a policy it does not know, at start-up', () => {
    expect(() => policyOf('conditional')).toThrow(
      'exampleBackend.permissionPolicy must be one of allow-all, conditional-catalog, got "conditional"',
    );
  });
});
