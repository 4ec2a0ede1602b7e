import { OrganizationPolicyPlan } from '@backup-compliance/backstage-plugin-common';

/**
 * Reads an AWS Organizations backup policy document (policy type `BACKUP_POLICY`):
 * `plans.<plan>.regions`, `.rules.<rule>.{schedule_expression,
 * schedule_expression_timezone, target_backup_vault_name, lifecycle, copy_actions,
 * enable_continuous_backup}`, `.selections.tags.<name>.{tag_key, tag_value}`. Values
 * sit under inheritance operators (`@@assign`, `@@append`, `@@remove`); a document is
 * read on its own, as if every operator assigned, since what a member account
 * inherits from several documents is its effective policy, not any one of them.
 */
export function readBackupPolicyDocument(
  content: unknown,
): OrganizationPolicyPlan[] {
  const doc = asObject(content);
  return Object.entries(asObject(doc.plans)).map(([name, raw]) => {
    const plan = asObject(raw);
    const rules = Object.entries(asObject(plan.rules)).map(
      ([ruleName, rawRule]) => {
        const rule = asObject(rawRule);
        const lifecycle = asObject(rule.lifecycle);
        return {
          name: ruleName,
          scheduleExpression: text(rule.schedule_expression),
          scheduleExpressionTimezone: text(rule.schedule_expression_timezone),
          targetBackupVaultName: text(rule.target_backup_vault_name),
          deleteAfterDays: days(lifecycle.delete_after_days),
          moveToColdStorageAfterDays: days(
            lifecycle.move_to_cold_storage_after_days,
          ),
          continuous:
            String(value(rule.enable_continuous_backup)) === 'true' ||
            undefined,
          copies: Object.entries(asObject(rule.copy_actions)).map(
            ([destination, rawCopy]) => {
              const copy = asObject(rawCopy);
              return {
                destination: text(copy.target_backup_vault_arn) ?? destination,
                deleteAfterDays: days(
                  asObject(copy.lifecycle).delete_after_days,
                ),
              };
            },
          ),
        };
      },
    );
    const selections = Object.entries(
      asObject(asObject(plan.selections).tags),
    ).map(([selectionName, rawSelection]) => {
      const selection = asObject(rawSelection);
      const tagValues = value(selection.tag_value);
      return {
        name: selectionName,
        tagKey: text(selection.tag_key) ?? '',
        tagValues: (Array.isArray(tagValues) ? tagValues : [tagValues])
          .filter(v => v !== undefined && v !== null)
          .map(String),
      };
    });
    const regions = value(plan.regions);
    return {
      name,
      regions: Array.isArray(regions) ? regions.map(String) : [],
      rules: rules.map(dropUndefined),
      selections,
    };
  });
}

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

/** The value under an inheritance operator, or the value itself. */
function value(v: unknown): unknown {
  const o = asObject(v);
  for (const operator of ['@@assign', '@@append']) {
    if (operator in o) return o[operator];
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? undefined
    : v;
}

function text(v: unknown): string | undefined {
  const found = value(v);
  return found === undefined || found === null ? undefined : String(found);
}

function days(v: unknown): number | undefined {
  const found = value(v);
  const n = typeof found === 'string' ? Number(found) : found;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as T;
}
