import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  CheckResult,
  ComplianceLevel,
} from '@backup-compliance/backstage-plugin-common';
import { createHash } from 'node:crypto';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import { parseScorecardQuery } from '../service/scorecard';
import { DatabaseBackupStore } from './DatabaseBackupStore';
import { dayHead, GENESIS, rowHash } from './historyChain';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const verdict = (
  name: string,
  day: string,
  level: ComplianceLevel,
  failing: string[] = [],
): EntityComplianceSnapshot => ({
  entityRef: `component:default/${name}`,
  evaluatedAt: `${day}T12:00:00.000Z`,
  level,
  score: level === 'compliant' ? 100 : 60,
  policies: ['default'],
  problems: [],
  resources: [],
  staleAccountRegions: [],
  checks: failing.map(checkId => ({ checkId, status: 'fail' } as CheckResult)),
});

/** Three days of two entities, as three daily evaluations store them. */
async function threeDays(store: DatabaseBackupStore) {
  const days: Array<[string, EntityComplianceSnapshot[]]> = [
    [
      '2026-11-01',
      [
        verdict('ledger', '2026-11-01', 'compliant'),
        verdict('cards', '2026-11-01', 'non-compliant', ['vault-lock']),
      ],
    ],
    [
      '2026-11-02',
      [
        verdict('ledger', '2026-11-02', 'compliant'),
        verdict('cards', '2026-11-02', 'non-compliant', ['vault-lock']),
      ],
    ],
    [
      '2026-11-03',
      [
        verdict('ledger', '2026-11-03', 'at-risk'),
        verdict('cards', '2026-11-03', 'compliant'),
      ],
    ],
  ];
  for (const [day, snapshots] of days) {
    await store.saveVerdicts(snapshots);
    await store.finishEvaluation(new Date(`${day}T12:00:00.000Z`), 400);
  }
}

describe('the hash chain', () => {
  it('hashes a row over the previous hash and its content, so a changed field or a changed predecessor changes it', () => {
    const row = {
      entityRef: 'component:default/ledger',
      day: '2026-11-01',
      level: 'compliant',
      score: 100,
      failingChecks: '[]',
      evaluatedAt: '2026-11-01T12:00:00.000Z',
    };
    const hash = rowHash(GENESIS, row);
    // recomputable by anyone from the documented form
    expect(hash).toBe(
      createHash('sha256')
        .update(
          `${GENESIS}\n["component:default/ledger","2026-11-01","compliant",100,"[]","2026-11-01T12:00:00.000Z"]`,
        )
        .digest('hex'),
    );
    expect(rowHash(GENESIS, { ...row, level: 'at-risk' })).not.toBe(hash);
    expect(rowHash('1'.repeat(64), row)).not.toBe(hash);
    // a day's head does not depend on the order rows are read in
    const rows = [
      { entityRef: 'b', hash: '2' },
      { entityRef: 'a', hash: '1' },
    ];
    expect(dayHead(GENESIS, rows)).toBe(dayHead(GENESIS, [...rows].reverse()));
  });
});

describe.each(databases.eachSupportedId())(
  'the history chain on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      return { knex, store: await DatabaseBackupStore.create({ knex }) };
    }

    it('chains each entity day by day, with a head per day, and verifies', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      // the same day evaluated again: today's row and head are rewritten, still chained
      await store.saveVerdicts([verdict('ledger', '2026-11-03', 'compliant')]);
      await store.finishEvaluation(new Date('2026-11-03T12:00:00.000Z'), 400);

      const ledger = await knex('entity_history')
        .where({ entity_ref: 'component:default/ledger' })
        .orderBy('day');
      expect(ledger.map(r => r.prev_hash)).toEqual([
        GENESIS,
        ledger[0].hash,
        ledger[1].hash,
      ]);
      expect(await store.verifyHistory()).toEqual({
        verified: true,
        rows: 6,
        entities: 2,
        unchainedRows: 0,
        heads: {
          days: 3,
          latest: {
            day: '2026-11-03',
            hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          },
        },
      });
      expect(await store.historyChainOf('component:default/ledger')).toEqual({
        entity: { day: '2026-11-03', hash: ledger[2].hash },
        head: { day: '2026-11-03', hash: expect.any(String) },
      });
    });

    it('says a day an evaluation is rewriting, or stopped rewriting midway, is open, not tampered with; the next evaluation heads it again and the days after it', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      const headOf = async (day: string) =>
        (await knex('history_heads').where({ day }).first()).hash;
      const before = await headOf('2026-11-03');
      const earlier = await headOf('2026-11-02');
      // a second evaluation of the last day writes its first batch, then stops
      await store.saveVerdicts([verdict('ledger', '2026-11-03', 'compliant')]);
      const midway = await store.verifyHistory();
      expect(midway).toMatchObject({
        verified: true,
        heads: {
          days: 3,
          latest: { day: '2026-11-03', hash: before },
          open: [
            {
              day: '2026-11-03',
              note: expect.stringContaining('has not ended'),
            },
          ],
        },
      });
      expect(midway.heads.firstMismatch).toBeUndefined();
      // the rows of an open day are still checked against their chains
      await knex('entity_history')
        .where({ entity_ref: 'component:default/cards', day: '2026-11-03' })
        .update({ level: 'non-compliant' });
      expect(await store.verifyHistory()).toMatchObject({
        verified: false,
        firstMismatch: {
          entityRef: 'component:default/cards',
          day: '2026-11-03',
          problem: expect.stringContaining('the row was edited'),
        },
      });
      await knex('entity_history')
        .where({ entity_ref: 'component:default/cards', day: '2026-11-03' })
        .update({ level: 'compliant' });

      // the next day's evaluation ends: the open day is headed again, over its rows as
      // they are, and the new day chains to that head
      await store.saveVerdicts([
        verdict('ledger', '2026-11-04', 'compliant'),
        verdict('cards', '2026-11-04', 'compliant'),
      ]);
      await store.finishEvaluation(new Date('2026-11-04T12:00:00.000Z'), 400);
      const after = await store.verifyHistory();
      expect(after).toEqual({
        verified: true,
        rows: 8,
        entities: 2,
        unchainedRows: 0,
        heads: {
          days: 4,
          latest: { day: '2026-11-04', hash: await headOf('2026-11-04') },
        },
      });
      const reheaded = await headOf('2026-11-03');
      expect(reheaded).not.toBe(before);
      expect(
        (await knex('history_heads').where({ day: '2026-11-04' }).first())
          .prev_hash,
      ).toBe(reheaded);
      // the days before the open one keep their heads
      expect(await headOf('2026-11-02')).toBe(earlier);
    });

    it('heads a day whose only evaluation stopped midway when the next evaluation ends, chained between its neighbours', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      const headOf = async (day: string) =>
        knex('history_heads').where({ day }).first();
      const earlier = await headOf('2026-11-03');
      // the 4th's only evaluation writes its rows, then stops; so does the 5th's
      for (const day of ['2026-11-04', '2026-11-05']) {
        await store.saveVerdicts([
          verdict('ledger', day, 'compliant'),
          verdict('cards', day, 'compliant'),
        ]);
      }
      expect(await headOf('2026-11-04')).toBeUndefined();
      // the 6th's ends: the 4th and 5th are headed, each after the one before
      await store.saveVerdicts([
        verdict('ledger', '2026-11-06', 'compliant'),
        verdict('cards', '2026-11-06', 'compliant'),
      ]);
      await store.finishEvaluation(new Date('2026-11-06T12:00:00.000Z'), 400);
      const heads = await knex('history_heads').orderBy('day');
      expect(heads.map(h => h.day)).toEqual([
        '2026-11-01',
        '2026-11-02',
        '2026-11-03',
        '2026-11-04',
        '2026-11-05',
        '2026-11-06',
      ]);
      expect(heads.slice(3).map(h => h.prev_hash)).toEqual(
        heads.slice(2, 5).map(h => h.hash),
      );
      expect(heads[3].level_sums).not.toBeNull();
      // the days before them keep their heads
      expect(await headOf('2026-11-03')).toEqual(earlier);
      expect(await store.verifyHistory()).toMatchObject({
        verified: true,
        rows: 12,
        heads: { days: 6 },
      });
      expect((await store.verifyHistory()).heads.open).toBeUndefined();
      // a row of a day headed so is found edited
      await knex('entity_history')
        .where({ entity_ref: 'component:default/cards', day: '2026-11-04' })
        .update({ level: 'non-compliant' });
      expect((await store.verifyHistory()).verified).toBe(false);
    });

    it('still finds a head changed in the database when its day is not being rewritten', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      await knex('history_heads')
        .where({ day: '2026-11-02' })
        .update({ hash: 'e'.repeat(64) });
      const result = await store.verifyHistory();
      expect(result.verified).toBe(false);
      expect(result.heads.open).toBeUndefined();
      expect(result.heads.firstMismatch).toEqual({
        day: '2026-11-02',
        problem: expect.stringContaining('no longer give its head'),
      });
    });

    it("chains a row to its entity's newest day before it, across days it was not judged, and a new entity to the genesis", async () => {
      const { knex, store } = await createStore();
      // a year of days for the ledger, one in three judged
      const days = Array.from({ length: 120 }, (_, i) =>
        new Date(Date.UTC(2025, 10, 1 + 3 * i)).toISOString().slice(0, 10),
      );
      for (const day of days) {
        await store.saveVerdicts([verdict('ledger', day, 'compliant')]);
        await store.finishEvaluation(new Date(`${day}T12:00:00.000Z`), 400);
      }
      const next = '2026-11-03';
      await store.saveVerdicts([
        verdict('ledger', next, 'at-risk'),
        verdict('cards', next, 'compliant'),
      ]);
      await store.finishEvaluation(new Date(`${next}T12:00:00.000Z`), 400);
      const rowOf = (name: string, day: string) =>
        knex('entity_history')
          .where({ entity_ref: `component:default/${name}`, day })
          .first();
      const newest = await rowOf('ledger', days.at(-1)!);
      expect(days.at(-1)! < next).toBe(true);
      expect((await rowOf('ledger', next)).prev_hash).toBe(newest.hash);
      expect((await rowOf('cards', next)).prev_hash).toBe(GENESIS);
      expect(await store.verifyHistory()).toMatchObject({
        verified: true,
        rows: days.length + 2,
        entities: 2,
      });
    });

    it('finds a row edited in the database, and names it', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      // someone turns the cards' non-compliant day into a compliant one
      await knex('entity_history')
        .where({ entity_ref: 'component:default/cards', day: '2026-11-02' })
        .update({ level: 'compliant', failing_checks: '[]' });
      const result = await store.verifyHistory();
      expect(result.verified).toBe(false);
      expect(result.firstMismatch).toEqual({
        entityRef: 'component:default/cards',
        day: '2026-11-02',
        problem: expect.stringContaining('the row was edited'),
      });
      // the heads cover the row hashes, which the edit left as they were
      expect(result.heads.firstMismatch).toBeUndefined();
    });

    it('finds a row whose hash was recomputed to hide an edit: the next row no longer links to it', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      const [row] = await knex('entity_history').where({
        entity_ref: 'component:default/cards',
        day: '2026-11-02',
      });
      const forged = rowHash(row.prev_hash, {
        entityRef: row.entity_ref,
        day: row.day,
        level: 'compliant',
        score: Number(row.score),
        failingChecks: '[]',
        evaluatedAt: new Date(row.evaluated_at).toISOString(),
      });
      await knex('entity_history')
        .where({ entity_ref: row.entity_ref, day: row.day })
        .update({ level: 'compliant', failing_checks: '[]', hash: forged });
      const result = await store.verifyHistory();
      expect(result.firstMismatch).toEqual({
        entityRef: 'component:default/cards',
        day: '2026-11-03',
        problem: expect.stringContaining('is not the hash of the entity'),
      });
      // and the day's head, over the row hashes, no longer matches
      expect(result.heads.firstMismatch).toEqual({
        day: '2026-11-02',
        problem: expect.stringContaining('no longer give its head'),
      });
      expect(result.verified).toBe(false);
    });

    it('answers the scorecard, its counts and filters as of a past day', async () => {
      const { store } = await createStore();
      await threeDays(store);
      const query = (q: Record<string, string>, day?: string) =>
        store.queryScorecard(parseScorecardQuery(q), 'all', day);
      const then = await query({}, '2026-11-02');
      expect(then).toMatchObject({
        totalEntities: 2,
        levels: { compliant: 1, 'non-compliant': 1 },
        failingChecks: { 'vault-lock': 1 },
      });
      expect(
        then.items.map(i => [i.entityRef, i.level, i.evaluatedAt]),
      ).toEqual([
        [
          'component:default/cards',
          'non-compliant',
          '2026-11-02T12:00:00.000Z',
        ],
        ['component:default/ledger', 'compliant', '2026-11-02T12:00:00.000Z'],
      ]);
      expect(
        (await query({ check: 'vault-lock' }, '2026-11-02')).items.map(
          i => i.entityRef,
        ),
      ).toEqual(['component:default/cards']);
      // now: the cards recovered, the ledger is at risk
      expect(await query({})).toMatchObject({
        levels: { compliant: 1, 'at-risk': 1 },
        failingChecks: {},
      });
      expect((await query({ check: 'vault-lock' })).items).toEqual([]);
      expect(await store.scorecardRefsOf('2026-11-01')).toEqual([
        'component:default/cards',
        'component:default/ledger',
      ]);
    });

    it('finds a deleted row', async () => {
      const { knex, store } = await createStore();
      await threeDays(store);
      await knex('entity_history')
        .where({ entity_ref: 'component:default/ledger', day: '2026-11-02' })
        .delete();
      const result = await store.verifyHistory();
      expect(result.firstMismatch).toMatchObject({
        entityRef: 'component:default/ledger',
        day: '2026-11-03',
      });
    });
  },
);

describe.each(
  databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES')),
)('the history chain as years of days are kept, on %s', databaseId => {
  it('reads one row an entity, its newest, to chain a day to, however many days are kept', async () => {
    const knex = await databases.init(databaseId);
    const store = await DatabaseBackupStore.create({ knex });
    const names = Array.from({ length: 20 }, (_, i) => `service-${i}`);
    const days = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10),
    );
    await knex('entity_history').insert(
      days.flatMap(day =>
        names.map(name => ({
          entity_ref: `component:default/${name}`,
          day,
          level: 'compliant',
          score: 100,
          failing_checks: '[]',
          evaluated_at: new Date(`${day}T12:00:00.000Z`),
          prev_hash: GENESIS,
          hash: 'f'.repeat(64),
        })),
      ),
    );
    await knex.raw('ANALYZE entity_history');
    const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
    const capture = (q: { sql: string; bindings: readonly unknown[] }) =>
      statements.push(q);
    knex.on('query', capture);
    try {
      await store.saveVerdicts(
        names.map(name => verdict(name, '2026-11-05', 'compliant')),
      );
    } finally {
      knex.removeListener('query', capture);
    }
    const reads = statements.filter(
      q => /^select/i.test(q.sql) && /entity_history/.test(q.sql),
    );
    expect(reads).toHaveLength(1);
    const { rows } = await knex.raw(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${reads[0].sql.replace(/\$\d+/g, '?')}`,
      reads[0].bindings as any[],
    );
    // the rows every step reading entity_history read, over all its loops
    let read = 0;
    const walk = (node: Record<string, any>) => {
      if (node['Relation Name'] === 'entity_history') {
        read += node['Actual Rows'] * node['Actual Loops'];
      }
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    expect(read).toBe(names.length);
    // and each chained to its newest day
    const chained = await knex('entity_history').where({ day: '2026-11-05' });
    expect(chained.map(r => r.prev_hash)).toEqual(
      names.map(() => 'f'.repeat(64)),
    );
  });
});
