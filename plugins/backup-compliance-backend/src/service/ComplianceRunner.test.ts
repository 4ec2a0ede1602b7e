import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { BUILT_IN_RESOURCE_CHECKS } from '../compliance/builtInChecks';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import {
  EXAMPLE_ACCOUNTS,
  EXAMPLE_REGIONS,
  exampleConfig,
} from '../__testUtils__/exampleWorld';
import { ComplianceRunner } from './ComplianceRunner';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('ComplianceRunner', () => {
  it('judges each entity against its own accounts and regions, or every one configured, where one was never collected', async () => {
    const store = await DatabaseBackupStore.create({
      knex: await databases.init('SQLITE_3'),
    });
    const [read] = EXAMPLE_ACCOUNTS;
    const now = new Date('2026-11-20T10:00:00Z');
    // every account-region collected, empty, but the last account's
    for (const accountId of EXAMPLE_ACCOUNTS.slice(0, -1)) {
      for (const region of EXAMPLE_REGIONS) {
        const id = `run-${accountId}-${region}`;
        await store.startRun({
          id,
          cycleId: 'cycle-1',
          accountId,
          region,
          mode: 'full',
          startedAt: now,
        });
        await store.commitSnapshot(
          id,
          {
            accountId,
            region,
            mode: 'full',
            resources: [],
            protectedResources: [],
            vaults: [],
            recoveryPoints: [],
            backupPlans: [],
            backupJobs: [],
            copyJobs: [],
            restoreJobs: [],
            restoreTestingPlans: [],
            legalHolds: [],
          },
          { calls: {}, throttles: 0 },
          now,
        );
      }
    }
    const neverRead = EXAMPLE_ACCOUNTS.at(-1)!;
    const resourceTags = { app: 'nowhere' };
    await store.replaceEntities(
      [
        // every account and region configured, the one never read among them
        {
          entityRef: 'component:default/everywhere',
          annotations: { resourceTags },
        },
        // its own account, read
        {
          entityRef: 'component:default/own-account',
          annotations: { resourceTags, accounts: [read] },
        },
        // its own region, in every account: the one never read among them
        {
          entityRef: 'component:default/own-region',
          annotations: { resourceTags, regions: [EXAMPLE_REGIONS[0]] },
        },
        // its own account, never read
        {
          entityRef: 'component:default/unread-account',
          annotations: { resourceTags, accounts: [neverRead] },
        },
      ],
      [],
    );
    const runner = new ComplianceRunner({
      config: exampleConfig('http://127.0.0.1:1'),
      store,
      logger: mockServices.logger.mock(),
      checks: () => BUILT_IN_RESOURCE_CHECKS,
      waivers: [],
      now: () => now,
    });
    await runner.evaluateAll();
    const found = Object.fromEntries(
      (await store.listSnapshots()).map(s => [
        s.entityRef.replace('component:default/', ''),
        s.checks.find(c => c.checkId === 'resources-found'),
      ]),
    );
    const notCollected = (ref: string) =>
      found[ref]?.facts.find(f => f.label === 'Account-regions not collected')
        ?.value;
    // nothing found where everything was read fails; where not, it is unknown
    expect(found['own-account']?.status).toBe('fail');
    expect(notCollected('own-account')).toBeUndefined();
    expect(found.everywhere?.status).toBe('unknown');
    expect(notCollected('everywhere')).toBe(
      EXAMPLE_REGIONS.map(region => `${neverRead}/${region}`).join(', '),
    );
    expect(found['own-region']?.status).toBe('unknown');
    expect(notCollected('own-region')).toBe(
      `${neverRead}/${EXAMPLE_REGIONS[0]}`,
    );
    expect(found['unread-account']?.status).toBe('unknown');
    expect(notCollected('unread-account')).toBe(
      EXAMPLE_REGIONS.map(region => `${neverRead}/${region}`).join(', '),
    );
  });
});
