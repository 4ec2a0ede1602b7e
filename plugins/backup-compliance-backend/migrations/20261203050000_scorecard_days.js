// @ts-check

/**
 * The scorecard of each day (each entity's last verdict of the day), with its failing
 * checks: what answers the scorecard, its counts, groups and export "as of" a past day,
 * with the same SQL as today's.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_days', table => {
    table.comment('The scorecard rows of each day: one row per entity per day');
    table.string('entity_ref').notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.string('level').notNullable();
    table.integer('level_rank').notNullable();
    table.integer('score');
    table.string('title');
    table.string('owner');
    table.string('system');
    table.string('domain');
    table.string('lifecycle');
    table.text('search').notNullable();
    table.text('brief').notNullable();
    table.primary(['entity_ref', 'day']);
    table.index(['day', 'level_rank', 'entity_ref']);
  });
  await knex.schema.createTable('failing_check_days', table => {
    table.comment(
      'The failing checks of each day, one row per entity, day and check',
    );
    table.string('entity_ref').notNullable();
    table.string('day', 10).notNullable();
    table.string('check_id').notNullable();
    table.primary(['entity_ref', 'day', 'check_id']);
    table.index(['day', 'check_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failing_check_days');
  await knex.schema.dropTable('scorecard_days');
};
