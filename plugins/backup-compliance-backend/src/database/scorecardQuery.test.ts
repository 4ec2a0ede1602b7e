import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { gunzipSync } from 'node:zlib';
import { Knex } from 'knex';
import {
  CheckResult,
  ComplianceLevel,
} from '@backup-compliance/backstage-plugin-common';
import { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import {
  admittedFrom,
  parseScorecardQuery,
  ScorecardQuery,
  verdictRowOf,
} from '../service/scorecard';
import { EntityCatalogInfo } from './BackupStore';
import { DatabaseBackupStore } from './DatabaseBackupStore';

jest.setTimeout(60_000);

/**
 * How the database would run `statement`, as text. On PostgreSQL with sorting and
 * sequential scans priced out, so that a table this small is read the way a large one
 * is: in index order where an index gives the statement's order, sorted where none does.
 */
async function planOf(
  knex: Knex,
  statement: { sql: string; bindings: readonly unknown[] },
): Promise<string> {
  if (knex.client.config.client === 'pg') {
    return knex.transaction(async trx => {
      await trx.raw('SET LOCAL enable_sort = off');
      await trx.raw('SET LOCAL enable_seqscan = off');
      const { rows } = await trx.raw(
        `EXPLAIN ${statement.sql.replace(/\$\d+/g, '?')}`,
        statement.bindings as any[],
      );
      return rows
        .map((r: Record<string, string>) => r['QUERY PLAN'])
        .join('\n');
    });
  }
  const rows = await knex.raw(
    `EXPLAIN QUERY PLAN ${statement.sql}`,
    statement.bindings as any[],
  );
  return rows.map((r: { detail: string }) => r.detail).join('\n');
}

/** Runs `work` with one of the plugin's migrations undone, then applies it again. */
async function withMigrationUndone(
  knex: Knex,
  name: string,
  work: () => Promise<void>,
) {
  const migration = {
    directory: resolvePackagePath(
      '@backup-compliance/backstage-plugin-backend',
      'migrations',
    ),
    name,
  };
  await knex.migrate.down(migration);
  try {
    await work();
  } finally {
    await knex.migrate.up(migration);
  }
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Fixture = {
  name: string;
  level?: ComplianceLevel;
  score?: number | null;
  failing?: string[];
  /** Checks that fail where the policy does not ask for them: not failures. */
  notApplicable?: string[];
  catalog?: Partial<EntityCatalogInfo>;
};

const EVALUATED_AT = '2026-03-15T12:00:00.000Z';

function snapshotOf(f: Fixture): EntityComplianceSnapshot {
  const check = (checkId: string, status: CheckResult['status']) =>
    ({ checkId, status } as CheckResult);
  return {
    entityRef: `component:default/${f.name}`,
    evaluatedAt: EVALUATED_AT,
    level: f.level ?? 'compliant',
    score: f.score === undefined ? 100 : f.score,
    policies: ['transactions-db'],
    problems: [],
    resources: [],
    staleAccountRegions: [],
    checks: [
      ...(f.failing ?? []).map(id => check(id, 'fail')),
      ...(f.notApplicable ?? []).map(id => ({
        ...check(id, 'fail'),
        notApplicable: true,
      })),
      check('restore-tested', 'pass'),
    ],
  };
}

const catalogOf = (f: Fixture): EntityCatalogInfo => ({
  kind: 'component',
  namespace: 'default',
  name: f.name,
  title: f.name,
  owner: 'group:default/payments',
  system: 'payments',
  domain: 'finance',
  lifecycle: 'production',
  ...f.catalog,
});

const FIXTURES: Fixture[] = [
  { name: 'alpha', level: 'compliant', score: 100 },
  {
    name: 'bravo',
    level: 'non-compliant',
    score: 40,
    failing: ['vault-lock'],
    catalog: { owner: 'group:default/rewards', system: 'rewards' },
  },
  { name: 'charlie', level: 'at-risk', score: 80 },
  {
    name: 'delta',
    level: 'misconfigured',
    score: null,
    catalog: { owner: undefined },
  },
  { name: 'echo', level: 'unknown', score: null, notApplicable: ['encrypted'] },
  {
    name: 'foxtrot',
    level: 'non-compliant',
    score: 70,
    failing: ['encrypted'],
    catalog: { title: 'Ledger API 100%_done' },
  },
];

/** The fixtures' levels, counted. */
const FIXTURE_LEVELS = {
  compliant: 1,
  'non-compliant': 2,
  'at-risk': 1,
  misconfigured: 1,
  unknown: 1,
};
/** The fixtures' failing checks, counted: echo's `encrypted` does not apply to it. */
const FIXTURE_FAILING = { 'vault-lock': 1, encrypted: 1 };

/** The scorecard's default query, with `overrides`. */
const query = (overrides: Partial<ScorecardQuery> = {}) => ({
  ...parseScorecardQuery({}),
  ...overrides,
});

/** The fixtures' entities, opted in, and their verdicts, stored by `store`. */
async function judgeFixtures(store: DatabaseBackupStore) {
  await store.replaceEntities(
    FIXTURES.map(f => ({
      entityRef: `component:default/${f.name}`,
      catalog: catalogOf(f),
    })),
    [],
  );
  await store.saveEvaluation(FIXTURES.map(snapshotOf), 400);
}

/** Records the statements `knex` sends, until `stop`. */
function recording(knex: Knex) {
  const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
  const capture = (q: { sql: string; bindings: readonly unknown[] }) =>
    statements.push({ sql: q.sql, bindings: q.bindings });
  knex.on('query', capture);
  return {
    statements,
    /** How many statements so far match `pattern`. */
    count: (pattern: RegExp) =>
      statements.filter(q => pattern.test(q.sql)).length,
    stop: () => knex.removeListener('query', capture),
  };
}

/** The statements `knex` sends while `work` runs. */
async function statementsOf(knex: Knex, work: () => Promise<void>) {
  const recorded = recording(knex);
  try {
    await work();
  } finally {
    recorded.stop();
  }
  return recorded.statements;
}

/** How the database would run each page (a statement ordered and limited) `work` reads. */
async function pagePlansOf(knex: Knex, work: () => Promise<void>) {
  const statements = await statementsOf(knex, work);
  const pages = statements.filter(
    q => /order by/i.test(q.sql) && /limit/i.test(q.sql),
  );
  return Promise.all(pages.map(page => planOf(knex, page)));
}

describe.each(databases.eachSupportedId())(
  "the scorecard's counts on %s",
  databaseId => {
    it('counts and groups again only once the verdicts changed, written by this replica or another', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      // another replica on the same database
      const other = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
      const recorded = recording(knex);
      const countings = () =>
        recorded.count(/entity_failing_checks.*group by/i);
      const groupings = () => recorded.count(/group_key/);
      const groups = async (q: Record<string, string> = {}) =>
        (
          await store.queryScorecard(
            parseScorecardQuery({ groupBy: 'owner', ...q }),
            'all',
          )
        ).groups?.map(g => [g.key, g.entities]);
      const counts = async (
        visible: 'all' | string[] = 'all',
        day?: string,
      ) => {
        const { levels, failingChecks, totalEntities } =
          await store.queryScorecard(parseScorecardQuery({}), visible, day);
        return { levels, failingChecks, totalEntities };
      };
      try {
        const before = {
          levels: FIXTURE_LEVELS,
          failingChecks: FIXTURE_FAILING,
          totalEntities: 6,
        };
        expect(await counts()).toEqual(before);
        expect(await counts()).toEqual(before);
        expect(countings()).toBe(1);
        const groupsBefore = [
          ['(none)', 1],
          ['group:default/payments', 4],
          ['group:default/rewards', 1],
        ];
        expect(await groups()).toEqual(groupsBefore);
        expect(await groups()).toEqual(groupsBefore);
        expect(groupings()).toBe(1);
        // filtered, the groups are read for the question
        expect(await groups({ level: 'non-compliant' })).toEqual([
          ['group:default/payments', 1],
          ['group:default/rewards', 1],
        ]);
        expect(groupings()).toBe(2);

        // the other replica judges bravo again: compliant now
        const later = '2026-03-15T13:00:00.000Z';
        await other.saveVerdicts([
          {
            ...snapshotOf({ name: 'bravo', level: 'compliant', score: 100 }),
            evaluatedAt: later,
          },
        ]);
        expect(await counts()).toEqual({
          levels: { ...before.levels, compliant: 2, 'non-compliant': 1 },
          failingChecks: { encrypted: 1 },
          totalEntities: 6,
        });
        expect(countings()).toBe(2);
        expect(await groups()).toEqual(groupsBefore);
        expect(groupings()).toBe(3);

        // a caller's own subset is counted for it, and kept for the same entities
        const subset = ['component:default/bravo', 'component:default/echo'];
        const ofSubset = {
          levels: { compliant: 1, unknown: 1 },
          failingChecks: {},
          totalEntities: 2,
        };
        expect(await counts(subset)).toEqual(ofSubset);
        expect(await counts(subset)).toEqual(ofSubset);
        expect(countings()).toBe(3);
        // not for another caller's
        expect(await counts(['component:default/bravo'])).toEqual({
          levels: { compliant: 1 },
          failingChecks: {},
          totalEntities: 1,
        });
        expect(countings()).toBe(4);
        // a past day is counted for the question
        await counts(subset, '2026-03-15');
        await counts(subset, '2026-03-15');
        expect(countings()).toBe(6);

        // the end of an evaluation that judged bravo only drops the others' verdicts
        await other.finishEvaluation(new Date(later), 400);
        expect(await counts()).toEqual({
          levels: { compliant: 1 },
          failingChecks: {},
          totalEntities: 1,
        });
        expect(await counts()).toEqual({
          levels: { compliant: 1 },
          failingChecks: {},
          totalEntities: 1,
        });
        expect(countings()).toBe(7);
        // and the subset's is read again
        expect(await counts(subset)).toEqual({
          levels: { compliant: 1 },
          failingChecks: {},
          totalEntities: 1,
        });
        expect(countings()).toBe(8);
      } finally {
        recorded.stop();
      }
    });

    it('counts a filtered list whose page is full once per filter and caller, until the verdicts change', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      const other = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
      const recorded = recording(knex);
      const totals = () => recorded.count(/count\(\*\) as .total./i);
      const total = async (
        q: Partial<ScorecardQuery>,
        visible: 'all' | string[] = 'all',
      ) =>
        (await store.queryScorecard(query({ pageSize: 1, ...q }), visible))
          .total;
      const payments = { owner: 'group:default/payments' };
      try {
        expect(await total(payments)).toBe(4);
        expect(await total({ ...payments, page: 2 })).toBe(4);
        expect(totals()).toBe(1);
        // another filter, or another caller's entities, are counted for themselves
        expect(await total({ ...payments, q: 'ha' })).toBe(2);
        const subset = ['component:default/alpha', 'component:default/charlie'];
        expect(await total(payments, subset)).toBe(2);
        expect(await total(payments, subset)).toBe(2);
        expect(totals()).toBe(3);
        // the other replica judges one of them again: counted again
        await other.saveVerdicts([
          {
            ...snapshotOf({ name: 'charlie', level: 'compliant', score: 100 }),
            evaluatedAt: '2026-03-15T13:00:00.000Z',
          },
        ]);
        expect(await total({ ...payments, level: ['compliant'] })).toBe(2);
        expect(await total(payments)).toBe(4);
        expect(totals()).toBe(5);
      } finally {
        recorded.stop();
      }
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the scorecard of a caller the catalog admits to every judged entity, on %s',
  databaseId => {
    // one database: the last test judges another entity
    let knex: Knex;
    let store: DatabaseBackupStore;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
    });
    // what a page of rows reads: the statement that selects the verdicts' briefs
    const pages = <T extends { sql: string }>(statements: T[]) =>
      statements.filter(q => /brief/.test(q.sql));
    const namesEntities = (q: { sql: string }) =>
      /json_each|ANY\(/i.test(q.sql);
    const QUERIES: Array<Partial<ScorecardQuery>> = [
      {},
      { sort: 'owner', order: 'desc' },
      { owner: 'group:default/payments', page: 1, pageSize: 2 },
      { level: ['non-compliant', 'compliant'], groupBy: 'system' },
      { q: 'ledger' },
      { check: 'vault-lock' },
    ];

    it("reads the page of the generation's list it was given without naming its entities, the same as for every entity", async () => {
      const judged = await store.listSnapshotRefs();
      for (const overrides of QUERIES) {
        const recorded = recording(knex);
        try {
          expect(await store.queryScorecard(query(overrides), judged)).toEqual(
            await store.queryScorecard(query(overrides), 'all'),
          );
        } finally {
          recorded.stop();
        }
        expect(pages(recorded.statements).length).toBeGreaterThan(0);
        expect(pages(recorded.statements).filter(namesEntities)).toEqual([]);
      }
      // a list of the same entities the store did not give out, or fewer: named
      const statements = await statementsOf(knex, async () => {
        await store.queryScorecard(query(), [...judged]);
        await store.queryScorecard(query(), judged.slice(1));
      });
      expect(pages(statements).filter(namesEntities)).toHaveLength(2);
    });

    it('reads the page of a list admitted from it naming only those denied, when they are fewer', async () => {
      const judged = await store.listSnapshotRefs();
      const admitted = admittedFrom(
        judged.filter(ref => !ref.endsWith('/bravo')),
        judged,
      );
      const bindsAdmitted = (q: { bindings: readonly unknown[] }) =>
        JSON.stringify(q.bindings).includes('component:default/alpha');
      for (const overrides of QUERIES) {
        const recorded = recording(knex);
        try {
          // the same answer as the list named, entity by entity
          expect(
            await store.queryScorecard(query(overrides), admitted),
          ).toEqual(
            await store.queryScorecard(query(overrides), [...admitted]),
          );
        } finally {
          recorded.stop();
        }
        const read = pages(recorded.statements);
        // read leaving out bravo, the one denied, without naming the others
        expect(
          read.some(q => /\bNOT\b/i.test(q.sql) && !bindsAdmitted(q)),
        ).toBe(true);
        // the copy, a list the store does not know, is named
        expect(read.some(bindsAdmitted)).toBe(true);
      }
      // more denied than admitted: the admitted are named
      const few = admittedFrom([judged[0]], judged);
      const statements = await statementsOf(knex, async () => {
        await store.queryScorecard(query(), few);
      });
      expect(pages(statements).map(q => /\bNOT\b/i.test(q.sql))).toEqual([
        false,
      ]);
      expect(pages(statements).filter(namesEntities)).toHaveLength(1);
    });

    it('never shows an entity judged since the list was read: the catalog was not asked about it', async () => {
      const other = await DatabaseBackupStore.create({ knex });
      const judged = await store.listSnapshotRefs();
      // another replica judges a new entity, in the payments system and failing
      await other.saveVerdicts([
        {
          ...snapshotOf({
            name: 'zulu',
            level: 'non-compliant',
            score: 0,
            failing: ['vault-lock'],
          }),
          evaluatedAt: '2026-03-15T13:00:00.000Z',
        },
      ]);
      const admitted = admittedFrom(
        judged.filter(ref => !ref.endsWith('/bravo')),
        judged,
      );
      for (const [overrides, visible] of QUERIES.flatMap(q => [
        [q, judged] as const,
        [q, admitted] as const,
      ])) {
        const result = await store.queryScorecard(query(overrides), visible);
        expect(result.items.map(r => r.entityRef)).not.toContain(
          'component:default/zulu',
        );
        expect(result.totalEntities).toBe(visible.length);
        expect(
          result.groups?.reduce((n, g) => n + g.entities, 0) ?? 0,
        ).toBeLessThanOrEqual(6);
      }
      const searched = await store.queryScorecard(query({ q: 'zulu' }), judged);
      expect(searched).toMatchObject({ items: [], total: 0 });
      // the list read again has it: shown to whom the catalog admits it
      const now = await store.listSnapshotRefs();
      expect(now).toContain('component:default/zulu');
      expect(
        (await store.queryScorecard(query({ q: 'zulu' }), now)).items,
      ).toHaveLength(1);
    });
  },
);

describe.each(databases.eachSupportedId())(
  "the scorecard's history on %s",
  databaseId => {
    it('lists the entities judged, and those with history, once until they change: the same list while kept', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      const other = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
      const recorded = recording(knex);
      const listings = () =>
        recorded.count(
          /select .*entity_ref.* from .(scorecard_rows|entity_history)/i,
        );
      try {
        const judged = await store.listSnapshotRefs();
        expect(judged).toHaveLength(6);
        const withHistory = await store.listHistoryRefs('2026-03-01');
        expect(withHistory).toEqual(judged);
        expect(await store.listSnapshotRefs()).toBe(judged);
        expect(await store.listHistoryRefs('2026-03-01')).toBe(withHistory);
        expect(listings()).toBe(2);
        // another replica judges a new entity: both lists are read again, with it
        await other.saveVerdicts([
          {
            ...snapshotOf({ name: 'zulu', level: 'compliant', score: 100 }),
            evaluatedAt: '2026-03-15T13:00:00.000Z',
          },
        ]);
        expect(await store.listSnapshotRefs()).toEqual([
          ...judged,
          'component:default/zulu',
        ]);
        expect(await store.listHistoryRefs('2026-03-01')).toContain(
          'component:default/zulu',
        );
        expect(listings()).toBe(4);
      } finally {
        recorded.stop();
      }
    });

    it('reads the days again only once the history changed, written by this replica or another, and keeps only the newest', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      const other = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
      const recorded = recording(knex);
      const readings = () => recorded.count(/entity_history.*group by/i);
      const history = async (
        visible: 'all' | string[] = 'all',
        since = '2026-03-01',
      ) =>
        (await store.historySummary(since, visible)).map(d => [
          d.day,
          d.levels.compliant ?? 0,
          d.entities,
        ]);
      try {
        const before = [['2026-03-15', 1, 6]];
        expect(await history()).toEqual(before);
        expect(await history()).toEqual(before);
        expect(readings()).toBe(1);
        // a caller's own subset is read for it, and kept for the same entities
        expect(await history(['component:default/alpha'])).toEqual([
          ['2026-03-15', 1, 1],
        ]);
        expect(await history(['component:default/alpha'])).toEqual([
          ['2026-03-15', 1, 1],
        ]);
        expect(readings()).toBe(2);
        // not for others: another caller's subset is its own
        expect(
          await history(['component:default/alpha', 'component:default/bravo']),
        ).toEqual([['2026-03-15', 1, 2]]);
        expect(readings()).toBe(3);

        // the other replica judges bravo again the next day: compliant now
        await other.saveVerdicts([
          {
            ...snapshotOf({ name: 'bravo', level: 'compliant', score: 100 }),
            evaluatedAt: '2026-03-16T08:00:00.000Z',
          },
        ]);
        const after = [...before, ['2026-03-16', 1, 1]];
        expect(await history()).toEqual(after);
        expect(await history()).toEqual(after);
        expect(readings()).toBe(4);
        // and a subset's is read again too
        expect(await history(['component:default/bravo'])).toEqual([
          ['2026-03-15', 0, 1],
          ['2026-03-16', 1, 1],
        ]);
        expect(readings()).toBe(5);

        // days asked since many starts are kept until the history changes, then let go
        const kept = (store as any).keptAnswers as Map<string, unknown>;
        for (let day = 1; day <= 9; day++) {
          await history('all', `2026-02-0${day}`);
        }
        // (and bravo's own)
        expect(
          [...kept.keys()].filter(k => k.startsWith('history:')),
        ).toHaveLength(11);
        await other.finishEvaluation(new Date('2026-03-16T08:00:00.000Z'), 400);
        expect(await history()).toEqual(after);
        expect([...kept.keys()].filter(k => k.startsWith('history:'))).toEqual([
          'history:2026-03-01',
        ]);
      } finally {
        recorded.stop();
      }
    });

    it('sums a day whose evaluation ended from the sums kept with its head, a day written since from its rows, the same as every row would', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      const other = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store); // the 15th, ended
      const since = '2026-03-01';
      const everyone = FIXTURES.map(f => `component:default/${f.name}`);
      // the days whose rows the history of every entity summed, as its statements named them
      const summedFromRows = async () => {
        const statements = await statementsOf(knex, async () => {
          expect(await store.historySummary(since, 'all')).toEqual(
            // named, the entities are summed from their rows, every day
            await other.historySummary(since, everyone),
          );
        });
        return statements
          .filter(q => /entity_history.*group by/i.test(q.sql))
          .flatMap(q => q.bindings)
          .filter(b => ['2026-03-15', '2026-03-16'].includes(String(b)));
      };
      expect(await summedFromRows()).toEqual([]);

      // bravo judged again on the 15th after the evaluation ended: that day from its rows
      await other.saveVerdicts([
        {
          ...snapshotOf({ name: 'bravo', level: 'compliant', score: 100 }),
          evaluatedAt: '2026-03-15T18:00:00.000Z',
        },
      ]);
      expect(await summedFromRows()).toEqual(['2026-03-15']);
      expect(
        (await store.historySummary(since, 'all'))[0].levels.compliant,
      ).toBe(2);

      // the next day's evaluation ends: it heads the 15th again, both from their sums
      await other.saveEvaluation(
        [
          {
            ...snapshotOf({ name: 'alpha', level: 'at-risk', score: 80 }),
            evaluatedAt: '2026-03-16T08:00:00.000Z',
          },
        ],
        400,
      );
      expect(await summedFromRows()).toEqual([]);
      expect(
        (await store.historySummary(since, 'all')).map(d => [
          d.day,
          d.entities,
          d.averageScore,
        ]),
      ).toEqual([
        // (100 + 100 + 80 + 70) / 4
        ['2026-03-15', 6, 88],
        ['2026-03-16', 1, 80],
      ]);

      // the 15th past the days kept: its rows and its head gone, summed from no rows
      await other.finishEvaluation(new Date('2026-03-16T08:00:00.000Z'), 0);
      expect(await summedFromRows()).toEqual(['2026-03-15']);
      expect(
        (await store.historySummary(since, 'all')).map(d => d.day),
      ).toEqual(['2026-03-16']);

      // a verdict dated 20 years ahead (a replica's clock gone wrong): not 7 000 days named,
      // every row since read but the 16th's, summed
      await other.saveVerdicts([
        {
          ...snapshotOf({ name: 'charlie', level: 'at-risk', score: 80 }),
          evaluatedAt: '2046-03-16T08:00:00.000Z',
        },
      ]);
      const statements = await statementsOf(knex, async () => {
        expect(
          (await store.historySummary(since, 'all')).map(d => [
            d.day,
            d.entities,
          ]),
        ).toEqual([
          ['2026-03-16', 1],
          ['2046-03-16', 1],
        ]);
      });
      const sums = statements.filter(q =>
        /entity_history.*group by/i.test(q.sql),
      );
      expect(sums).toHaveLength(1);
      expect(sums[0].bindings).toEqual([since, '2026-03-16']);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the scorecard from SQL on %s',
  databaseId => {
    let store: DatabaseBackupStore;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
    });

    const names = async (
      overrides: Partial<ScorecardQuery> = {},
      visible: 'all' | string[] = 'all',
    ) =>
      (await store.queryScorecard(query(overrides), visible)).items.map(
        r => r.entityRef.split('/')[1],
      );

    it('puts failures first by default, then misconfigured, unknown, at-risk, compliant', async () => {
      expect(await names()).toEqual([
        'bravo',
        'foxtrot',
        'delta',
        'echo',
        'charlie',
        'alpha',
      ]);
    });

    it.each<[string, Partial<ScorecardQuery>, string[]]>([
      ['by level', { level: ['at-risk', 'compliant'] }, ['charlie', 'alpha']],
      ['by failing check', { check: 'vault-lock' }, ['bravo']],
      [
        'by a check that fails only where it does not apply',
        { check: 'encrypted' },
        ['foxtrot'],
      ],
      ['by owner', { owner: 'group:default/rewards' }, ['bravo']],
      [
        'by text in the title, case-insensitively',
        { q: 'ledger' },
        ['foxtrot'],
      ],
      ['by text in the system', { q: 'rewards' }, ['bravo']],
      ['by text in the entity ref', { q: 'echo' }, ['echo']],
      ['by text with % and _ taken literally', { q: '100%_' }, ['foxtrot']],
      ['by a % that is not in any text', { q: 'a%o' }, []],
      [
        'by several filters at once',
        { level: ['non-compliant'], check: 'encrypted' },
        ['foxtrot'],
      ],
    ])('filters %s', async (_name, filters, expected) => {
      expect(await names(filters)).toEqual(expected);
    });

    it.each<[ScorecardQuery['sort'], ScorecardQuery['order'], string[]]>([
      [
        'score',
        'asc',
        ['delta', 'echo', 'bravo', 'foxtrot', 'charlie', 'alpha'],
      ],
      [
        'score',
        'desc',
        ['alpha', 'charlie', 'foxtrot', 'bravo', 'delta', 'echo'],
      ],
      [
        'entity',
        'desc',
        ['foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'alpha'],
      ],
      [
        'owner',
        'asc',
        ['delta', 'alpha', 'charlie', 'echo', 'foxtrot', 'bravo'],
      ],
      [
        'level',
        'desc',
        ['alpha', 'charlie', 'echo', 'delta', 'bravo', 'foxtrot'],
      ],
    ])('sorts by %s %s, ties by entity', async (sort, order, expected) => {
      expect(await names({ sort, order })).toEqual(expected);
    });

    it.each<[ScorecardQuery['sort'], string | undefined]>([
      ['level', undefined],
      ['score', undefined],
      ['owner', undefined],
      ['entity', undefined],
      ['level', EVALUATED_AT.slice(0, 10)],
    ])(
      'reads a page sorted by %s (as of %s) in index order, without sorting the rows',
      async (sort, day) => {
        const plans = await pagePlansOf(knex, async () => {
          await store.queryScorecard(query({ sort, order: 'asc' }), 'all', day);
        });
        expect(plans).toHaveLength(1);
        const [plan] = plans;
        // the plan reads an index; without one in the page's order it sorts
        expect(plan).toMatch(/index/i);
        expect(plan).not.toMatch(/sort|temp b-tree/i);
      },
    );

    it.each<[string | undefined]>([[undefined], [EVALUATED_AT.slice(0, 10)]])(
      'reads a page of the levels asked for, sorted by level (as of %s), in index order: a search over many stops at its page',
      async day => {
        const levels: ComplianceLevel[] = ['non-compliant', 'at-risk'];
        const plans = await pagePlansOf(knex, async () => {
          const { items } = await store.queryScorecard(
            query({ level: levels, q: 'o' }),
            'all',
            day,
          );
          expect(items.map(i => i.entityRef.split('/')[1])).toEqual([
            'bravo',
            'foxtrot',
            'charlie',
          ]);
        });
        expect(plans).toHaveLength(1);
        const [plan] = plans;
        expect(plan).toMatch(/index/i);
        expect(plan).not.toMatch(/sort|temp b-tree/i);
      },
    );

    it('sorts the same with the indexes before those, once their migration is undone', async () => {
      await withMigrationUndone(
        knex,
        '20261204010000_scorecard_sort_indexes.js',
        async () => {
          expect(await names({ sort: 'score', order: 'asc' })).toEqual([
            'delta',
            'echo',
            'bravo',
            'foxtrot',
            'charlie',
            'alpha',
          ]);
        },
      );
      expect(await names({ sort: 'owner', order: 'asc' })).toEqual([
        'delta',
        'alpha',
        'charlie',
        'echo',
        'foxtrot',
        'bravo',
      ]);
    });

    // SQLite runs the statements in the backend's thread: there the text searched for is
    // tested in the index the page is read in, not in every row of the levels asked for.
    // PostgreSQL reads the page in its index by level, without the text.
    it('tests the text searched for in the index the page is read in on SQLite, and finds the same once its migration is undone', async () => {
      const inOrder =
        databaseId === 'SQLITE_3'
          ? /scorecard_rows_level_search/
          : /scorecard_rows_level_order/;
      const search = async () => {
        const plans = await pagePlansOf(knex, async () => {
          expect(
            await names({ level: ['non-compliant', 'at-risk'], q: 'ledger' }),
          ).toEqual(['foxtrot']);
          expect(await names({ q: 'o', pageSize: 2 })).toEqual([
            'bravo',
            'foxtrot',
          ]);
        });
        expect(plans).toHaveLength(2);
        return plans;
      };
      for (const plan of await search()) {
        expect(plan).toMatch(inOrder);
        expect(plan).not.toMatch(/sort|temp b-tree/i);
      }
      await withMigrationUndone(
        knex,
        '20261205000000_scorecard_search_in_order.js',
        async () => {
          for (const plan of await search()) {
            expect(plan).not.toMatch(/scorecard_rows_level_search/);
          }
        },
      );
    });

    it('pages, and counts every visible verdict before the filters', async () => {
      const result = await store.queryScorecard(
        query({ level: ['non-compliant', 'compliant'], page: 2, pageSize: 2 }),
        'all',
      );
      expect(result).toMatchObject({
        totalEntities: 6,
        total: 3,
        levels: FIXTURE_LEVELS,
        failingChecks: FIXTURE_FAILING,
      });
      expect(result.items.map(r => r.entityRef)).toEqual([
        'component:default/alpha',
      ]);
      expect(result.items[0]).toEqual({
        entityRef: 'component:default/alpha',
        title: 'alpha',
        owner: 'group:default/payments',
        system: 'payments',
        domain: 'finance',
        lifecycle: 'production',
        policies: ['transactions-db'],
        level: 'compliant',
        score: 100,
        failingChecks: [],
        statuses: { 'restore-tested': 'pass' },
        evaluatedAt: EVALUATED_AT,
      });
    });

    it.each<[string, Partial<ScorecardQuery>, number]>([
      ['nothing', {}, 6],
      ['level', { level: ['at-risk', 'unknown'] }, 2],
      ['no level', { level: [] }, 0],
      ['owner', { owner: 'group:default/rewards' }, 1],
      ['no owner', { owner: [] }, 0],
      ['failing check', { check: 'encrypted' }, 1],
      ['text', { q: 'ledger' }, 1],
      ['level and text', { level: ['non-compliant'], q: 'bravo' }, 1],
    ])(
      'counts what a filter by %s keeps, as many as it lists',
      async (_, filter, expected) => {
        const result = await store.queryScorecard(query(filter), 'all');
        expect(result.items).toHaveLength(expected);
        expect(result.total).toBe(expected);
      },
    );

    it('counts the filtered rows only when a page does not end the list', async () => {
      const recorded = recording(knex);
      const countings = () => recorded.count(/count\(\*\) as .total./i);
      const owner = 'group:default/payments'; // alpha, charlie, echo, foxtrot
      const ask = async (page: number, pageSize: number) => {
        const result = await store.queryScorecard(
          query({ owner, page, pageSize }),
          'all',
        );
        return { items: result.items.length, total: result.total };
      };
      try {
        // a full page: what follows is counted
        expect(await ask(1, 2)).toEqual({ items: 2, total: 4 });
        expect(countings()).toBe(1);
        // a page that ends the list, first or not: no count
        expect(await ask(2, 3)).toEqual({ items: 1, total: 4 });
        expect(await ask(1, 50)).toEqual({ items: 4, total: 4 });
        expect(countings()).toBe(1);
        // past the end: the count, kept for the filter until the verdicts change
        expect(await ask(5, 2)).toEqual({ items: 0, total: 4 });
        expect(countings()).toBe(1);
      } finally {
        recorded.stop();
      }
    });

    it('answers all the rows when asked for all (the export)', async () => {
      const result = await store.queryScorecard(
        { ...query({ pageSize: 1 }), all: true },
        'all',
      );
      expect(result.items).toHaveLength(6);
    });

    it('counts, lists and groups only the entities the caller may see', async () => {
      const visible = ['component:default/bravo', 'component:default/alpha'];
      const result = await store.queryScorecard(
        query({ groupBy: 'owner' }),
        visible,
      );
      expect(result.items.map(r => r.entityRef)).toEqual([
        'component:default/bravo',
        'component:default/alpha',
      ]);
      expect(result).toMatchObject({
        totalEntities: 2,
        total: 2,
        levels: { 'non-compliant': 1, compliant: 1 },
        failingChecks: { 'vault-lock': 1 },
      });
      expect(result.groups?.map(g => g.key)).toEqual([
        'group:default/payments',
        'group:default/rewards',
      ]);
      expect((await store.queryScorecard(query(), [])).totalEntities).toBe(0);
    });

    it('counts levels and averages the scores of each group of the filtered rows, sorted by key', async () => {
      const result = await store.queryScorecard(
        query({
          groupBy: 'owner',
          level: ['compliant', 'non-compliant', 'misconfigured', 'unknown'],
        }),
        'all',
      );
      expect(result.groups).toEqual([
        {
          key: '(none)',
          entities: 1,
          levels: { misconfigured: 1 },
          averageScore: null,
        },
        {
          key: 'group:default/payments',
          entities: 3,
          levels: { compliant: 1, 'non-compliant': 1, unknown: 1 },
          // (100 + 70) / 2; the unscored entity is left out
          averageScore: 85,
        },
        {
          key: 'group:default/rewards',
          entities: 1,
          levels: { 'non-compliant': 1 },
          averageScore: 40,
        },
      ]);
      const bySystem = await store.queryScorecard(
        query({ groupBy: 'system' }),
        'all',
      );
      expect(bySystem.groups?.map(g => [g.key, g.entities])).toEqual([
        ['payments', 5],
        ['rewards', 1],
      ]);
    });

    it('sums each day of history over the visible entities', async () => {
      expect(await store.historySummary('2026-03-01', 'all')).toEqual([
        {
          day: '2026-03-15',
          entities: 6,
          levels: {
            compliant: 1,
            'non-compliant': 2,
            'at-risk': 1,
            misconfigured: 1,
            unknown: 1,
          },
          // (100 + 40 + 80 + 70) / 4
          averageScore: 73,
        },
      ]);
      expect(
        await store.historySummary('2026-03-01', ['component:default/bravo']),
      ).toEqual([
        {
          day: '2026-03-15',
          entities: 1,
          levels: { 'non-compliant': 1 },
          averageScore: 40,
        },
      ]);
      expect(await store.historySummary('2026-03-16', 'all')).toEqual([]);
      expect(await store.listHistoryRefs('2026-03-01')).toHaveLength(6);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'an evaluation stored in batches on %s',
  databaseId => {
    it('replaces the verdicts batch by batch, then drops those of entities it did not judge', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      await judgeFixtures(store);
      const later = (f: Fixture) => ({
        ...snapshotOf(f),
        evaluatedAt: '2026-03-16T12:00:00.000Z',
      });
      // the next evaluation judges alpha, then bravo (now compliant); the others left
      await store.saveVerdicts([later(FIXTURES[0])]);
      const midway = await store.queryScorecard(parseScorecardQuery({}), 'all');
      expect(midway.totalEntities).toBe(6);
      await store.saveVerdicts([
        later({ name: 'bravo', catalog: { owner: 'group:default/rewards' } }),
      ]);
      await store.finishEvaluation(new Date('2026-03-16T12:00:00.000Z'), 400);
      const result = await store.queryScorecard(parseScorecardQuery({}), 'all');
      expect(result).toMatchObject({
        totalEntities: 2,
        levels: { compliant: 2 },
        failingChecks: {},
      });
      expect(
        result.items.map(r => [r.entityRef, r.owner, r.evaluatedAt]),
      ).toEqual([
        [
          'component:default/alpha',
          'group:default/payments',
          '2026-03-16T12:00:00.000Z',
        ],
        [
          'component:default/bravo',
          'group:default/rewards',
          '2026-03-16T12:00:00.000Z',
        ],
      ]);
      expect(await store.getSnapshot('component:default/foxtrot')).toBe(
        undefined,
      );
      // both days stay in the history
      expect(
        (await store.historySummary('2026-03-01', 'all')).map(d => [
          d.day,
          d.entities,
        ]),
      ).toEqual([
        ['2026-03-15', 6],
        ['2026-03-16', 2],
      ]);
    });

    it('stores a batch larger than one INSERT takes, every row of every table', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      // 1 200 verdicts failing 9 checks each: 10 800 failing checks, two columns each,
      // past both databases' rows and parameters per statement
      const checks = Array.from({ length: 9 }, (_, i) => `check-${i}`);
      const many = Array.from({ length: 1_200 }, (_, i) => ({
        name: `svc-${String(i).padStart(4, '0')}`,
        level: 'non-compliant' as const,
        score: i % 100,
        failing: checks,
      }));
      await store.replaceEntities(
        many.map(f => ({
          entityRef: `component:default/${f.name}`,
          catalog: catalogOf(f),
        })),
        many.map(f => ({
          entityRef: `component:default/${f.name}`,
          accountId: '111111111111',
          region: 'eu-central-1',
          resourceArn: `arn:aws:s3:::${f.name}`,
        })),
      );
      await store.saveEvaluation(many.map(snapshotOf), 400);

      const result = await store.queryScorecard(
        parseScorecardQuery({ pageSize: '1' }),
        'all',
      );
      expect(result.totalEntities).toBe(1_200);
      expect(result.failingChecks).toEqual(
        Object.fromEntries(checks.map(c => [c, 1_200])),
      );
      expect(
        (
          await store.queryScorecard(
            parseScorecardQuery({ check: 'check-8' }),
            'all',
          )
        ).total,
      ).toBe(1_200);
      expect(await store.listEntityResources()).toHaveLength(1_200);
      const [{ n: days }] = await knex('failing_check_days').count({ n: '*' });
      expect(Number(days)).toBe(10_800);
      const [{ n: history }] = await knex('entity_history').count({ n: '*' });
      expect(Number(history)).toBe(1_200);
      expect(
        (await store.getSnapshot('component:default/svc-1199'))?.score,
      ).toBe(99);
    });
  },
);

describe.each(databases.eachSupportedId())(
  "an entity's verdict read with its opt-in on %s",
  databaseId => {
    it('reads the verdict of an entity that opted in, as of a day too, and says when it did not opt in', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({ knex });
      const [alpha, bravo, charlie] = FIXTURES;
      const ref = (f: Fixture) => `component:default/${f.name}`;
      const optIn = (fixtures: Fixture[]) =>
        store.replaceEntities(
          fixtures.map(f => ({ entityRef: ref(f), catalog: catalogOf(f) })),
          [],
        );
      await optIn([alpha, bravo]);
      await store.saveEvaluation([snapshotOf(alpha), snapshotOf(bravo)], 400);
      // the next day alpha is judged again; bravo has left and charlie opted in since
      await store.saveVerdicts([
        { ...snapshotOf(alpha), evaluatedAt: '2026-03-16T12:00:00.000Z' },
      ]);
      await store.finishEvaluation(new Date('2026-03-16T12:00:00.000Z'), 400);
      await optIn([alpha, charlie]);

      const read = async (f: Fixture, day?: string) => {
        const { optedIn, gzipped } = await store.getOptedInSnapshotGzip(
          ref(f),
          day,
        );
        return {
          optedIn,
          evaluatedAt:
            gzipped &&
            (JSON.parse(gunzipSync(gzipped).toString('utf8'))
              .evaluatedAt as string),
        };
      };
      expect(await read(alpha)).toEqual({
        optedIn: true,
        evaluatedAt: '2026-03-16T12:00:00.000Z',
      });
      expect(await read(alpha, '2026-03-15')).toEqual({
        optedIn: true,
        evaluatedAt: EVALUATED_AT,
      });
      expect(await read(alpha, '2026-03-14')).toEqual({
        optedIn: true,
        evaluatedAt: undefined,
      });
      expect(await read(charlie)).toEqual({
        optedIn: true,
        evaluatedAt: undefined,
      });
      // bravo's verdict of the 15th stays in the history, read without the opt-in
      expect(await read(bravo, '2026-03-15')).toEqual({
        optedIn: false,
        evaluatedAt: undefined,
      });
      expect(
        await store.getSnapshotGzip(ref(bravo), '2026-03-15'),
      ).toBeInstanceOf(Buffer);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the scorecard columns migration on %s',
  databaseId => {
    it('fills in the columns of the verdicts stored before it', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@backup-compliance/backstage-plugin-backend',
        'migrations',
      );
      await knex.migrate.up({
        directory,
        name: '20261126000000_collection.js',
      });
      for (const name of [
        '20261126010000_compliance.js',
        '20261126020000_snapshot_rows.js',
        '20261202000000_cycles_and_requests.js',
      ]) {
        await knex.migrate.up({ directory, name });
      }
      const [bravo] = FIXTURES.filter(f => f.name === 'bravo');
      const snapshot = snapshotOf(bravo);
      await knex('entities').insert({
        entity_ref: snapshot.entityRef,
        catalog: JSON.stringify(catalogOf(bravo)),
        updated_at: new Date(EVALUATED_AT),
      });
      await knex('entity_snapshots').insert({
        entity_ref: snapshot.entityRef,
        evaluated_at: new Date(EVALUATED_AT),
        level: snapshot.level,
        score: snapshot.score,
        snapshot: JSON.stringify(snapshot),
        scorecard_row: JSON.stringify(verdictRowOf(snapshot)),
      });

      const store = await DatabaseBackupStore.create({ knex });
      const result = await store.queryScorecard(
        parseScorecardQuery({ groupBy: 'system', q: 'rewards' }),
        'all',
      );
      expect(result).toMatchObject({
        total: 1,
        failingChecks: { 'vault-lock': 1 },
        groups: [{ key: 'rewards', entities: 1 }],
        items: [
          {
            entityRef: 'component:default/bravo',
            owner: 'group:default/rewards',
            failingChecks: ['vault-lock'],
          },
        ],
      });
      // the newer migrations first, then this one
      await knex.migrate.down({
        directory,
        name: '20261203010000_organization.js',
      });
      expect(await knex.schema.hasTable('organization_policies')).toBe(false);
      await knex.migrate.down({ directory, name: '20261203000000_shards.js' });
      expect(await knex.schema.hasTable('collection_shards')).toBe(false);
      await knex.migrate.down({
        directory,
        name: '20261202010000_scorecard_columns.js',
      });
      expect(await knex.schema.hasTable('entity_failing_checks')).toBe(false);
      expect(await knex.schema.hasTable('scorecard_rows')).toBe(false);
    });
  },
);
