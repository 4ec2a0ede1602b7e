import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import { resolve } from 'node:path';
import request from 'supertest';
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

async function backend(
  backupCompliance: object | undefined,
  endpoint?: string,
) {
  const { server } = await startTestBackend({
    features: [
      backupCompliancePlugin,
      catalogServiceMock.factory({ entities: [ledger] }),
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

    it('answers a refresh at once with the cycle id, then shows its runs', async () => {
      const server = await backend(
        { regions: ['eu-central-1', 'eu-west-1'] },
        emulator.url,
      );
      const refresh = await request(server)
        .post('/api/backup-compliance/v1/collection/refresh')
        .send({ entityRef: 'component:default/payments-ledger' });
      expect(refresh.status).toBe(202);
      expect(refresh.body).toEqual({
        cycleId: expect.any(String),
        alreadyRunning: false,
        entityRef: 'component:default/payments-ledger',
      });

      let body: any;
      await waitFor(async () => {
        const status = await request(server).get(
          `/api/backup-compliance/v1/collection?cycleId=${refresh.body.cycleId}`,
        );
        body = status.body;
        return (
          body.runs.length === 2 &&
          body.runs.every((r: any) => r.status !== 'running')
        );
      });
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
            stale: false,
          },
        ],
      });
      const unknown = await request(server).get(
        '/api/backup-compliance/v1/entities/default/component/nope/resources',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
      expect(body.accountRegions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ accountId: '111111111111', stale: false }),
        ]),
      );
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs)
      throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 100));
  }
}
