import {
  OrganizationBackupPolicy,
  OrganizationPolicyRule,
  PolicyRequirements,
} from '@backup-compliance/backstage-plugin-common';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function hours(minutes: number) {
  if (minutes < 60) return '';
  const h = Math.round((minutes / 60) * 10) / 10;
  return ` (${plural(h, 'hour')})`;
}

function retention(r: PolicyRequirements['retention']) {
  const tiers = [
    r.dailyDays > 0 && `daily points ${plural(r.dailyDays, 'day')}`,
    r.monthlyMonths > 0 && `monthly ${plural(r.monthlyMonths, 'month')}`,
    r.yearlyYears > 0 && `yearly ${plural(r.yearlyYears, 'year')}`,
  ].filter((t): t is string => !!t);
  return tiers.length > 0 ? tiers.join(', ') : 'no tier required';
}

const VAULT_LOCK: Record<PolicyRequirements['vaultLock'], string> = {
  none: 'not required',
  governance: 'governance mode or stricter',
  compliance:
    'compliance mode (or a logically air-gapped vault): no one can delete points early',
};

function copies(c: PolicyRequirements['copies']) {
  const where = [
    c.crossRegion && 'another region',
    c.crossAccount && 'another account',
  ].filter((t): t is string => !!t);
  if (where.length === 0) return 'not required';
  const kept =
    c.retention === 'same-as-source'
      ? 'each kept as long as the point it copies'
      : `each kept at least ${plural(
          c.retention,
          'day',
        )} (or as long as the point it copies, when that is shorter)`;
  return `to ${where.join(' and to ')}, ${kept}`;
}

function restoreTesting(t: PolicyRequirements['restoreTesting']) {
  if (!t.required) return 'not required';
  return `a test restore at most ${plural(t.maxAgeDays, 'day')} old${
    t.requireValidation ? ', validated' : ''
  }`;
}

/** What a compliance policy requires, one line a requirement, in words. */
export function requirementsInWords(
  p: PolicyRequirements,
): Array<{ label: string; text: string }> {
  return [
    {
      label: 'RPO',
      text: `${plural(
        p.rpoHours,
        'hour',
      )}: the newest recovery point at most this old`,
    },
    {
      label: 'RTO',
      text: `${plural(p.rtoMinutes, 'minute')}${hours(
        p.rtoMinutes,
      )}: the latest test restore took at most this long`,
    },
    { label: 'Retention', text: retention(p.retention) },
    ...(p.legalRetentionYears > 0 &&
    p.legalRetentionYears !== p.retention.yearlyYears
      ? [
          {
            label: 'Legal retention',
            text: `records restorable ${plural(p.legalRetentionYears, 'year')}`,
          },
        ]
      : []),
    { label: 'Vault Lock', text: VAULT_LOCK[p.vaultLock] },
    {
      label: 'Encryption',
      text:
        p.encryption === 'customer-managed'
          ? 'with a customer-managed KMS key'
          : 'any key',
    },
    { label: 'Copies', text: copies(p.copies) },
    { label: 'Restore testing', text: restoreTesting(p.restoreTesting) },
  ];
}

/** Where an organization policy is attached: the root, an OU, an account. */
export function targetInWords(
  target: OrganizationBackupPolicy['targets'][number],
) {
  switch (target.type) {
    case 'ROOT':
      return 'the organization root';
    case 'ORGANIZATIONAL_UNIT':
      return `OU ${target.name ?? target.id}`;
    default:
      return target.name && target.name !== target.id
        ? `account ${target.name} (${target.id})`
        : `account ${target.id}`;
  }
}

/** A copy destination: the vault, and where it is (`$account`: each target account). */
export function copyDestination(arn: string) {
  const [, , , region, account, , vault] = arn.split(':');
  if (!vault) return arn;
  const owner = account === '$account' ? 'same account' : account;
  return `${vault} (${owner}, ${region})`;
}

const keptFor = (days?: number) =>
  days === undefined ? 'never deleted' : `kept ${plural(days, 'day')}`;

/** One rule of an organization policy's plan, in a line. */
export function ruleInWords(rule: OrganizationPolicyRule) {
  const parts = [
    rule.continuous
      ? 'continuous (point-in-time recovery)'
      : rule.scheduleExpression,
    rule.scheduleExpressionTimezone,
    keptFor(rule.deleteAfterDays),
    rule.moveToColdStorageAfterDays !== undefined &&
      `cold after ${plural(rule.moveToColdStorageAfterDays, 'day')}`,
    rule.targetBackupVaultName && `in ${rule.targetBackupVaultName}`,
  ].filter((t): t is string => !!t);
  const copyParts = rule.copies.map(
    c => `${copyDestination(c.destination)} ${keptFor(c.deleteAfterDays)}`,
  );
  return `${parts.join(', ')}${
    copyParts.length > 0 ? `; copies to ${copyParts.join(', ')}` : ''
  }`;
}
