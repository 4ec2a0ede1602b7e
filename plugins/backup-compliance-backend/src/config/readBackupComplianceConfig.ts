import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  BUILT_IN_CHECKS,
  ComplianceLevel,
  Waiver,
} from '@backup-compliance/backstage-plugin-common';
import { AWS_REGIONS } from './awsRegions';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../collector/awsClients';
import { unknownKeyProblems } from './knownKeys';
import { BackupPolicy, readPolicies, readWaivers } from './readPolicies';

/** The collector's settings, validated, with defaults applied. */
export type BackupComplianceConfig = {
  /** False when `backupCompliance.regions` is missing: nothing is collected. */
  enabled: boolean;
  schedule: {
    frequency: HumanDuration;
    timeout: HumanDuration;
    initialDelay: HumanDuration;
  };
  regions: string[];
  accounts: string[];
  endpoint?: string;
  tagKeys: { policy: string; restoreTesting: string };
  concurrency: number;
  /**
   * Parts a full cycle's account-regions are split into, each collected by whichever
   * replica takes it. 1: the replica that runs the cycle collects everything.
   */
  shards: number;
  /** Longest wait for one HTTP request to AWS (each retry has its own). */
  requestTimeoutMs: number;
  /** Longest one account-region may take in a cycle; past it, it fails and goes stale. */
  accountRegionTimeoutMs: number;
  /** Calls per second per account-region: per list operation, per get operation, in all. */
  rateLimits: RateLimits;
  /** Least time between two refreshes one caller asks for: all of them, or one entity. */
  refreshLimits: { fullMs: number; entityMs: number };
  /**
   * How long the entities a conditional `catalog.entity.read` decision admits are kept,
   * per set of conditions; 0: the catalog is asked on every request.
   */
  catalogConditionsTtlMs: number;
  overlapMs: number;
  fullResyncEveryMs: number;
  jobsLookbackDays: number;
  /** Days of restore jobs read: enough for the longest restore-testing interval any policy allows. */
  restoreJobsLookbackDays: number;
  policies: Map<string, BackupPolicy>;
  waivers: Waiver[];
  historyRetainDays: number;
  /** The management or delegated-administrator account to read backup policies from. */
  organization?: { accountId: string };
  /** What changes notifiers hear of (when a notifications module is installed). */
  notifications: NotificationSettings;
};

/** `backupCompliance.notifications`, defaults applied. */
export type NotificationSettings = {
  /** An entity getting worse into one of these levels is a change to tell. */
  levels: ComplianceLevel[];
  /** An entity becoming compliant again is a change to tell. */
  recovered: boolean;
  /** Days before a waiver's expiry to tell of it; 0: never. */
  waiverExpiryDays: number;
};

const NOTIFIABLE_LEVELS: ComplianceLevel[] = [
  'non-compliant',
  'misconfigured',
  'unknown',
  'at-risk',
];

function readNotifications(config: Config | undefined): NotificationSettings {
  const section = config?.getOptionalConfig('notifications');
  const levels = section?.getOptionalStringArray('levels') ?? [
    'non-compliant',
    'at-risk',
  ];
  for (const level of levels) {
    if (!(NOTIFIABLE_LEVELS as string[]).includes(level)) {
      throw invalid(
        'notifications.levels',
        `"${level}" is not a level one gets worse into; use ${NOTIFIABLE_LEVELS.join(
          ', ',
        )}`,
      );
    }
  }
  const waiverExpiryDays = section?.getOptionalNumber('waiverExpiryDays') ?? 14;
  if (
    !Number.isInteger(waiverExpiryDays) ||
    waiverExpiryDays < 0 ||
    waiverExpiryDays > 366
  ) {
    throw invalid(
      'notifications.waiverExpiryDays',
      `must be a whole number of days from 0 to 366, got ${waiverExpiryDays}`,
    );
  }
  return {
    levels: levels as ComplianceLevel[],
    recovered: section?.getOptionalBoolean('recovered') ?? true,
    waiverExpiryDays,
  };
}

const ACCOUNT_ID = /^\d{12}$/;

function invalid(key: string, message: string): Error {
  return new Error(`Invalid config at backupCompliance.${key}: ${message}`);
}

function duration(
  config: Config | undefined,
  section: string,
  key: string,
  fallback: HumanDuration,
  zeroAllowed = false,
): HumanDuration {
  const path = section ? `${section}.${key}` : key;
  if (!config?.has(key)) return fallback;
  let parsed: HumanDuration;
  try {
    // Objects ({ minutes: 30 }) or strings (ISO-8601 PT30M, or "30 minutes").
    parsed = readDurationFromConfig(config, { key });
  } catch (error) {
    throw invalid(path, (error as Error).message);
  }
  const ms = durationToMilliseconds(parsed);
  if (!(ms > 0 || (zeroAllowed && ms === 0))) {
    throw invalid(
      path,
      zeroAllowed
        ? 'must be a duration, zero or more'
        : 'must be a positive duration',
    );
  }
  return parsed;
}

/**
 * Reads `backupCompliance.*` once at start-up. Every error names the key
 * path, so a broken config fails loudly instead of collecting nothing.
 */
export function readBackupComplianceConfig(
  root: Config,
  options: { checkIds?: string[]; now?: Date } = {},
): BackupComplianceConfig {
  const config = root.getOptionalConfig('backupCompliance');
  // Typos first, all of them at once: an unknown key would leave its setting at the
  // default, which for a policy means weaker than written.
  const unknownKeys = unknownKeyProblems(root.getOptional('backupCompliance'));
  if (unknownKeys.length === 1) throw new Error(unknownKeys[0]);
  if (unknownKeys.length > 1) {
    throw new Error(
      `${
        unknownKeys.length
      } problems in backupCompliance:\n- ${unknownKeys.join('\n- ')}`,
    );
  }

  const regions = config?.getOptionalStringArray('regions') ?? [];
  regions.forEach((region, i) => {
    if (!AWS_REGIONS.has(region)) {
      throw invalid(
        `regions[${i}]`,
        `"${region}" is not an AWS region; known: ${[...AWS_REGIONS].join(
          ', ',
        )}`,
      );
    }
    if (regions.indexOf(region) !== i) {
      throw invalid(`regions[${i}]`, `"${region}" is listed twice`);
    }
  });

  const awsAccounts = (root.getOptionalConfigArray('aws.accounts') ?? []).map(
    a => a.getString('accountId'),
  );
  const accounts = config?.getOptionalStringArray('accounts') ?? awsAccounts;
  accounts.forEach((account, i) => {
    if (!ACCOUNT_ID.test(account)) {
      throw invalid(
        `accounts[${i}]`,
        `"${account}" is not a 12-digit AWS account id`,
      );
    }
  });
  if (config?.has('accounts')) {
    const unknown = accounts.filter(a => !awsAccounts.includes(a));
    if (unknown.length > 0) {
      throw invalid(
        'accounts',
        `${unknown.join(', ')} ${
          unknown.length === 1 ? 'has' : 'have'
        } no entry in aws.accounts, so there are no credentials for ${
          unknown.length === 1 ? 'it' : 'them'
        }`,
      );
    }
  }

  const organizationAccount = config?.getOptionalString(
    'organization.accountId',
  );
  if (
    organizationAccount !== undefined &&
    !ACCOUNT_ID.test(organizationAccount)
  ) {
    throw invalid(
      'organization.accountId',
      `"${organizationAccount}" is not a 12-digit AWS account id (quote it in YAML)`,
    );
  }
  if (organizationAccount && !awsAccounts.includes(organizationAccount)) {
    throw invalid(
      'organization.accountId',
      `${organizationAccount} has no entry in aws.accounts, so there are no credentials to read the organization's backup policies with`,
    );
  }
  const endpoint = config?.getOptionalString('endpoint');
  if (endpoint !== undefined) {
    if (!URL.canParse(endpoint)) {
      throw invalid('endpoint', `"${endpoint}" is not a URL`);
    }
    if (!['http:', 'https:'].includes(new URL(endpoint).protocol)) {
      throw invalid(
        'endpoint',
        `"${endpoint}" must be an http:// or https:// URL`,
      );
    }
  }

  const concurrency = config?.getOptionalNumber('concurrency') ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw invalid(
      'concurrency',
      `must be a whole number from 1 to 64, got ${concurrency}`,
    );
  }
  const shards = config?.getOptionalNumber('shards') ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > 64) {
    throw invalid(
      'shards',
      `must be a whole number from 1 to 64, got ${shards}`,
    );
  }
  const rate = (key: keyof RateLimits, name: string) => {
    const value =
      config?.getOptionalNumber(`requestsPerSecond.${name}`) ??
      DEFAULT_RATE_LIMITS[key];
    if (!(value > 0 && value <= 1000)) {
      throw invalid(
        `requestsPerSecond.${name}`,
        `must be a number of calls per second above 0 and at most 1000, got ${value}`,
      );
    }
    return value;
  };
  const rateLimits: RateLimits = {
    listPerSecond: rate('listPerSecond', 'list'),
    getPerSecond: rate('getPerSecond', 'get'),
    totalPerSecond: rate('totalPerSecond', 'total'),
  };
  const jobsLookbackDays = config?.getOptionalNumber('jobsLookbackDays') ?? 30;
  if (!Number.isInteger(jobsLookbackDays) || jobsLookbackDays < 1) {
    throw invalid(
      'jobsLookbackDays',
      `must be a whole number of days, got ${jobsLookbackDays}`,
    );
  }

  const historyRetainDays =
    config?.getOptionalNumber('history.retainDays') ?? 400;
  if (!Number.isInteger(historyRetainDays) || historyRetainDays < 1) {
    throw invalid(
      'history.retainDays',
      `must be a whole number of days, got ${historyRetainDays}`,
    );
  }

  const policies = readPolicies(config);
  const schedule = config?.getOptionalConfig('schedule');
  const incremental = config?.getOptionalConfig('incremental');
  const refresh = config?.getOptionalConfig('refresh');
  const timeout = duration(schedule, 'schedule', 'timeout', { minutes: 20 });
  const accountRegionTimeoutMs = Math.min(
    durationToMilliseconds(
      duration(config, '', 'accountRegionTimeout', { minutes: 5 }),
    ),
    // unset, it is never longer than the cycle's own timeout
    config?.has('accountRegionTimeout')
      ? Infinity
      : durationToMilliseconds(timeout),
  );
  if (accountRegionTimeoutMs > durationToMilliseconds(timeout)) {
    throw invalid(
      'accountRegionTimeout',
      'must not be longer than schedule.timeout, which ends the whole cycle',
    );
  }
  return {
    enabled: regions.length > 0 && accounts.length > 0,
    schedule: {
      frequency: duration(schedule, 'schedule', 'frequency', { minutes: 60 }),
      timeout,
      initialDelay: duration(schedule, 'schedule', 'initialDelay', {
        seconds: 15,
      }),
    },
    regions,
    accounts,
    endpoint,
    ...(organizationAccount
      ? { organization: { accountId: organizationAccount } }
      : {}),
    tagKeys: {
      policy: config?.getOptionalString('tagKeys.policy') ?? 'backup-policy',
      restoreTesting:
        config?.getOptionalString('tagKeys.restoreTesting') ??
        'restore-testing-candidate',
    },
    concurrency,
    shards,
    requestTimeoutMs: durationToMilliseconds(
      duration(config, '', 'requestTimeout', { seconds: 30 }),
    ),
    accountRegionTimeoutMs,
    rateLimits,
    refreshLimits: {
      fullMs: durationToMilliseconds(
        duration(refresh, 'refresh', 'fullPerCaller', { minutes: 5 }, true),
      ),
      entityMs: durationToMilliseconds(
        duration(refresh, 'refresh', 'entityPerCaller', { minutes: 1 }, true),
      ),
    },
    catalogConditionsTtlMs: durationToMilliseconds(
      duration(config, '', 'catalogConditionsTtl', { seconds: 10 }, true),
    ),
    overlapMs: durationToMilliseconds(
      duration(incremental, 'incremental', 'overlap', { hours: 2 }),
    ),
    fullResyncEveryMs: durationToMilliseconds(
      duration(incremental, 'incremental', 'fullResyncEvery', { days: 1 }),
    ),
    jobsLookbackDays,
    policies,
    restoreJobsLookbackDays: Math.max(
      jobsLookbackDays,
      ...[...policies.values()].map(p =>
        p.restoreTesting.required ? p.restoreTesting.maxAgeDays : 0,
      ),
    ),
    waivers: readWaivers(
      config,
      options.checkIds ?? BUILT_IN_CHECKS.map(c => c.id),
      options.now ?? new Date(),
    ),
    historyRetainDays,
    notifications: readNotifications(config),
  };
}
