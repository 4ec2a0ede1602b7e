// @ts-check

/**
 * The scorecard served from SQL: one lean row per verdict (no snapshot document, so a scan
 * or a sort never walks the large JSON) with the catalog facts it filters, sorts and groups
 * by and the level's rank, and the failing checks as rows, counted and filtered by index.
 * Written at every evaluation; verdicts stored before are filled in here.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_rows', table => {
    table.comment('The scorecard: one row per latest verdict');
    table.string('entity_ref').primary();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.string('level').notNullable().index();
    table
      .integer('level_rank')
      .notNullable()
      .comment(
        '0 non-compliant, 1 misconfigured, 2 unknown, 3 at-risk, 4 compliant',
      );
    table.integer('score');
    table.string('title');
    table.string('owner').index();
    table.string('system').index();
    table.string('domain').index();
    table.string('lifecycle');
    table
      .text('search')
      .notNullable()
      .comment('Lower-case entity ref, title, owner, system and domain');
    table
      .text('brief')
      .notNullable()
      .comment('JSON: policies and the status of every check');
    table.index(['level_rank', 'entity_ref']);
    table.index(['score', 'entity_ref']);
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
      'entity_snapshots.evaluated_at as evaluated_at',
      'entity_snapshots.level as level',
      'entity_snapshots.score as score',
      'entity_snapshots.scorecard_row as scorecard_row',
      'entities.catalog as catalog',
    );
  for (const row of rows) {
    const catalog = row.catalog ? JSON.parse(row.catalog) : {};
    const brief = row.scorecard_row ? JSON.parse(row.scorecard_row) : {};
    await knex('scorecard_rows').insert({
      entity_ref: row.entity_ref,
      evaluated_at: row.evaluated_at,
      level: row.level,
      level_rank: ranks.indexOf(row.level),
      score: row.score,
      title: catalog.title ?? null,
      owner: catalog.owner ?? null,
      system: catalog.system ?? null,
      domain: catalog.domain ?? null,
      lifecycle: catalog.lifecycle ?? null,
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
      brief: JSON.stringify({
        policies: brief.policies ?? [],
        statuses: brief.statuses ?? {},
      }),
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
  await knex.schema.dropTable('scorecard_rows');
};
