// @ts-check

/**
 * Tamper-evident history: each entity's history rows form a chain (every row carries the
 * SHA-256 of its content and of the previous row's hash), and every day has a head over
 * all entities' rows of that day and the previous day's head. Rows written before this
 * migration start their entity's chain at their next write.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entity_history', table => {
    table
      .string('prev_hash', 64)
      .comment(
        'the hash of the previous row of the entity; 64 zeros for its first',
      );
    table
      .string('hash', 64)
      .comment(
        'SHA-256 of prev_hash and the row (entity, day, level, score, failing checks, time)',
      );
  });
  await knex.schema.createTable('history_heads', table => {
    table.comment(
      'One row per day: SHA-256 over the row hashes of that day and the head of the day before',
    );
    table.string('day', 10).primary().comment('YYYY-MM-DD (UTC)');
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable();
    table.integer('entities').notNullable();
    table.timestamp('computed_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('history_heads');
  await knex.schema.alterTable('entity_history', table => {
    table.dropColumn('prev_hash');
    table.dropColumn('hash');
  });
};
