// @ts-check

/**
 * Compliance verdicts: the latest snapshot per entity and one history row per
 * entity per day; catalog facts the scorecard groups by.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entities', table => {
    table
      .text('catalog')
      .comment(
        'JSON: title, owner, system, domain, lifecycle, type from the catalog',
      );
  });

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
  });

  await knex.schema.createTable('entity_history', table => {
    table.comment(
      'One row per entity per day: level, score and failing checks',
    );
    table.string('entity_ref').notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('level').notNullable();
    table.integer('score');
    table
      .text('failing_checks')
      .notNullable()
      .comment('JSON array of check ids');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'day']);
    table.index('day');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('entity_history');
  await knex.schema.dropTable('entity_snapshots');
  await knex.schema.alterTable('entities', table => {
    table.dropColumn('catalog');
  });
};
