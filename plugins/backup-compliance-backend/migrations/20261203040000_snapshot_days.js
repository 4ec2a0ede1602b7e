// @ts-check

/**
 * Each entity's verdict as it was on each day (the day's last evaluation), compressed:
 * what answers "as of" a past day (an entity's verdict with its checks and facts, the
 * register) for as long as the history is kept.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('entity_snapshot_days', table => {
    table.comment(
      'One row per entity per day: its verdict of that day, gzipped JSON',
    );
    table.string('entity_ref').notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.binary('snapshot').notNullable().comment('gzip of the verdict JSON');
    table.primary(['entity_ref', 'day']);
    table.index('day');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('entity_snapshot_days');
};
