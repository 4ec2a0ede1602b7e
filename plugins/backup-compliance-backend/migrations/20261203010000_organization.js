// @ts-check

/**
 * The AWS organization's backup policies (AWS Organizations, BACKUP_POLICY), as the
 * last full cycle read them, and how they measure up to the compliance policies.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('organization_policies', table => {
    table.comment(
      'One row: the organization backup policies read in the last full cycle, and their verdicts',
    );
    table.string('id').primary().comment('always current');
    table.timestamp('collected_at', { useTz: true });
    table
      .text('policies')
      .comment(
        'JSON: each policy with its targets, the accounts they resolve to and its document',
      );
    table.text('error').comment('why the last read failed, when it did');
    table.timestamp('attempted_at', { useTz: true });
    table
      .text('verdicts')
      .comment(
        'JSON: the policies judged against the compliance policies, with drift',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('organization_policies');
};
