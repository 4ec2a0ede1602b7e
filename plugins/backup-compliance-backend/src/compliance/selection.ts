import type {
  BackupSelection,
  RestoreTestingSelectionForGet,
} from '@aws-sdk/client-backup';

export type SelectableResource = {
  arn: string;
  tags: Record<string, string>;
  resourceType?: string;
};

/** AWS Backup's wildcard match: `*` matches any run of characters. */
function like(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

const tagKey = (conditionKey: string) =>
  conditionKey.replace(/^aws:ResourceTag\//, '');

/**
 * Whether a backup plan selection assigns the resource: listed in
 * `Resources` (ARN patterns) or matching one of `ListOfTags`, and meeting
 * every `Conditions` entry, and not in `NotResources`.
 */
export function backupSelectionMatches(
  selection: BackupSelection | undefined,
  resource: SelectableResource,
): boolean {
  if (!selection) return false;
  const {
    Resources = [],
    NotResources = [],
    ListOfTags = [],
    Conditions,
  } = selection;
  if (NotResources.some(pattern => like(pattern, resource.arn))) return false;
  const byArn = Resources.some(pattern => like(pattern, resource.arn));
  const byTag = ListOfTags.some(
    t =>
      t.ConditionKey !== undefined &&
      resource.tags[tagKey(t.ConditionKey)] === t.ConditionValue,
  );
  if (!byArn && !byTag) return false;
  const value = (key?: string) =>
    key === undefined ? undefined : resource.tags[tagKey(key)];
  return (
    (Conditions?.StringEquals ?? []).every(
      c => value(c.ConditionKey) === c.ConditionValue,
    ) &&
    (Conditions?.StringNotEquals ?? []).every(
      c => value(c.ConditionKey) !== c.ConditionValue,
    ) &&
    (Conditions?.StringLike ?? []).every(c => {
      const v = value(c.ConditionKey);
      return v !== undefined && like(c.ConditionValue ?? '', v);
    }) &&
    (Conditions?.StringNotLike ?? []).every(c => {
      const v = value(c.ConditionKey);
      return v === undefined || !like(c.ConditionValue ?? '', v);
    })
  );
}

/**
 * Whether a restore-testing selection covers the resource: same resource type,
 * its ARN listed (or `*`), and every tag condition met.
 */
export function restoreTestingSelectionMatches(
  selection: RestoreTestingSelectionForGet,
  resource: SelectableResource,
): boolean {
  if (
    resource.resourceType &&
    selection.ProtectedResourceType !== resource.resourceType
  ) {
    return false;
  }
  const arns = selection.ProtectedResourceArns ?? ['*'];
  if (!arns.some(pattern => like(pattern, resource.arn))) return false;
  const conditions = selection.ProtectedResourceConditions;
  return (
    (conditions?.StringEquals ?? []).every(
      c => resource.tags[tagKey(c.Key ?? '')] === c.Value,
    ) &&
    (conditions?.StringNotEquals ?? []).every(
      c => resource.tags[tagKey(c.Key ?? '')] !== c.Value,
    )
  );
}
