// @ts-check

/**
 * Collected AWS Backup state, collection runs and the entity-to-resource map.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('collection_runs', table => {
    table.comment('One collection of one account-region in one cycle');
    table.string('id').primary();
    table.string('cycle_id').notNullable().index();
    table.string('account_id').notNullable();
    table.string('region').notNullable();
    table.string('mode').notNullable().comment('full | incremental');
    table
      .string('status')
      .notNullable()
      .comment('running | succeeded | failed');
    table.timestamp('started_at', { useTz: true }).notNullable().index();
    table.timestamp('finished_at', { useTz: true });
    table
      .text('api_calls')
      .comment('JSON: calls per operation, retries included');
    table.integer('throttles').notNullable().defaultTo(0);
    table.text('item_counts').comment('JSON: items read per kind');
    table.text('error');
  });

  await knex.schema.createTable('account_regions', table => {
    table.comment('Collection state per account-region');
    table.string('account_id').notNullable();
    table.string('region').notNullable();
    table.timestamp('last_success_started_at', { useTz: true });
    table.timestamp('last_full_started_at', { useTz: true });
    table.timestamp('last_attempt_at', { useTz: true });
    table.boolean('stale').notNullable().defaultTo(false);
    table.text('last_error');
    table.primary(['account_id', 'region']);
  });

  await knex.schema.createTable('aws_objects', table => {
    table.comment(
      'AWS objects as the SDK returned them: resources with tags, vaults, recovery points, plans with rules and selections, jobs, restore testing plans, legal holds',
    );
    table.string('account_id').notNullable();
    table.string('region').notNullable();
    table.string('kind').notNullable();
    table.string('object_key', 1024).notNullable();
    table.string('resource_arn', 1024);
    table.timestamp('created_at', { useTz: true });
    table.text('data').notNullable();
    table.primary(['account_id', 'region', 'kind', 'object_key']);
    table.index(['kind', 'resource_arn']);
  });

  await knex.schema.createTable('entity_resources', table => {
    table.comment(
      'Which resources belong to which entity, from the last cycle',
    );
    table.string('entity_ref').notNullable();
    table.string('account_id').notNullable();
    table.string('region').notNullable();
    table.string('resource_arn', 1024).notNullable();
    table.primary(['entity_ref', 'resource_arn']);
  });

  await knex.schema.createTable('entities', table => {
    table.comment('Opted-in entities and what their annotations ask for');
    table.string('entity_ref').primary();
    table.text('annotations').comment('JSON: parsed annotations, or null');
    table.text('problems').comment('JSON: annotation problems, or null');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('entities');
  await knex.schema.dropTable('entity_resources');
  await knex.schema.dropTable('aws_objects');
  await knex.schema.dropTable('account_regions');
  await knex.schema.dropTable('collection_runs');
};
