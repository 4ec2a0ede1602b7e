// @ts-check

/**
 * Collection cycles (one at a time across replicas, each with its outcome), the
 * refresh requests callers sent, which the next cycle takes together, and notes on
 * runs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('collection_runs', table => {
    table
      .text('notes')
      .comment(
        'JSON array: what the run met and worked around, e.g. a vault deleted while it was read',
      );
  });

  await knex.schema.createTable('collection_cycles', table => {
    table.comment(
      'One collection cycle: every account-region (full) or those of the entities asked for',
    );
    table.string('id').primary();
    table.string('scope').notNullable().comment('full | entities');
    table
      .text('entity_refs')
      .comment('JSON array: the entities an entities cycle was for');
    table
      .string('status')
      .notNullable()
      .comment('running | succeeded | failed | interrupted');
    table.timestamp('started_at', { useTz: true }).notNullable().index();
    table.timestamp('finished_at', { useTz: true });
    table.string('replica').comment('host:pid of the backend that ran it');
    table.text('error');
  });

  await knex.schema.createTable('collection_requests', table => {
    table.comment(
      'Refreshes asked for through the API; the next cycle takes every pending one',
    );
    table.string('id').primary();
    table
      .string('entity_ref')
      .comment('The entity to refresh; null asks for a full cycle');
    table
      .string('requested_by')
      .notNullable()
      .comment('User entity ref or service subject, for the per-caller limit');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table
      .string('cycle_id')
      .comment('The cycle that took the request; null while pending')
      .index();
    table.index(['requested_by', 'requested_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('collection_runs', table => {
    table.dropColumn('notes');
  });
  await knex.schema.dropTable('collection_requests');
  await knex.schema.dropTable('collection_cycles');
};
