// @ts-check

/**
 * A small per-entity row (level, score, policies, check statuses) beside the
 * full snapshot, so the scorecard reads thousands of entities without parsing
 * every snapshot.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entity_snapshots', table => {
    table
      .text('scorecard_row')
      .comment('JSON: policies, failing checks, status per check');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('entity_snapshots', table => {
    table.dropColumn('scorecard_row');
  });
};
