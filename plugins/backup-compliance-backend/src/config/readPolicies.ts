import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { Waiver } from '@backup-compliance/backstage-plugin-common';
import { BackupPolicy } from '@backup-compliance/backstage-plugin-node';

export type { BackupPolicy };

export const DEFAULT_POLICY_NAME = 'default';

/**
 * The `default` policy when config names none: daily backups kept 35 days
 * within a 24-hour RPO, AWS Backup Audit Manager's own defaults.
 */
export const BUILT_IN_DEFAULT_POLICY: BackupPolicy = {
  name: DEFAULT_POLICY_NAME,
  rpoHours: 24,
  rtoMinutes: 480,
  retention: { dailyDays: 35, monthlyMonths: 0, yearlyYears: 0 },
  legalRetentionYears: 0,
  vaultLock: 'none',
  encryption: 'any',
  copies: {
    crossRegion: false,
    crossAccount: false,
    retention: 'same-as-source',
  },
  restoreTesting: {
    required: false,
    maxAgeDays: 365,
    requireValidation: false,
  },
};

const invalid = (key: string, message: string) =>
  new Error(`Invalid config at backupCompliance.${key}: ${message}`);

function number(
  config: Config,
  key: string,
  path: string,
  fallback: number,
  min = 0,
) {
  const value = config.getOptional(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalid(
      `${path}.${key}`,
      `must be a number of at least ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  config: Config,
  key: string,
  path: string,
  allowed: T[],
  fallback: T,
): T {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw invalid(
      `${path}.${key}`,
      `must be one of ${allowed.join(', ')}, got "${value}"`,
    );
  }
  return value as T;
}

function copyRetention(
  config: Config,
  path: string,
  fallback: BackupPolicy['copies']['retention'],
): BackupPolicy['copies']['retention'] {
  const value = config.getOptional('copies.retention');
  if (value === undefined) return fallback;
  if (value === 'same-as-source') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) {
    return value;
  }
  throw invalid(
    `${path}.copies.retention`,
    `must be "same-as-source" or a whole number of days (at least 1), got ${JSON.stringify(
      value,
    )}`,
  );
}

function readPolicy(
  name: string,
  config: Config,
  base: BackupPolicy,
): BackupPolicy {
  const path = `policies.${name}`;
  const yearlyYears = number(
    config,
    'retention.yearlyYears',
    path,
    base.retention.yearlyYears,
  );
  return {
    name,
    rpoHours: number(config, 'rpoHours', path, base.rpoHours, 1),
    rtoMinutes: number(config, 'rtoMinutes', path, base.rtoMinutes, 1),
    retention: {
      dailyDays: number(
        config,
        'retention.dailyDays',
        path,
        base.retention.dailyDays,
      ),
      monthlyMonths: number(
        config,
        'retention.monthlyMonths',
        path,
        base.retention.monthlyMonths,
      ),
      yearlyYears,
    },
    legalRetentionYears: number(
      config,
      'legalRetentionYears',
      path,
      config.has('retention.yearlyYears')
        ? yearlyYears
        : base.legalRetentionYears,
    ),
    vaultLock: oneOf(
      config,
      'vaultLock',
      path,
      ['none', 'governance', 'compliance'],
      base.vaultLock,
    ),
    encryption: oneOf(
      config,
      'encryption',
      path,
      ['any', 'customer-managed'],
      base.encryption,
    ),
    copies: {
      crossRegion:
        config.getOptionalBoolean('copies.crossRegion') ??
        base.copies.crossRegion,
      crossAccount:
        config.getOptionalBoolean('copies.crossAccount') ??
        base.copies.crossAccount,
      retention: copyRetention(config, path, base.copies.retention),
    },
    restoreTesting: {
      required:
        config.getOptionalBoolean('restoreTesting.required') ??
        base.restoreTesting.required,
      maxAgeDays: number(
        config,
        'restoreTesting.maxAgeDays',
        path,
        base.restoreTesting.maxAgeDays,
        1,
      ),
      requireValidation:
        config.getOptionalBoolean('restoreTesting.requireValidation') ??
        base.restoreTesting.requireValidation,
    },
  };
}

/**
 * Reads `backupCompliance.policies`. Named policies take the fields they do
 * not set from `default` (configured or built in).
 */
export function readPolicies(
  config: Config | undefined,
): Map<string, BackupPolicy> {
  const section = config?.getOptionalConfig('policies');
  const defaultConfig = section?.getOptionalConfig(DEFAULT_POLICY_NAME);
  const base = defaultConfig
    ? readPolicy(DEFAULT_POLICY_NAME, defaultConfig, BUILT_IN_DEFAULT_POLICY)
    : BUILT_IN_DEFAULT_POLICY;
  const policies = new Map<string, BackupPolicy>([[DEFAULT_POLICY_NAME, base]]);
  for (const name of section?.keys() ?? []) {
    if (name === DEFAULT_POLICY_NAME) continue;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name)) {
      throw invalid(
        `policies.${name}`,
        'a policy name has letters, digits, ".", "_" and "-" only',
      );
    }
    policies.set(name, readPolicy(name, section!.getConfig(name), base));
  }
  return policies;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Reads `backupCompliance.waivers`. Every waiver needs a reason, an approver
 * and an expiry at most a year after `now`.
 */
export function readWaivers(
  config: Config | undefined,
  checkIds: string[],
  now: Date,
): Waiver[] {
  return (config?.getOptionalConfigArray('waivers') ?? []).map((waiver, i) => {
    const path = `waivers[${i}]`;
    const read = (key: string) => {
      const value = waiver.getOptional(key);
      if (
        value === undefined ||
        value === null ||
        String(value).trim() === ''
      ) {
        throw invalid(`${path}.${key}`, 'is required');
      }
      // Backstage reads app-config as YAML 1.2: an unquoted 2027-03-31 stays a string.
      return String(value);
    };
    const check = read('check');
    if (!checkIds.includes(check)) {
      throw invalid(
        `${path}.check`,
        `"${check}" is not a check id (known: ${checkIds.join(', ')})`,
      );
    }
    const expires = read('expires');
    // A day that does not exist (2027-02-30) would roll over to another date.
    if (
      !ISO_DAY.test(expires) ||
      Number.isNaN(Date.parse(expires)) ||
      new Date(expires).toISOString().slice(0, 10) !== expires
    ) {
      throw invalid(
        `${path}.expires`,
        `must be a date written YYYY-MM-DD, got "${expires}"`,
      );
    }
    if (Date.parse(expires) - now.getTime() > 366 * DAY_MS) {
      throw invalid(
        `${path}.expires`,
        `${expires} is more than a year away; waivers must be renewed at least yearly`,
      );
    }
    let entity: string;
    try {
      entity = stringifyEntityRef(parseEntityRef(read('entity')));
    } catch (error) {
      throw invalid(
        `${path}.entity`,
        `"${read(
          'entity',
        )}" is not an entity reference such as component:default/payments-ledger`,
      );
    }
    return {
      entity,
      check,
      reason: read('reason'),
      approvedBy: read('approvedBy'),
      expires,
    };
  });
}

/**
 * A warning per waiver that has already expired: it is valid config (an audit trail
 * of what was waived) but no longer applies, which its owners should know at start-up.
 */
export function expiredWaiverWarnings(waivers: Waiver[], now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  return waivers
    .map((waiver, i) => ({ waiver, i }))
    .filter(({ waiver }) => waiver.expires < today)
    .map(
      ({ waiver, i }) =>
        `backupCompliance.waivers[${i}] (${waiver.check} on ${waiver.entity}) expired on ${waiver.expires}: the check counts again`,
    );
}
