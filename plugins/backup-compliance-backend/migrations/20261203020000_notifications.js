// @ts-check

/**
 * Changes in backup compliance to tell the owners of (levels that got worse or
 * recovered, waivers about to expire): an outbox, so that each change is told once,
 * whichever replica evaluates, and a notifier that fails gets it again later.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('notification_outbox', table => {
    table.comment('Changes in backup compliance for the notifiers, each once');
    table
      .string('id', 255)
      .primary()
      .comment(
        'the change: entity, kind and what changed; the same change, the same id',
      );
    table.string('entity_ref', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.text('change').notNullable().comment('JSON: BackupComplianceChange');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('claimed_at', { useTz: true })
      .comment(
        'when a replica took it to deliver; free again after 10 minutes',
      );
    table.string('claimed_by', 255);
    table.timestamp('delivered_at', { useTz: true });
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.index(['delivered_at'], 'notification_outbox_pending_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notification_outbox');
};
