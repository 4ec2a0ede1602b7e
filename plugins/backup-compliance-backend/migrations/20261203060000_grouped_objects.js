// @ts-check

/**
 * Recovery points, backup jobs and copy jobs: one row per resource of an account-region,
 * the items in a JSON array sorted by key, instead of one row per item. A bank's estate
 * holds about fifteen points per resource, and the store's writes and the evaluation's
 * reads cost by the row. Existing rows are converted, one account-region at a time.
 */
/** @type {Array<{ kind: 'recovery_point' | 'backup_job' | 'copy_job', stored: string }>} */
const GROUPED = [
  { kind: 'recovery_point', stored: 'recovery_point_group' },
  { kind: 'backup_job', stored: 'backup_job_group' },
  { kind: 'copy_job', stored: 'copy_job_group' },
];
const CHUNK = 200;

/** @param {{ key: string }} a @param {{ key: string }} b */
const byKey = (a, b) => Number(a.key > b.key) - Number(a.key < b.key);
/** @param {Date | string | number | null | undefined} a @param {Date | string | number | null | undefined} b */
const newestOf = (a, b) => {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return new Date(a) > new Date(b) ? a : b;
};

/**
 * Rewrites the rows of `from` as rows of `to`, one account-region at a time.
 *
 * @param {import('knex').Knex} knex
 * @param {string} from
 * @param {(rows: any[], scope: { account_id: string, region: string }) => any[]} convert
 * @param {string} to
 */
async function rewrite(knex, from, to, convert) {
  const scopes = await knex('aws_objects')
    .where({ kind: from })
    .distinct('account_id', 'region');
  for (const { account_id, region } of scopes) {
    await knex.transaction(async trx => {
      const scope = { account_id, region };
      const rows = await trx('aws_objects')
        .where({ ...scope, kind: from })
        .select('object_key', 'resource_arn', 'created_at', 'data');
      const converted = convert(rows, scope).map(row => ({
        ...row,
        ...scope,
        kind: to,
      }));
      await trx('aws_objects')
        .where({ ...scope, kind: from })
        .delete();
      for (let i = 0; i < converted.length; i += CHUNK) {
        await trx('aws_objects')
          .insert(converted.slice(i, i + CHUNK))
          .onConflict(['account_id', 'region', 'kind', 'object_key'])
          .merge();
      }
    });
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  for (const { kind, stored } of GROUPED) {
    await rewrite(knex, kind, stored, rows => {
      const groups = new Map();
      for (const row of rows) {
        const arn = row.resource_arn ?? '';
        const group = groups.get(arn) ?? { items: [], created_at: null };
        group.items.push({ key: row.object_key, item: JSON.parse(row.data) });
        group.created_at = newestOf(group.created_at, row.created_at);
        groups.set(arn, group);
      }
      return [...groups].map(([arn, { items, created_at }]) => ({
        object_key: arn,
        resource_arn: arn || null,
        created_at,
        data: JSON.stringify(
          items
            .sort(byKey)
            .map(/** @param {{ item: unknown }} i */ i => i.item),
        ),
      }));
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  /** @type {Record<string, (item: any) => string>} */
  const keyOf = {
    recovery_point: item => item.RecoveryPointArn,
    backup_job: item => item.BackupJobId,
    copy_job: item => item.CopyJobId,
  };
  /** @param {any} item */
  const createdOf = item =>
    item.CreationDate ? new Date(item.CreationDate) : null;
  for (const { kind, stored } of GROUPED) {
    await rewrite(knex, stored, kind, rows =>
      rows.flatMap(row =>
        JSON.parse(row.data).map(
          /** @param {any} item */ item => ({
            object_key: keyOf[kind](item),
            resource_arn: row.resource_arn,
            created_at: createdOf(item),
            data: JSON.stringify(item),
          }),
        ),
      ),
    );
  }
};
