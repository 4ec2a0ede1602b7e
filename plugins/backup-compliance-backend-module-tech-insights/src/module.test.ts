import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import { resolve } from 'node:path';
import request from 'supertest';
import { BACKUP_COMPLIANCE_FACT_RETRIEVER_ID } from './backupComplianceFactRetriever';
import backupComplianceTechInsightsModule from '.';
// The backup compliance plugin itself, whose store the retriever reads: a test-only
// dependency of this module, which reaches it over HTTP only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import backupCompliancePlugin from '@backup-compliance/backstage-plugin-backend';
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import jsonfcModule from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';

const entity = (name: string, tags: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: { 'aws.amazon.com/backup-resource-tags': tags },
  },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

/** Compliant in the example scenario, and one whose tags match nothing. */
const ledger = entity('payments-ledger', 'app=payments-ledger,env=prod');
const retired = entity('retired-ledger', 'app=retired-ledger,env=prod');

// Waits are for events, bounded by the test's timeout, not for a time.
jest.setTimeout(180_000);

/** A waiver 20 days out, as a platform team writes one. */
const waiverExpires = new Date(Date.now() + 20 * 86_400_000)
  .toISOString()
  .slice(0, 10);

let emulator: Emulator;
let stopped = false;
beforeAll(async () => {
  emulator = await startEmulator({
    scenario: await loadScenario(
      resolve(__dirname, '../../../examples/aws-scenario.yaml'),
    ),
  });
});
afterAll(() => {
  stopped = true;
  return emulator.close();
});

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  // the answer we wait for, however long a busy machine takes
  while (!stopped) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`stopped waiting for ${what}`);
}

describe('backup compliance facts in Tech Insights', () => {
  it('publishes each judged entity’s facts from the plugin’s store, and a check on them answers', async () => {
    // the test's scheduler runs a task when asked to, as a real one does on its cadence
    const scheduler = mockServices.scheduler();
    const { server } = await startTestBackend({
      features: [
        backupCompliancePlugin,
        techInsightsPlugin,
        jsonfcModule,
        backupComplianceTechInsightsModule,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        catalogServiceMock.factory({ entities: [ledger, retired] as any }),
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
            backupCompliance: {
              regions: ['eu-central-1', 'eu-west-1'],
              endpoint: emulator.url,
              schedule: { initialDelay: { hours: 1 } },
              policies: {
                'transactions-db': {
                  rpoHours: 24,
                  rtoMinutes: 240,
                  retention: { dailyDays: 30 },
                  restoreTesting: { required: true, maxAgeDays: 30 },
                },
              },
              waivers: [
                {
                  entity: 'component:default/retired-ledger',
                  check: 'resources-found',
                  reason: 'Decommissioned; the catalog entry goes next sprint',
                  approvedBy: 'group:default/platform-resilience',
                  expires: waiverExpires,
                },
              ],
            },
            techInsights: {
              factRetrievers: {
                [BACKUP_COMPLIANCE_FACT_RETRIEVER_ID]: {
                  cadence: '0 * * * *',
                  lifecycle: { maxItems: 2 },
                },
              },
              factChecker: {
                checks: {
                  backupsCompliant: {
                    type: 'json-rules-engine',
                    name: 'Backups meet DORA',
                    description: 'The backup compliance level is compliant',
                    factIds: [BACKUP_COMPLIANCE_FACT_RETRIEVER_ID],
                    rule: {
                      conditions: {
                        all: [
                          {
                            fact: 'backupComplianceLevel',
                            operator: 'equal',
                            value: 'compliant',
                          },
                        ],
                      },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });

    // one collection cycle, asked for through the plugin's API
    const refresh = await request(server)
      .post('/api/backup-compliance/v1/collection/refresh')
      .send({});
    expect(refresh.status).toBe(202);
    await waitFor('the cycle', async () => {
      const { body } = await request(server).get(
        `/api/backup-compliance/v1/collection/refresh/${refresh.body.requestId}`,
      );
      return body.status === 'succeeded' ? body : undefined;
    });
    const verdict = async (name: string) =>
      (
        await request(server).get(
          `/api/backup-compliance/v1/entities/default/component/${name}`,
        )
      ).body;
    const [ledgerVerdict, retiredVerdict] = [
      await verdict('payments-ledger'),
      await verdict('retired-ledger'),
    ];
    expect({
      level: ledgerVerdict.level,
      problems: ledgerVerdict.problems,
    }).toEqual({ level: 'compliant', problems: [] });
    // its only failure is waived: at risk, not compliant
    expect(retiredVerdict.level).toBe('at-risk');

    // Tech Insights' scheduled task for the retriever, run now
    await scheduler.triggerTask(BACKUP_COMPLIANCE_FACT_RETRIEVER_ID);
    const latest = async (name: string) => {
      const res = await request(server)
        .get('/api/tech-insights/facts/latest')
        .query({
          entity: `component:default/${name}`,
          'ids[]': BACKUP_COMPLIANCE_FACT_RETRIEVER_ID,
        });
      expect(res.status).toBe(200);
      return res.body[BACKUP_COMPLIANCE_FACT_RETRIEVER_ID].facts;
    };
    const ledgerFacts = await latest('payments-ledger');
    expect(ledgerFacts).toMatchObject({
      backupComplianceLevel: 'compliant',
      backupCompliant: true,
      backupComplianceScore: ledgerVerdict.score,
      backupFailingChecks: [],
      backupEvaluatedAt: ledgerVerdict.evaluatedAt,
    });
    expect(ledgerFacts.backupCheckStatuses).toEqual(
      Object.fromEntries(
        ledgerVerdict.checks.map((c: any) => [
          c.checkId,
          c.notApplicable ? 'n/a' : c.status,
        ]),
      ),
    );
    // ages from the newest point and the last successful test restore of its resources
    const newestPoint = Math.min(
      ...ledgerVerdict.resources.map((r: any) =>
        Date.parse(r.summary.newestPointAt),
      ),
    );
    const hours = (Date.now() - newestPoint) / 3_600_000;
    expect(ledgerFacts.newestRecoveryPointAgeHours).toBeGreaterThan(0);
    expect(ledgerFacts.newestRecoveryPointAgeHours).toBeLessThanOrEqual(
      hours + 0.1,
    );
    expect(ledgerFacts.newestRecoveryPointAgeHours).toBeGreaterThan(hours - 1);
    expect(ledgerFacts.lastRestoreTestAgeDays).toBeGreaterThan(0);
    expect(ledgerFacts.daysUntilWaiverExpiry).toBeUndefined();

    const retiredFacts = await latest('retired-ledger');
    expect(retiredFacts).toMatchObject({
      backupComplianceLevel: 'at-risk',
      backupCompliant: false,
      backupFailingChecks: [],
      daysUntilWaiverExpiry: 20,
    });
    expect(retiredFacts.backupCheckStatuses['resources-found']).toBe('waived');
    // nothing matched: no age that a check could take for fresh
    expect(retiredFacts.newestRecoveryPointAgeHours).toBeUndefined();
    expect(retiredFacts.lastRestoreTestAgeDays).toBeUndefined();

    // the check on our facts answers per entity
    const run = async (name: string) => {
      const res = await request(server)
        .post(`/api/tech-insights/checks/run/default/component/${name}`)
        .send({ checks: ['backupsCompliant'] });
      expect(res.status).toBe(200);
      return res.body;
    };
    expect(await run('payments-ledger')).toEqual([
      expect.objectContaining({
        check: expect.objectContaining({ id: 'backupsCompliant' }),
        result: true,
      }),
    ]);
    expect(await run('retired-ledger')).toEqual([
      expect.objectContaining({ result: false }),
    ]);
  });
});
