import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import { resolve } from 'node:path';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { conditionalCatalogRead } from './__testUtils__/conditionalCatalogRead';
import { backupCompliancePlugin } from './plugin';

jest.setTimeout(60_000);

const ledger = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-ledger',
    annotations: {
      'aws.amazon.com/backup-resource-tags': 'app=payments-ledger,env=prod',
    },
  },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

const cards = {
  ...ledger,
  metadata: {
    name: 'card-transactions',
    annotations: {
      'aws.amazon.com/backup-resource-tags': 'app=card-transactions,env=prod',
    },
  },
};

/** Opted in, with tags that no AWS resource carries: resources-found fails. */
const retired = {
  ...ledger,
  metadata: {
    name: 'retired-ledger',
    annotations: {
      'aws.amazon.com/backup-resource-tags': 'app=retired-ledger,env=prod',
    },
  },
};

/** In the catalog, without the annotation: it has no verdict. */
const unannotated = {
  ...ledger,
  metadata: { name: 'plain-service' },
};

/**
 * A catalog in which users may not read `hidden` (as a permission policy denying
 * catalog.entity.read would make it), while the plugin's own service credentials may.
 */
function catalogHiding(entities: object[], hidden: string) {
  const base = catalogServiceMock({ entities: entities as any });
  const forUsers = (credentials: any) =>
    credentials?.principal?.type === 'user';
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    // the mock is a class instance (private fields): override two methods through a
    // proxy, the others keep their own `this`
    factory: () => {
      const overrides: Record<string, unknown> = {
        getEntityByRef: async (ref: any, options: any) =>
          forUsers(options?.credentials) && ref === hidden
            ? undefined
            : base.getEntityByRef(ref, options),
        getEntitiesByRefs: async (req: any, options: any) => {
          const answer = await base.getEntitiesByRefs(req, options);
          return {
            items: answer.items.map((e, i) =>
              forUsers(options?.credentials) && req.entityRefs[i] === hidden
                ? undefined
                : e,
            ),
          };
        },
      };
      return new Proxy(base, {
        get(target, prop) {
          if (typeof prop === 'string' && prop in overrides) {
            return overrides[prop];
          }
          const value = (target as any)[prop];
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  });
}

/**
 * A permission policy that allows the plugin's permissions and makes catalog.entity.read
 * conditional (as an ownership rule would): the catalog decides which entities a user reads.
 */
const catalogReadConditional = createServiceFactory({
  service: coreServices.permissions,
  deps: { catalog: catalogServiceRef },
  factory: ({ catalog }) => ({
    // for one entity, the permission backend has the catalog apply the conditions: the
    // entity is readable when the catalog answers it to the caller
    authorize: async (requests: any[], options: any) =>
      Promise.all(
        requests.map(async r =>
          r.permission.name !== 'catalog.entity.read' ||
          (await catalog.getEntityByRef(r.resourceRef, options))
            ? { result: AuthorizeResult.ALLOW }
            : { result: AuthorizeResult.DENY },
        ),
      ),
    authorizeConditional: conditionalCatalogRead(() => ({
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: ['group:default/payments'] },
    })),
  }),
});

/** The permissions service a test backend runs with: a mock's answer, or a factory. */
function permissionsOf(
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY
    | 'catalog-read-conditional'
    | ServiceFactory,
) {
  if (typeof permission === 'object') return permission;
  if (permission === 'catalog-read-conditional') return catalogReadConditional;
  return mockServices.permissions.factory({ result: permission });
}

async function backend(
  backupCompliance: object | undefined,
  endpoint?: string,
  permission: Parameters<typeof permissionsOf>[0] = AuthorizeResult.ALLOW,
  catalog: any = catalogServiceMock.factory({ entities: [ledger] }),
) {
  const { server } = await startTestBackend({
    features: [
      backupCompliancePlugin,
      // its own scheduler: the default one is shared by every test backend
      mockServices.scheduler.factory(),
      permissionsOf(permission),
      catalog,
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: '111111111111',
                accessKeyId: 'AKID111111111111',
                secretAccessKey: 'x',
              },
            ],
          },
          ...(backupCompliance
            ? {
                backupCompliance: {
                  ...backupCompliance,
                  endpoint,
                  schedule: { initialDelay: { hours: 1 } },
                },
              }
            : {}),
        },
      }),
    ],
  });
  return server;
}

describe('backupCompliancePlugin', () => {
  it('serves /health without credentials', async () => {
    const server = await backend(undefined);
    const response = await request(server).get('/api/backup-compliance/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('stops start-up on an invalid config, naming the key', async () => {
    await expect(
      backend({ regions: ['eu-centrl-1'], polcies: {} }),
    ).rejects.toThrow(/backupCompliance\.(polcies|regions)/);
  });

  it('says plainly when collection is not configured', async () => {
    const server = await backend(undefined);
    const status = await request(server).get(
      '/api/backup-compliance/v1/collection',
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      enabled: false,
      message: expect.stringContaining('backupCompliance.regions'),
      runs: [],
    });
    const refresh = await request(server).post(
      '/api/backup-compliance/v1/collection/refresh',
    );
    expect(refresh.status).toBe(503);
    expect(refresh.body.error.message).toContain('Collection is off');
  });

  it('rejects bad parameters with a 400 naming them', async () => {
    const server = await backend(
      { regions: ['eu-central-1'] },
      'http://127.0.0.1:9',
    );
    const limit = await request(server).get(
      '/api/backup-compliance/v1/collection?limit=0',
    );
    expect(limit.status).toBe(400);
    expect(limit.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('limit'),
    });
    const ref = await request(server)
      .post('/api/backup-compliance/v1/collection/refresh')
      .send({ entityRef: 42 });
    expect(ref.status).toBe(400);
    expect(ref.body.error.message).toContain('entityRef');
    // A refresh names an entity that exists, may be read and opted in.
    for (const [entityRef, status, says] of [
      ['component:default/a/b', 400, 'entityRef'],
      ['component:default/💾', 400, 'name'],
      ['component:default/no-such-service', 404, 'opted in'],
      ['group:default/payments', 404, 'opted in'],
    ] as const) {
      const bad = await request(server)
        .post('/api/backup-compliance/v1/collection/refresh')
        .send({ entityRef });
      expect({ entityRef, status: bad.status }).toEqual({ entityRef, status });
      expect(bad.body.error.message).toContain(says);
    }
    const known = await request(server)
      .post('/api/backup-compliance/v1/collection/refresh')
      .send({ entityRef: 'component:default/payments-ledger' });
    expect(known.status).toBe(202);
  });

  it('serves the check catalogue and the policies', async () => {
    const server = await backend({
      regions: ['eu-central-1'],
      policies: { gold: { rpoHours: 4, retention: { yearlyYears: 10 } } },
    });
    const checks = await request(server).get(
      '/api/backup-compliance/v1/checks',
    );
    expect(checks.body.items.map((c: any) => c.id)).toEqual(
      expect.arrayContaining([
        'resources-found',
        'retention-yearly',
        'restore-tested',
        'legal-hold',
      ]),
    );
    expect(
      checks.body.items.find((c: any) => c.id === 'vault-lock'),
    ).toMatchObject({
      dora: ['12(2)', '12(3)'],
      remediation: expect.stringContaining('Vault Lock'),
    });
    const policies = await request(server).get(
      '/api/backup-compliance/v1/policies',
    );
    expect(policies.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'default' }),
        expect.objectContaining({
          name: 'gold',
          rpoHours: 4,
          legalRetentionYears: 10,
        }),
      ]),
    );
  });

  it('asks the permission backend once per scorecard request, for the scorecard permission and the catalog read together', async () => {
    const asked: string[][] = [];
    // the scorecard permission denied, the catalog read allowed
    const decide = async (requests: any[]) => {
      asked.push(requests.map(r => r.permission.name).sort());
      return requests.map(r => ({
        result:
          r.permission.name === 'backup-compliance.scorecard.read'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    };
    const server = await backend(
      { regions: ['eu-central-1'] },
      undefined,
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => ({ authorize: decide, authorizeConditional: decide }),
      }),
    );
    for (const path of [
      '/v1/scorecard',
      '/v1/scorecard?asOf=2026-01-31',
      '/v1/scorecard/history',
      '/v1/scorecard/export?format=csv',
      '/v1/register',
    ]) {
      asked.length = 0;
      const response = await request(server).get(
        `/api/backup-compliance${path}`,
      );
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('backup-compliance.scorecard.read'),
      });
      expect(asked).toEqual([
        ['backup-compliance.scorecard.read', 'catalog.entity.read'],
      ]);
    }
  });

  it('refuses the scorecard, its export, the collection state, the policies, refresh and entities without permission', async () => {
    const server = await backend(
      { regions: ['eu-central-1'] },
      undefined,
      AuthorizeResult.DENY,
    );
    for (const path of [
      '/v1/scorecard',
      '/v1/scorecard/history',
      '/v1/scorecard/export?format=csv',
      '/v1/collection',
      '/v1/policies',
    ]) {
      const response = await request(server).get(
        `/api/backup-compliance${path}`,
      );
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    }
    const refresh = await request(server).post(
      '/api/backup-compliance/v1/collection/refresh',
    );
    expect(refresh.status).toBe(403);
    // an entity the caller may not read in the catalog is not there for them
    const entity = await request(server).get(
      '/api/backup-compliance/v1/entities/default/component/payments-ledger/history',
    );
    expect(entity.status).toBe(404);
    expect(entity.body.error.message).toContain('not allowed to read it');
  });

  describe('with the emulator', () => {
    let emulator: Emulator;
    beforeEach(async () => {
      emulator = await startEmulator({
        scenario: await loadScenario(
          resolve(__dirname, '../../../examples/aws-scenario.yaml'),
        ),
      });
    });
    afterEach(() => emulator.close());

    it("records a failed read of the organization's backup policies without failing the cycle, and serves it with the policies", async () => {
      // 111111111111 is a member account: Organizations refuses it
      const server = await backend(
        {
          regions: ['eu-central-1'],
          organization: { accountId: '111111111111' },
          policies: { 'transactions-db': {} },
        },
        emulator.url,
      );
      const { done } = await refreshed(server);
      expect(done.status).toBe('succeeded');
      const policies = await request(server).get(
        '/api/backup-compliance/v1/policies',
      );
      expect(policies.status).toBe(200);
      expect(policies.body).toMatchObject({
        organization: {
          configured: true,
          accountId: '111111111111',
          error:
            "AccessDeniedException: You don't have permissions to access this resource.",
        },
        organizationPolicies: [],
      });
      expect(policies.body.organization.collectedAt).toBeUndefined();
      expect(Date.parse(policies.body.organization.attemptedAt)).not.toBeNaN();
      expect(policies.body.items).toContainEqual(
        expect.objectContaining({ name: 'default', organizationPolicies: [] }),
      );
      // the entity's informational check says the policies could not be read
      const verdict = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger',
      );
      expect(
        verdict.body.checks.find(
          (c: any) => c.checkId === 'organization-policy',
        ),
      ).toMatchObject({
        status: 'unknown',
        explanation: expect.stringContaining('could not be read'),
      });
    });

    it('counts, lists, groups and exports only the entities the caller may read in the catalog', async () => {
      const server = await backend(
        { regions: ['eu-central-1', 'eu-west-1'] },
        emulator.url,
        'catalog-read-conditional',
        catalogHiding([ledger, cards], 'component:default/card-transactions'),
      );
      const { done } = await refreshed(server);
      expect(done.status).toBe('succeeded');
      // both were evaluated (the collector reads the catalog as the plugin) ...
      await waitFor(async () => {
        const history = await request(server).get(
          '/api/backup-compliance/v1/scorecard/history',
        );
        return history.body.items.length > 0;
      });
      // ... but a user who may not read card-transactions sees ledger only
      const scorecard = await request(server).get(
        '/api/backup-compliance/v1/scorecard?groupBy=owner',
      );
      expect(scorecard.body).toMatchObject({
        totalEntities: 1,
        total: 1,
        items: [
          expect.objectContaining({
            entityRef: 'component:default/payments-ledger',
          }),
        ],
        groups: [expect.objectContaining({ key: 'payments', entities: 1 })],
      });
      const levelCount = Object.values(
        scorecard.body.levels as Record<string, number>,
      ).reduce((a, b) => a + b, 0);
      expect(levelCount).toBe(1);
      const csv = await request(server).get(
        '/api/backup-compliance/v1/scorecard/export?format=csv',
      );
      expect(csv.text).toContain('component:default/payments-ledger');
      expect(csv.text).not.toContain('card-transactions');
      const history = await request(server).get(
        '/api/backup-compliance/v1/scorecard/history',
      );
      expect(history.body.items.map((d: any) => d.entities)).toEqual([1]);
      const hidden = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/card-transactions',
      );
      expect(hidden.status).toBe(404);
    });

    it("answers agents through Backstage's actions registry as the REST API answers the same caller", async () => {
      const server = await backend(
        { regions: ['eu-central-1', 'eu-west-1'] },
        emulator.url,
        'catalog-read-conditional',
        catalogHiding([ledger, retired], 'component:default/payments-ledger'),
      );
      const actions = '/api/backup-compliance/.backstage/actions/v1/actions';
      const invoke = (name: string, input: object) =>
        request(server)
          .post(`${actions}/backup-compliance:${name}/invoke`)
          .send(input);

      const listed = await request(server).get(actions);
      expect(listed.status).toBe(200);
      expect(listed.body.actions.map((a: any) => a.id).sort()).toEqual([
        'backup-compliance:explain-backup-check',
        'backup-compliance:get-backup-verdict',
        'backup-compliance:list-non-compliant-entities',
      ]);
      for (const action of listed.body.actions) {
        expect(action.attributes).toMatchObject({ readOnly: true });
        expect(action.schema.input.type).toBe('object');
        expect(action.schema.output.type).toBe('object');
      }

      const { done } = await refreshed(server);
      expect(done.status).toBe('succeeded');

      // the verdict, as the entity endpoint serves it to the same caller
      const rest = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/retired-ledger',
      );
      expect(rest.status).toBe(200);
      const verdict = await invoke('get-backup-verdict', {
        entityRef: 'retired-ledger',
      });
      expect(verdict.status).toBe(200);
      const expectedNotPassing = rest.body.checks.filter(
        (c: any) =>
          !c.informational &&
          !c.notApplicable &&
          ['fail', 'warn', 'unknown'].includes(c.status),
      );
      expect(expectedNotPassing.length).toBeGreaterThan(0);
      expect(verdict.body.output).toMatchObject({
        entityRef: 'component:default/retired-ledger',
        level: rest.body.level,
        score: rest.body.score,
        evaluatedAt: rest.body.evaluatedAt,
        backupTab: '/catalog/default/component/retired-ledger/backup',
      });
      expect(verdict.body.output.notPassing).toEqual(
        expectedNotPassing.map((c: any) => ({
          checkId: c.checkId,
          title: expect.any(String),
          status: c.status,
          explanation: c.explanation,
          remediation: c.remediation,
          dora: c.dora,
          resources: c.resources,
        })),
      );

      // an entity the caller may not read in the catalog is not found, as over REST
      const hidden = await invoke('get-backup-verdict', {
        entityRef: 'component:default/payments-ledger',
      });
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toContain('not allowed to read it');
      const bad = await invoke('get-backup-verdict', { entityRef: 'a:b:c/d' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('is not an entity reference');

      // the owner's list holds only what the caller may read: both are the payments
      // group's, written `payments` in spec.owner
      const everyLevel = [
        'non-compliant',
        'misconfigured',
        'unknown',
        'at-risk',
        'compliant',
      ];
      const owned = await invoke('list-non-compliant-entities', {
        owner: 'group:default/payments',
        levels: everyLevel,
      });
      expect(owned.status).toBe(200);
      expect(owned.body.output).toMatchObject({
        owner: 'group:default/payments',
        total: 1,
        items: [
          {
            entityRef: 'component:default/retired-ledger',
            level: rest.body.level,
            score: rest.body.score,
          },
        ],
      });
      const scorecard = await request(server).get(
        `/api/backup-compliance/v1/scorecard?owner=payments&level=${rest.body.level}`,
      );
      expect(
        (
          await invoke('list-non-compliant-entities', {
            owner: 'payments',
            levels: [rest.body.level],
          })
        ).body.output.items.map((i: any) => [i.entityRef, i.failingChecks]),
      ).toEqual(
        scorecard.body.items.map((i: any) => [i.entityRef, i.failingChecks]),
      );
      const otherLevels = await invoke('list-non-compliant-entities', {
        owner: 'payments',
        levels: everyLevel.filter(l => l !== rest.body.level),
      });
      expect(otherLevels.body.output).toMatchObject({ total: 0, items: [] });

      // a check explained, and an unknown one named with the known ones
      const explained = await invoke('explain-backup-check', {
        checkId: 'vault-lock',
      });
      expect(explained.status).toBe(200);
      expect(explained.body.output.checks).toEqual([
        expect.objectContaining({
          id: 'vault-lock',
          dora: expect.arrayContaining([expect.stringMatching(/^12/)]),
        }),
      ]);
      const unknown = await invoke('explain-backup-check', {
        checkId: 'vault-lok',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('vault-lock');
    });

    it('verifies the tamper-evident history for platform teams and auditors, and files its chain in the evidence pack', async () => {
      const server = await backend({ regions: ['eu-central-1'] }, emulator.url);
      const { done } = await refreshed(server);
      expect(done.status).toBe('succeeded');
      const verify = await request(server).get(
        '/api/backup-compliance/v1/history/verify',
      );
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({
        verified: true,
        rows: 1,
        entities: 1,
        unchainedRows: 0,
        heads: {
          days: 1,
          latest: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        },
      });
      const evidence = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger/evidence',
      );
      expect(evidence.body.historyChain).toEqual({
        entity: {
          day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
        head: verify.body.heads.latest,
      });

      const denied = await backend(
        { regions: ['eu-central-1'] },
        emulator.url,
        AuthorizeResult.DENY,
      );
      const refused = await request(denied).get(
        '/api/backup-compliance/v1/history/verify',
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(
        'backup-compliance.collection.read',
      );
    });

    it('tells an entity that did not opt in from one that is not in the catalog', async () => {
      const server = await backend(
        { regions: ['eu-central-1'] },
        emulator.url,
        AuthorizeResult.ALLOW,
        catalogServiceMock.factory({ entities: [ledger, unannotated] }),
      );
      const { done } = await refreshed(server);
      expect(done.status).toBe('succeeded');
      const today = new Date().toISOString().slice(0, 10);
      for (const [name, status, says] of [
        ['payments-ledger', 200, 'payments-ledger'],
        ['plain-service', 404, 'plain-service has no verdict'],
        ['no-such-service', 404, 'No entity component:default/no-such-service'],
      ] as const) {
        for (const asOf of ['', `?asOf=${today}`]) {
          const answer = await request(server).get(
            `/api/backup-compliance/v1/entities/default/component/${name}${asOf}`,
          );
          expect({ name, asOf, status: answer.status }).toEqual({
            name,
            asOf,
            status,
          });
          // the verdict names its entity; a 404 says why there is none
          expect(answer.body.entityRef ?? answer.body.error.message).toContain(
            says,
          );
        }
      }
    });

    it('answers as of a day from the stored history, and files a register of what the caller may read', async () => {
      const server = await backend(
        {
          regions: ['eu-central-1', 'eu-west-1'],
          policies: { 'transactions-db': {} },
        },
        emulator.url,
        'catalog-read-conditional',
        catalogHiding([ledger, cards], 'component:default/card-transactions'),
      );
      const { done } = await refreshed(server);
      expect(done.status).toBe('succeeded');
      const hiddenVerdict = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/card-transactions',
      );
      expect(hiddenVerdict.status).toBe(404);
      expect(hiddenVerdict.body.error.message).toContain(
        'not allowed to read it',
      );
      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000)
        .toISOString()
        .slice(0, 10);
      const entity =
        '/api/backup-compliance/v1/entities/default/component/payments-ledger';
      const now = await request(server).get(entity);
      const asOfToday = await request(server).get(`${entity}?asOf=${today}`);
      expect(asOfToday.status).toBe(200);
      expect(asOfToday.body).toEqual(now.body);
      // the stored gzip as is to a caller that takes it, plain JSON to one that does not
      expect(now.body.entityRef).toBe('component:default/payments-ledger');
      expect(now.headers['content-encoding']).toBe('gzip');
      expect(asOfToday.headers['content-encoding']).toBe('gzip');
      const plain = await request(server)
        .get(entity)
        .set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-type']).toMatch(/^application\/json/);
      expect(plain.headers.vary).toContain('Accept-Encoding');
      expect(plain.body).toEqual(now.body);
      const before = await request(server).get(`${entity}?asOf=${yesterday}`);
      expect(before.status).toBe(404);
      expect(before.body.error.message).toContain(
        `no verdict on or before ${yesterday}`,
      );
      const evidenceThen = await request(server).get(
        `${entity}/evidence?asOf=${today}`,
      );
      expect(evidenceThen.body).toMatchObject({
        asOf: today,
        level: now.body.level,
        evaluatedAt: now.body.evaluatedAt,
      });
      expect(
        (await request(server).get(`${entity}/evidence?asOf=${yesterday}`))
          .status,
      ).toBe(404);
      for (const bad of ['2026-02-30', '30-06-2026', '2999-01-01']) {
        const refused = await request(server).get(`${entity}?asOf=${bad}`);
        expect(refused.status).toBe(400);
        expect(refused.body.error.message).toContain('asOf must be a day');
      }

      // the scorecard as of today is today's; before the first evaluation, empty
      const scorecardNow = await request(server).get(
        '/api/backup-compliance/v1/scorecard',
      );
      const scorecardToday = await request(server).get(
        `/api/backup-compliance/v1/scorecard?asOf=${today}`,
      );
      expect(scorecardToday.status).toBe(200);
      expect(scorecardToday.body).toEqual(scorecardNow.body);
      expect(scorecardToday.body.totalEntities).toBe(1); // the hidden one left out
      const scorecardBefore = await request(server).get(
        `/api/backup-compliance/v1/scorecard?asOf=${yesterday}`,
      );
      expect(scorecardBefore.body).toMatchObject({
        totalEntities: 0,
        items: [],
      });

      const register = await request(server).get(
        '/api/backup-compliance/v1/register',
      );
      expect(register.status).toBe(200);
      expect(register.body).toMatchObject({
        asOf: today,
        day: today,
        historyHead: {
          day: today,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
      // the hidden entity is not in the caller's register
      expect(register.body.services.map((s: any) => s.entityRef)).toEqual([
        'component:default/payments-ledger',
      ]);
      expect(register.body.services[0]).toMatchObject({
        level: now.body.level,
        score: now.body.score,
        articles: expect.arrayContaining([
          expect.objectContaining({
            article: '12(1)(a)',
            checks: expect.arrayContaining([
              expect.objectContaining({ checkId: 'protected' }),
            ]),
          }),
        ]),
      });
      const empty = await request(server).get(
        `/api/backup-compliance/v1/register?asOf=${yesterday}`,
      );
      expect(empty.body).toMatchObject({ asOf: yesterday, services: [] });
      expect(empty.body.day).toBeUndefined();

      const csv = await request(server).get(
        '/api/backup-compliance/v1/register?format=csv',
      );
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text).toContain('component:default/payments-ledger');
      expect(csv.text).not.toContain('card-transactions');
      const html = await request(server).get(
        '/api/backup-compliance/v1/register?format=html',
      );
      expect(html.headers['content-type']).toContain('text/html');
      expect(html.text).toContain('<h1>Backup compliance register</h1>');
      const badFormat = await request(server).get(
        '/api/backup-compliance/v1/register?format=pdf',
      );
      expect(badFormat.status).toBe(400);
    });

    it('refuses the owner list without the scorecard permission, and finds no verdict for a caller the catalog denies', async () => {
      const server = await backend(
        { regions: ['eu-central-1'] },
        emulator.url,
        AuthorizeResult.DENY,
      );
      const invoke = (name: string, input: object) =>
        request(server)
          .post(
            `/api/backup-compliance/.backstage/actions/v1/actions/backup-compliance:${name}/invoke`,
          )
          .send(input);
      const list = await invoke('list-non-compliant-entities', {
        owner: 'payments',
      });
      expect(list.status).toBe(403);
      expect(list.body.error.message).toContain(
        'not allowed to backup-compliance.scorecard.read',
      );
      const verdict = await invoke('get-backup-verdict', {
        entityRef: 'component:default/payments-ledger',
      });
      expect(verdict.status).toBe(404);
    });

    it('limits refreshes per caller and scope with 429 and Retry-After, and a flood starts one cycle', async () => {
      const server = await backend(
        { regions: ['eu-central-1'], refresh: { entityPerCaller: 'PT30S' } },
        emulator.url,
      );
      const refresh = (body: object = {}, user?: string) => {
        const call = request(server)
          .post('/api/backup-compliance/v1/collection/refresh')
          .send(body);
        return user
          ? call.set('Authorization', mockCredentials.user.header(user))
          : call;
      };
      const first = await refresh();
      expect(first.status).toBe(202);
      // the same caller floods: every further full refresh is refused, none starts a cycle
      const flood = await Promise.all(
        Array.from({ length: 50 }, () => refresh()),
      );
      expect(new Set(flood.map(r => r.status))).toEqual(new Set([429]));
      for (const answer of flood) {
        const retryAfter = Number(answer.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(300);
      }
      expect(flood[0].body.error).toMatchObject({
        name: 'TooManyRequestsError',
        message: expect.stringContaining(
          'backupCompliance.refresh.fullPerCaller is 300 s',
        ),
      });
      // another caller, and another scope, have their own limits
      expect((await refresh({}, 'user:default/auditor')).status).toBe(202);
      const entity = { entityRef: 'component:default/payments-ledger' };
      expect((await refresh(entity)).status).toBe(202);
      const again = await refresh(entity);
      expect(again.status).toBe(429);
      expect(again.body.error.message).toContain('entityPerCaller is 30 s');

      await waitFor(async () => {
        const { body } = await request(server).get(
          '/api/backup-compliance/v1/collection',
        );
        return (
          body.pendingRequests === 0 &&
          body.cycles.every((c: any) => c.status !== 'running')
        );
      });
      const { body } = await request(server).get(
        '/api/backup-compliance/v1/collection',
      );
      // 53 requests, 3 accepted: at most one cycle each, all succeeded
      expect(body.cycles.length).toBeGreaterThanOrEqual(1);
      expect(body.cycles.length).toBeLessThanOrEqual(3);
      expect(body.cycles.map((c: any) => c.status)).toEqual(
        body.cycles.map(() => 'succeeded'),
      );
    });

    it('answers a refresh at once with the cycle id, then shows its runs', async () => {
      const server = await backend(
        {
          regions: ['eu-central-1', 'eu-west-1'],
          policies: {
            'transactions-db': {
              retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
            },
          },
        },
        emulator.url,
      );
      const { refresh, done } = await refreshed(server, {
        entityRef: 'component:default/payments-ledger',
      });
      expect(refresh).toEqual({
        requestId: expect.any(String),
        entityRef: 'component:default/payments-ledger',
        requestedAt: expect.any(String),
        status: 'queued',
        coalesced: false,
      });
      // No full cycle has run yet: the entity refresh does not take its place.
      expect(done).toMatchObject({
        status: 'succeeded',
        cycleId: expect.any(String),
      });
      const { body } = await request(server).get(
        `/api/backup-compliance/v1/collection?cycleId=${done.cycleId}`,
      );
      expect(body.cycles[0]).toMatchObject({
        id: done.cycleId,
        scope: 'full',
        status: 'succeeded',
      });
      expect(body.pendingRequests).toBe(0);
      expect(body.runs.map((r: any) => r.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
      expect(body.enabled).toBe(true);
      expect(body.runs[0]).toMatchObject({
        accountId: '111111111111',
        mode: 'full',
        apiCalls: expect.objectContaining({
          GetResources: 1,
          ListBackupVaults: 1,
        }),
        throttles: 0,
      });
      const resources = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger/resources',
      );
      expect(resources.status).toBe(200);
      expect(resources.body).toMatchObject({
        entityRef: 'component:default/payments-ledger',
        optedIn: true,
        annotations: { resourceTags: { app: 'payments-ledger', env: 'prod' } },
        resources: [
          {
            resourceArn:
              'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger',
            accountId: '111111111111',
            region: 'eu-central-1',
            resourceType: 'RDS',
            lastBackupTime: expect.any(String),
            tags: expect.objectContaining({
              'backup-policy': 'transactions-db',
            }),
            collectedAt: expect.any(String),
            stale: false,
          },
        ],
      });
      const tests = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger/restore-tests',
      );
      expect(tests.body.items).toEqual([
        expect.objectContaining({
          resourceArn:
            'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger',
          status: 'COMPLETED',
          validationStatus: 'SUCCESSFUL',
          minutes: 45,
        }),
      ]);
      const unknown = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/nope/resources',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
      // The cycle evaluated the entity: verdict, history, evidence, scorecard.
      const verdict = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger',
      );
      expect(verdict.status).toBe(200);
      expect(verdict.body).toMatchObject({
        entityRef: 'component:default/payments-ledger',
        policies: ['transactions-db'],
        level: 'compliant',
      });
      const history = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger/history?days=7',
      );
      expect(history.body.items).toEqual([
        expect.objectContaining({
          day: new Date().toISOString().slice(0, 10),
          level: verdict.body.level,
        }),
      ]);
      const badDays = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger/history?days=0',
      );
      expect(badDays.status).toBe(400);
      expect(badDays.body.error.message).toContain('days');
      const evidence = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/payments-ledger/evidence',
      );
      expect(evidence.headers['content-disposition']).toContain(
        'backup-evidence-component_default_payments-ledger',
      );
      expect(evidence.body).toMatchObject({
        entityRef: 'component:default/payments-ledger',
        policies: [
          expect.objectContaining({
            name: 'transactions-db',
            legalRetentionYears: 7,
          }),
        ],
        collection: [
          expect.objectContaining({
            accountId: '111111111111',
            region: 'eu-central-1',
          }),
        ],
        checks: expect.arrayContaining([
          expect.objectContaining({
            checkId: 'protected',
            title: 'Protected by a backup plan',
          }),
        ]),
      });
      // the state of the account-regions holding its resources, not of every one collected
      const collection = await request(server).get(
        '/api/backup-compliance/v1/collection',
      );
      expect(collection.body.accountRegions.length).toBeGreaterThan(1);
      expect(evidence.body.collection).toHaveLength(1);
      const scorecard = await request(server).get(
        '/api/backup-compliance/v1/scorecard?groupBy=owner',
      );
      expect(scorecard.body).toMatchObject({
        totalEntities: 1,
        items: [
          expect.objectContaining({
            entityRef: 'component:default/payments-ledger',
            owner: 'payments',
          }),
        ],
        groups: [expect.objectContaining({ key: 'payments', entities: 1 })],
      });
      const badGroup = await request(server).get(
        '/api/backup-compliance/v1/scorecard?groupBy=team',
      );
      expect(badGroup.status).toBe(400);
      expect(badGroup.body.error.message).toContain('groupBy');
      const csv = await request(server).get(
        '/api/backup-compliance/v1/scorecard/export?format=csv',
      );
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text.split('\r\n')[0]).toBe(
        'entityRef,title,owner,system,domain,lifecycle,policies,level,score,failingChecks,evaluatedAt',
      );
      expect(csv.text).toContain(
        'component:default/payments-ledger,,payments,',
      );
      const badFormat = await request(server).get(
        '/api/backup-compliance/v1/scorecard/export?format=xml',
      );
      expect(badFormat.status).toBe(400);
      // Parameters parse strictly: what Number() would stretch to a value is a 400.
      for (const [path, says] of [
        ['/v1/scorecard?check=no-such-check', 'retention-daily'],
        ['/v1/scorecard/export?check=no-such-check', 'known check ids'],
        ['/v1/scorecard?pageSize=0x10', 'pageSize'],
        ['/v1/scorecard?page=1e2', 'page'],
        ['/v1/collection?limit=%2B5', 'limit'],
        [
          '/v1/entities/default/component/payments-ledger/history?days=1.0',
          'days',
        ],
        ['/v1/entities/a%2Fb/component/payments-ledger', 'namespace'],
        ['/v1/entities/default/comp%2Fonent/payments-ledger/resources', 'kind'],
        ['/v1/entities/default/component/%F0%9F%92%BE', 'name'],
        ['/v1/entities/default/component/led%07ger/evidence', 'name'],
      ]) {
        const bad = await request(server).get(`/api/backup-compliance${path}`);
        expect({ path, status: bad.status }).toEqual({ path, status: 400 });
        expect(bad.body.error.message).toContain(says);
      }
      const byCheck = await request(server).get(
        '/api/backup-compliance/v1/scorecard?check=retention-daily&pageSize=10',
      );
      expect(byCheck.status).toBe(200);

      expect(body.accountRegions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ accountId: '111111111111', stale: false }),
        ]),
      );
    });
  });
});

/** Asks for a refresh and waits until the cycle that took it has ended. */
async function refreshed(server: any, body: object = {}) {
  const refresh = await request(server)
    .post('/api/backup-compliance/v1/collection/refresh')
    .send(body);
  expect(refresh.status).toBe(202);
  let done: any;
  await waitFor(async () => {
    done = (
      await request(server).get(
        `/api/backup-compliance/v1/collection/refresh/${refresh.body.requestId}`,
      )
    ).body;
    return ['succeeded', 'failed', 'interrupted'].includes(done.status);
  });
  return { refresh: refresh.body, done };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs)
      throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 100));
  }
}
