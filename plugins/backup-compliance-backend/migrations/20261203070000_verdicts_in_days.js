// @ts-check

const { gzipSync, gunzipSync } = require('node:zlib');

/**
 * Each entity's current verdict is the row of `entity_snapshot_days` of the day of its
 * scorecard row, no longer a second, uncompressed copy in `entity_snapshots`: every
 * evaluation wrote each verdict twice, and the uncompressed copies were a third of the
 * database at 20 000 entities. `scorecard_rows` gains the day that points at the verdict.
 */
const PAGE = 200;

/** @param {Date | string | number} at */
const dayOf = at => new Date(at).toISOString().slice(0, 10);

/**
 * Calls `each` with the rows of `table`, `PAGE` at a time, in entity order.
 *
 * @param {import('knex').Knex} knex
 * @param {string} table
 * @param {string[]} columns
 * @param {(rows: any[]) => Promise<void>} each
 */
async function pages(knex, table, columns, each) {
  let after = '';
  for (;;) {
    const rows = await knex(table)
      .where('entity_ref', '>', after)
      .orderBy('entity_ref')
      .limit(PAGE)
      .select(columns);
    if (rows.length === 0) return;
    await each(rows);
    after = rows[rows.length - 1].entity_ref;
  }
}

/**
 * Sets the `day` of the scorecard rows of `rows`' entities to the day of each row's time.
 *
 * @param {import('knex').Knex} knex
 * @param {Array<{ entity_ref: string, evaluated_at: Date | string | number }>} rows
 */
async function pointAtDays(knex, rows) {
  /** @type {Map<string, string[]>} */
  const refsOfDay = new Map();
  for (const row of rows) {
    const day = dayOf(row.evaluated_at);
    refsOfDay.set(day, [...(refsOfDay.get(day) ?? []), row.entity_ref]);
  }
  for (const [day, refs] of refsOfDay) {
    await knex('scorecard_rows').whereIn('entity_ref', refs).update({ day });
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecard_rows', table => {
    table
      .string('day', 10)
      .comment(
        'YYYY-MM-DD (UTC): the row of entity_snapshot_days of this verdict',
      );
  });
  await knex.transaction(async trx => {
    await pages(
      trx,
      'scorecard_rows',
      ['entity_ref', 'evaluated_at'],
      async rows => pointAtDays(trx, rows),
    );
    // The current verdicts, in the day table: the same as its row of that day when
    // both were written by one evaluation, and authoritative when they differ. The
    // scorecard row points at the verdict's own day.
    await pages(
      trx,
      'entity_snapshots',
      ['entity_ref', 'evaluated_at', 'snapshot'],
      async rows => {
        await trx('entity_snapshot_days')
          .insert(
            rows.map(row => ({
              entity_ref: row.entity_ref,
              day: dayOf(row.evaluated_at),
              evaluated_at: new Date(row.evaluated_at),
              snapshot: gzipSync(row.snapshot, { level: 1 }),
            })),
          )
          .onConflict(['entity_ref', 'day'])
          .merge();
        await pointAtDays(trx, rows);
      },
    );
  });
  await knex.schema.dropTable('entity_snapshots');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.createTable('entity_snapshots', table => {
    table.comment('Latest compliance verdict per entity');
    table.string('entity_ref').primary();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.string('level').notNullable().index();
    table.integer('score');
    table
      .text('snapshot')
      .notNullable()
      .comment('JSON: EntityComplianceSnapshot');
    table
      .text('scorecard_row')
      .comment('JSON: policies, failing checks, status per check');
  });
  await knex.transaction(async trx => {
    await pages(
      trx,
      'scorecard_rows',
      ['entity_ref', 'day', 'level', 'score'],
      async rows => {
        const found = await trx('entity_snapshot_days')
          .whereIn(
            ['entity_ref', 'day'],
            rows.map(row => [row.entity_ref, row.day]),
          )
          .select('entity_ref', 'evaluated_at', 'snapshot');
        const verdictOf = new Map(found.map(row => [row.entity_ref, row]));
        const restored = rows.flatMap(row => {
          const verdict = verdictOf.get(row.entity_ref);
          return verdict
            ? [
                {
                  entity_ref: row.entity_ref,
                  evaluated_at: new Date(verdict.evaluated_at),
                  level: row.level,
                  score: row.score,
                  snapshot: gunzipSync(verdict.snapshot).toString('utf8'),
                },
              ]
            : [];
        });
        if (restored.length) await trx('entity_snapshots').insert(restored);
      },
    );
  });
  await knex.schema.alterTable('scorecard_rows', table => {
    table.dropColumn('day');
  });
};
