import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
// The plugin this module extends: a test-only dependency.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import backupCompliancePlugin from '@backup-compliance/backstage-plugin-backend';
import { resolve } from 'node:path';
import request from 'supertest';
import backupComplianceModuleNotifications from '.';

// Waits are for events (a cycle seen through the API), bounded by the test's timeout.
jest.setTimeout(120_000);

const LEDGER_ACCOUNT = '111111111111';
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

let emulator: Emulator;
let stopped = false;
beforeEach(async () => {
  emulator = await startEmulator({
    scenario: await loadScenario(
      resolve(__dirname, '../../../examples/aws-scenario.yaml'),
    ),
  });
});
afterEach(() => emulator.close());
afterAll(() => {
  stopped = true;
});

/** What the notifications service was asked to send; `refuse` makes it fail. */
function notificationsCapture() {
  const sent: NotificationSendOptions[] = [];
  const state = { refuse: false };
  const factory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        if (state.refuse) throw new Error('notifications backend unavailable');
        sent.push(options);
      },
    }),
  });
  return { sent, state, factory };
}

async function backend(
  notifications: ReturnType<typeof notificationsCapture>,
  extra: object = {},
  catalog = { entities: [structuredClone(ledger)] },
) {
  const { server } = await startTestBackend({
    features: [
      backupCompliancePlugin,
      backupComplianceModuleNotifications,
      notifications.factory,
      mockServices.scheduler.factory(),
      catalogServiceMock.factory({ entities: catalog.entities as any }),
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: LEDGER_ACCOUNT,
                accessKeyId: 'AKID111111111111',
                secretAccessKey: 'x',
              },
            ],
          },
          backupCompliance: {
            regions: ['eu-central-1', 'eu-west-1'],
            endpoint: emulator.url,
            schedule: { initialDelay: { hours: 1 } },
            refresh: { fullPerCaller: { seconds: 0 } },
            policies: {
              'transactions-db': {
                rpoHours: 24,
                rtoMinutes: 240,
                retention: { dailyDays: 30 },
                restoreTesting: { required: true, maxAgeDays: 30 },
              },
            },
            ...extra,
          },
        },
      }),
    ],
  });
  return server;
}

/** Runs one collection cycle through the API and answers the ledger's level after it. */
async function cycle(server: any): Promise<string> {
  const refresh = await request(server)
    .post('/api/backup-compliance/v1/collection/refresh')
    .send({});
  expect(refresh.status).toBe(202);
  while (!stopped) {
    const { body } = await request(server).get(
      `/api/backup-compliance/v1/collection/refresh/${refresh.body.requestId}`,
    );
    if (['succeeded', 'failed', 'interrupted'].includes(body.status)) break;
    await new Promise(r => setTimeout(r, 100));
  }
  const verdict = await request(server).get(
    '/api/backup-compliance/v1/entities/default/component/payments-ledger',
  );
  return verdict.body.level;
}

describe('backup compliance notifications', () => {
  it('tells the owners once when a service gets worse and once when it recovers, never for its first verdict', async () => {
    const notifications = notificationsCapture();
    // the catalog's entities, which the test edits as someone would in the catalog
    const catalog = { entities: [structuredClone(ledger)] };
    const server = await backend(notifications, {}, catalog);

    expect(await cycle(server)).toBe('compliant');
    expect(notifications.sent).toEqual([]); // a first verdict is no change

    // someone retags the service in the catalog: its tags match no resource any more
    const tags = 'aws.amazon.com/backup-resource-tags';
    catalog.entities[0].metadata.annotations[tags] =
      'app=payments-ledger,env=prod,tier=gold';
    const worse = await cycle(server);
    expect(worse).not.toBe('compliant');
    expect(notifications.sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'component:default/payments-ledger',
        },
        payload: expect.objectContaining({
          title: `payments-ledger: backups now ${worse}`,
          description: expect.stringMatching(/^Was compliant\. .+/),
          link: '/catalog/default/component/payments-ledger/backup',
          topic: 'Backup compliance',
          scope: 'backup-compliance:component:default/payments-ledger:level',
        }),
      },
    ]);

    // the same level again: nothing more
    expect(await cycle(server)).toBe(worse);
    expect(notifications.sent).toHaveLength(1);

    catalog.entities[0].metadata.annotations[tags] =
      'app=payments-ledger,env=prod';
    expect(await cycle(server)).toBe('compliant');
    expect(notifications.sent).toHaveLength(2);
    expect(notifications.sent[1].payload).toMatchObject({
      title: 'payments-ledger: backups compliant again',
      description: `Was ${worse}; it meets its backup policy again.`,
      severity: 'low',
    });
  });

  it('tells of a waiver about to expire, once', async () => {
    const notifications = notificationsCapture();
    const expires = new Date(Date.now() + 5 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const server = await backend(notifications, {
      waivers: [
        {
          entity: 'component:default/payments-ledger',
          check: 'restore-tested',
          reason: 'Restore tests move to the new account',
          approvedBy: 'group:default/platform-resilience',
          expires,
        },
      ],
      policies: {
        // a test restore at most a day old, which the ledger's is not: waived
        'transactions-db': {
          rpoHours: 24,
          rtoMinutes: 240,
          retention: { dailyDays: 30 },
          restoreTesting: { required: true, maxAgeDays: 1 },
        },
      },
    });
    expect(await cycle(server)).toBe('at-risk');
    expect(notifications.sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'component:default/payments-ledger',
        },
        payload: expect.objectContaining({
          title: `payments-ledger: the waiver for Restore tested expires in 5 days (${expires})`,
          description: expect.stringContaining(
            'Approved by group:default/platform-resilience: "Restore tests move to the new account". After it expires the check counts again: ',
          ),
          severity: 'normal',
          scope:
            'backup-compliance:component:default/payments-ledger:waiver:restore-tested',
        }),
      },
    ]);
    await cycle(server);
    expect(notifications.sent).toHaveLength(1);
  });
});
