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
