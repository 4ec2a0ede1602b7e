// @ts-check

/**
 * The scorecard served from SQL: the catalog facts it filters, sorts and groups by, and the
 * level's rank, as columns of each verdict; failing checks as rows, counted and filtered by
 * index. Written at every evaluation; existing verdicts are filled in here.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entity_snapshots', table => {
    table.string('title');
    table.string('owner').index();
    table.string('system').index();
    table.string('domain').index();
    table.string('lifecycle');
    table
      .integer('level_rank')
      .comment(
        '0 non-compliant, 1 misconfigured, 2 unknown, 3 at-risk, 4 compliant',
      );
    table
      .text('search')
      .comment('Lower-case entity ref, title, owner, system and domain');
  });

  await knex.schema.createTable('entity_failing_checks', table => {
    table.comment('One row per failing check of each latest verdict');
    table.string('entity_ref').notNullable();
    table.string('check_id').notNullable().index();
    table.primary(['entity_ref', 'check_id']);
  });

  const ranks = [
    'non-compliant',
    'misconfigured',
    'unknown',
    'at-risk',
    'compliant',
  ];
  const rows = await knex('entity_snapshots')
    .leftJoin('entities', 'entities.entity_ref', 'entity_snapshots.entity_ref')
    .select(
      'entity_snapshots.entity_ref as entity_ref',
      'entity_snapshots.level as level',
      'entity_snapshots.scorecard_row as scorecard_row',
      'entities.catalog as catalog',
    );
  for (const row of rows) {
    const catalog = row.catalog ? JSON.parse(row.catalog) : {};
    const brief = row.scorecard_row ? JSON.parse(row.scorecard_row) : {};
    await knex('entity_snapshots')
      .where({ entity_ref: row.entity_ref })
      .update({
        title: catalog.title ?? null,
        owner: catalog.owner ?? null,
        system: catalog.system ?? null,
        domain: catalog.domain ?? null,
        lifecycle: catalog.lifecycle ?? null,
        level_rank: ranks.indexOf(row.level),
        search: [
          row.entity_ref,
          catalog.title,
          catalog.owner,
          catalog.system,
          catalog.domain,
        ]
          .filter(Boolean)
          .join('\n')
          .toLowerCase(),
      });
    const failing = Object.entries(brief.statuses ?? {})
      .filter(([, status]) => status === 'fail')
      .map(([checkId]) => ({ entity_ref: row.entity_ref, check_id: checkId }));
    if (failing.length) await knex('entity_failing_checks').insert(failing);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('entity_failing_checks');
  await knex.schema.alterTable('entity_snapshots', table => {
    for (const column of ['owner', 'system', 'domain']) {
      table.dropIndex([column]);
    }
  });
  await knex.schema.alterTable('entity_snapshots', table => {
    table.dropColumns(
      'title',
      'owner',
      'system',
      'domain',
      'lifecycle',
      'level_rank',
      'search',
    );
  });
};
