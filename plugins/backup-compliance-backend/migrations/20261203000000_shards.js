// @ts-check

/**
 * Shards: a full cycle's account-regions split into parts that several replicas
 * collect together, each shard taken by one replica at a time (with a heartbeat, so a
 * shard whose replica stopped is taken over); and on each run, the replica and shard
 * that collected it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('collection_shards', table => {
    table.comment(
      'One part of the account-regions of a full cycle, collected by whichever replica takes it',
    );
    table.string('cycle_id').notNullable();
    table.integer('shard').notNullable().comment('1 to the number of shards');
    table
      .text('account_regions')
      .notNullable()
      .comment(
        'JSON array of { accountId, region }: fixed when the cycle starts',
      );
    table
      .string('status')
      .notNullable()
      .comment('pending | running | succeeded | failed');
    table
      .string('replica')
      .comment('host:pid/instance of the replica taking it');
    table.timestamp('started_at', { useTz: true });
    table
      .timestamp('heartbeat_at', { useTz: true })
      .comment('the replica collecting it is alive: updated while it works');
    table.timestamp('finished_at', { useTz: true });
    table.text('error');
    table.primary(['cycle_id', 'shard']);
  });
  await knex.schema.alterTable('collection_runs', table => {
    table
      .string('replica')
      .comment('host:pid/instance of the replica that ran it');
    table
      .integer('shard')
      .comment('the shard of the cycle it belonged to, if sharded');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('collection_runs', table => {
    table.dropColumn('replica');
    table.dropColumn('shard');
  });
  await knex.schema.dropTable('collection_shards');
};
