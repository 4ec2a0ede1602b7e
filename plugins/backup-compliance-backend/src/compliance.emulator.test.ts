import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { BUILT_IN_CHECKS } from '@backup-compliance/backstage-plugin-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import { BackupCollector } from './collector/BackupCollector';
import { BUILT_IN_RESOURCE_CHECKS } from './compliance/builtInChecks';
import { EntityComplianceSnapshot } from './compliance/evaluateEntity';
import { DatabaseBackupStore } from './database/DatabaseBackupStore';
import { ComplianceRunner } from './service/ComplianceRunner';
import { parseScorecardQuery } from './service/scorecard';
import {
  emulatorClients,
  emulatorOrganizations,
  EXAMPLE_ORGANIZATION_ACCOUNT,
  EXAMPLE_SCENARIO,
  exampleConfig,
  exampleEntities,
} from './__testUtils__/exampleWorld';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

// The demo's policies, as app-config.yaml sets them.
const strict = {
  rpoHours: 24,
  rtoMinutes: 240,
  vaultLock: 'compliance',
  encryption: 'customer-managed',
  copies: { crossRegion: true, crossAccount: true },
  restoreTesting: { required: true, maxAgeDays: 30, requireValidation: true },
};
const policies = {
  default: { rpoHours: 24, rtoMinutes: 480, retention: { dailyDays: 30 } },
  'transactions-db': {
    ...strict,
    retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
  },
  'rewards-db': {
    ...strict,
    retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 10 },
  },
};

let emulator: Emulator;
let verdicts: Map<string, EntityComplianceSnapshot>;
let store: DatabaseBackupStore;
let runner: ComplianceRunner;
let logger: ReturnType<typeof mockServices.logger.mock>;
let config: ReturnType<typeof exampleConfig>;

beforeAll(async () => {
  emulator = await startEmulator({
    scenario: await loadScenario(EXAMPLE_SCENARIO),
  });
  config = exampleConfig(emulator.url, {
    policies,
    organization: { accountId: EXAMPLE_ORGANIZATION_ACCOUNT },
  });
  store = await DatabaseBackupStore.create({
    knex: await databases.init('SQLITE_3'),
  });
  logger = mockServices.logger.mock();
  runner = new ComplianceRunner({
    config,
    store,
    logger,
    checks: () => BUILT_IN_RESOURCE_CHECKS,
    waivers: config.waivers,
  });
  const collector = new BackupCollector({
    config,
    logger,
    catalog: catalogServiceMock({ entities: exampleEntities() }),
    auth: mockServices.auth(),
    store,
    afterCycle: () => runner.evaluateAll(),
    clients: emulatorClients(emulator.url),
    organization: emulatorOrganizations(emulator.url),
  });
  await collector.runCycle();
  verdicts = new Map(
    (await store.listSnapshots()).map(s => [
      s.entityRef.replace('component:default/', ''),
      s,
    ]),
  );
});

afterAll(async () => {
  await emulator.close();
});

const informational = new Set<string>(
  BUILT_IN_CHECKS.filter(c => c.informational).map(c => c.id),
);

/** The checks that did not pass (not-applicable and informational ones excluded), with their status. */
function notPassing(name: string) {
  return Object.fromEntries(
    verdicts
      .get(name)!
      .checks.filter(
        c =>
          c.status !== 'pass' &&
          !c.notApplicable &&
          !informational.has(c.checkId),
      )
      .map(c => [c.checkId, c.status]),
  );
}

const checkOf = (name: string, checkId: string) =>
  verdicts.get(name)!.checks.find(c => c.checkId === checkId)!;

it('judges the same in batches of one entity as in one batch', async () => {
  const result = await runner.evaluateAll({ batchSize: 1 });
  expect(result.entities).toBe(verdicts.size);
  const again = await store.listSnapshots();
  const withoutTime = (s: EntityComplianceSnapshot) => ({
    ...s,
    evaluatedAt: undefined,
  });
  expect(again.map(withoutTime)).toEqual(
    [...verdicts.values()].map(withoutTime),
  );
  // the stories' resources were all found in their batches
  expect(again.flatMap(s => s.resources).length).toBeGreaterThan(5);
});

it('fails the evaluation when storing a batch fails, while the next batch is read and judged', async () => {
  const save = jest
    .spyOn(store, 'saveVerdicts')
    .mockImplementationOnce(async () => {})
    .mockRejectedValueOnce(new Error('the disk is full'));
  try {
    await expect(runner.evaluateAll({ batchSize: 1 })).rejects.toThrow(
      'the disk is full',
    );
    // the batches after the failed one were not stored
    expect(save).toHaveBeenCalledTimes(2);
  } finally {
    save.mockRestore();
  }
});

it('logs how long the evaluation took, and how long it stood still for the verdicts written behind', async () => {
  const save = store.saveVerdicts.bind(store);
  const spy = jest
    .spyOn(store, 'saveVerdicts')
    .mockImplementationOnce(async snapshots => {
      // the database holds the first batch's write for at least 1.5 s
      await new Promise(resolve => setTimeout(resolve, 1500));
      await save(snapshots);
    });
  logger.info.mockClear();
  try {
    await runner.evaluateAll({ batchSize: 1 });
  } finally {
    spy.mockRestore();
  }
  const line = logger.info.mock.calls
    .map(([message]) => message)
    .find(message => message.startsWith('Evaluated'));
  const [, entities, seconds, readAhead, writtenBehind] =
    /^Evaluated (\d+) entities in (\d+\.\d) s: .+; waited (\d+\.\d) s for the evidence read ahead and (\d+\.\d) s for the verdicts written behind$/.exec(
      line ?? '',
    ) ?? [];
  expect(Number(entities)).toBe(verdicts.size);
  // judging the second entity took a fraction of the 1.5 s the first write was held
  expect(Number(writtenBehind)).toBeGreaterThanOrEqual(1);
  // the waits are part of the time it took (each figure rounded to 0.1 s)
  expect(Number(seconds)).toBeGreaterThanOrEqual(
    Number(writtenBehind) + Number(readAhead) - 0.2,
  );
});

/** How many turns of the event loop the checks saw while one batch of every entity was judged. */
async function turnsSeenWhileJudging(yieldEvery?: number) {
  // a tick each turn of the event loop, as the database driver's answers take
  let ticks = 0;
  let ticking = true;
  const tick = () => {
    ticks++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const seen = new Set<number>();
  const watching = new ComplianceRunner({
    config,
    store,
    logger,
    checks: () =>
      BUILT_IN_RESOURCE_CHECKS.map(c => ({
        ...c,
        evaluate: (...args: Parameters<typeof c.evaluate>) => {
          seen.add(ticks);
          return c.evaluate(...args);
        },
      })),
    waivers: config.waivers,
  });
  try {
    await watching.evaluateAll({ batchSize: 1000, yieldEvery });
  } finally {
    ticking = false;
  }
  return seen.size;
}

it('lets the event loop turn while a batch is judged, so the writes behind and reads ahead go on', async () => {
  // a turn after every second entity
  expect(await turnsSeenWhileJudging(2)).toBeGreaterThan(2);
});

it('judges a batch in one stretch on SQLite, whose statements run in this thread anyway', async () => {
  expect(store.inThisThread).toBe(true);
  expect(await turnsSeenWhileJudging()).toBe(1);
});

describe('the example scenario gets the verdicts its stories imply', () => {
  it('payments-ledger is fully compliant under transactions-db', () => {
    expect(verdicts.get('payments-ledger')).toMatchObject({
      level: 'compliant',
      score: 100,
      policies: ['transactions-db'],
    });
    expect(notPassing('payments-ledger')).toEqual({});
  });

  it('card-transactions fails on its failed backup job only', () => {
    expect(verdicts.get('card-transactions')!.level).toBe('non-compliant');
    expect(notPassing('card-transactions')).toEqual({
      'backup-jobs-healthy': 'fail',
    });
  });

  it('loan-origination keeps PII-bearing records only 30 days: retention alignment and monthly tier fail', () => {
    expect(notPassing('loan-origination')).toEqual({
      'retention-monthly': 'fail',
      'retention-alignment': 'fail',
    });
    const alignment = verdicts
      .get('loan-origination')!
      .checks.find(c => c.checkId === 'retention-alignment')!;
    expect(alignment.explanation).toContain('35 d');
    expect(alignment.explanation).toContain(
      'keeps it 30 d, 2525 d short of 7 y (2555 d)',
    );
  });

  it('loan-servicing has no Vault Lock and no recent restore test', () => {
    expect(notPassing('loan-servicing')).toEqual({
      'vault-lock': 'fail',
      'restore-tested': 'fail',
    });
    // The 45-day-old test is read (AWS lists it): stale, but its time is measured.
    expect(checkOf('loan-servicing', 'restore-tested').explanation).toMatch(
      /^The last successful test restore, on \d{4}-\d{2}-\d{2}, is 45 d old/,
    );
    expect(checkOf('loan-servicing', 'restore-time').status).toBe('pass');
  });

  it('credit-scoring has no backups at all, judged by the default policy', () => {
    const verdict = verdicts.get('credit-scoring')!;
    expect(verdict).toMatchObject({
      level: 'non-compliant',
      policies: ['default'],
    });
    expect(notPassing('credit-scoring')).toMatchObject({
      protected: 'fail',
      'recovery-point-fresh': 'fail',
      'retention-daily': 'fail',
    });
  });

  it('rewards-points keeps yearly points 7 years instead of 10, its monthly restore test can go stale, and it shows its legal hold', () => {
    expect(notPassing('rewards-points')).toEqual({
      'retention-yearly': 'fail',
      'restore-tested': 'warn',
    });
    // Its monthly restore-testing plan runs up to 31 days apart; rewards-db allows 30.
    expect(
      verdicts
        .get('rewards-points')!
        .checks.find(c => c.checkId === 'restore-tested')!.explanation,
    ).toContain(
      'the most frequent restore-testing plan, rewards_db_monthly (cron(0 5 1 * ? *)), runs only every 31 d',
    );
    const hold = verdicts
      .get('rewards-points')!
      .checks.find(c => c.checkId === 'legal-hold')!;
    expect(hold.explanation).toContain(
      '2 recovery points are under active legal hold',
    );
  });

  it('rewards-catalog has a failed restore validation and no cross-account copy', () => {
    expect(notPassing('rewards-catalog')).toEqual({
      'restore-tested': 'fail',
      'cross-account-copy': 'fail',
    });
    const tested = verdicts
      .get('rewards-catalog')!
      .checks.find(c => c.checkId === 'restore-tested')!;
    expect(tested.explanation).toContain('validation FAILED');
  });

  it('statements-archive: continuous backups meet the RPO, cold points are named, and only the bucket fails on its short air-gapped copy', () => {
    const verdict = verdicts.get('statements-archive')!;
    expect(notPassing('statements-archive')).toEqual({
      'cross-account-copy': 'fail',
    });
    const bucket = 'arn:aws:s3:::statements-archive-eu';
    const table =
      'arn:aws:dynamodb:eu-central-1:111111111111:table/statements-index';
    expect(verdict.resources).toHaveLength(2);
    expect(verdict.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          arn: bucket,
          status: 'fail',
          notPassing: [{ checkId: 'cross-account-copy', status: 'fail' }],
          summary: expect.objectContaining({
            continuous: expect.objectContaining({ windowDays: 35 }),
          }),
        }),
        expect.objectContaining({
          arn: table,
          status: 'pass',
          notPassing: [],
          summary: expect.objectContaining({
            coldPoints: 2,
            lastRestoreTest: expect.objectContaining({ storageClass: 'WARM' }),
            // daily at 02:00 Europe/Berlin: 01:00 UTC in winter, 00:00 in summer
            nextBackupAt: expect.stringMatching(/T0[01]:00:00\.000Z$/),
            nextRestoreTestAt: expect.stringMatching(/T06:00:00\.000Z$/),
          }),
        }),
      ]),
    );
    const check = (id: string) => verdict.checks.find(c => c.checkId === id)!;
    expect(check('recovery-point-fresh').explanation).toContain(
      'statements-archive-eu: Continuous backup (point-in-time recovery) is running',
    );
    expect(check('cross-account-copy')).toMatchObject({
      resources: [bucket],
      explanation: expect.stringContaining(
        'rule statements-files/yearly keeps its copies to 333333333333/eu-central-1 1 y (365 d), its points 7 y (2555 d)',
      ),
    });
    expect(check('restore-time').explanation).toContain(
      '2 of its points are in cold storage, whose restore time no test has measured',
    );
    // The air-gapped vault counts as locked in compliance mode.
    expect(check('vault-lock').status).toBe('pass');
    expect(check('vault-lock').facts).toContainEqual(
      expect.objectContaining({
        label:
          'Vault central-air-gapped (copies, 333333333333/eu-central-1) lock',
        value: 'compliance (logically air-gapped vault)',
      }),
    );
  });

  it("judges the organization's backup policies before any backup runs, and reports drift on the policies and the entities", async () => {
    const { verdicts: org, error } = await store.getOrganization();
    expect(error).toBeUndefined();
    const byName = new Map(org!.map(p => [p.name, p]));
    const transactions = byName.get('transactions-db-backup')!;
    expect(transactions).toMatchObject({
      implements: ['transactions-db'],
      accounts: ['111111111111'],
      targets: [{ type: 'ORGANIZATIONAL_UNIT', name: 'payments' }],
      status: 'fail',
    });
    // Its rules implement transactions-db; account 222 is the drift.
    expect(transactions.findings.map(f => f.status)).not.toContain('fail');
    expect(transactions.drift).toEqual([
      expect.objectContaining({
        accountId: '222222222222',
        text: 'account 222222222222 has resources tagged backup-policy=transactions-db, but transactions-db-backup does not target it',
      }),
    ]);
    const rewards = byName.get('rewards-db-backup')!;
    expect(rewards.findings).toContainEqual(
      expect.objectContaining({
        status: 'fail',
        text: 'the yearly rule keeps points 7 y (2555 d): it cannot implement rewards-db, which requires 10 y (3650 d)',
      }),
    );
    expect(rewards.drift.map(d => d.text)).toEqual([
      "no backup plan rewards-db in 222222222222/eu-central-1: the policy's rules are not applied there",
    ]);
    // On the entities: informational, never changing the level.
    expect(checkOf('payments-ledger', 'organization-policy')).toMatchObject({
      status: 'pass',
      explanation: expect.stringContaining(
        'transactions-db-backup implement transactions-db in account 111111111111',
      ),
    });
    expect(verdicts.get('payments-ledger')!.level).toBe('compliant');
    expect(checkOf('loan-servicing', 'organization-policy')).toMatchObject({
      status: 'fail',
      explanation: expect.stringContaining('does not target it'),
    });
    expect(checkOf('statements-archive', 'organization-policy').status).toBe(
      'pass',
    );
    // Informational: never among an entity's failing checks on the scorecard.
    const scorecard = await store.queryScorecard(
      parseScorecardQuery({ pageSize: '100' }),
      'all',
    );
    expect(scorecard.failingChecks['organization-policy']).toBeUndefined();
    expect(
      scorecard.items.find(
        r => r.entityRef === 'component:default/loan-servicing',
      )!.failingChecks,
    ).not.toContain('organization-policy');
    expect(checkOf('loan-servicing', 'organization-policy').informational).toBe(
      true,
    );
  });

  it('fx-rates is misconfigured by its malformed annotation', () => {
    expect(verdicts.get('fx-rates')).toMatchObject({
      level: 'misconfigured',
      problems: [
        'aws.amazon.com/backup-resource-tags: "app" is not a key=value pair',
      ],
    });
  });

  it('every result names its facts and DORA articles', () => {
    const checks = [...verdicts.values()].flatMap(v => v.checks);
    expect(checks.filter(c => c.dora.length === 0 || !c.remediation)).toEqual(
      [],
    );
    const decided = checks.filter(c => c.status !== 'pass' && !c.notApplicable);
    expect(decided.filter(c => c.facts.length === 0)).toEqual([]);
  });
});
