/**
 * The keys `backupCompliance` may hold (config.d.ts). A key that is not here is a typo
 * or a key of another version: a misspelt `rpoHour` would otherwise leave the policy at
 * its default, a weaker policy than the one written, and nobody would notice.
 */
type KeySchema = { [key: string]: KeySchema | 'value' } | [KeySchema];

const DURATION = 'value'; // an object ({ minutes: 30 }) or a string, read as a whole

const POLICY: KeySchema = {
  rpoHours: 'value',
  rtoMinutes: 'value',
  retention: {
    dailyDays: 'value',
    monthlyMonths: 'value',
    yearlyYears: 'value',
  },
  legalRetentionYears: 'value',
  vaultLock: 'value',
  encryption: 'value',
  copies: { crossRegion: 'value', crossAccount: 'value', retention: 'value' },
  restoreTesting: {
    required: 'value',
    maxAgeDays: 'value',
    requireValidation: 'value',
  },
};

const BACKUP_COMPLIANCE: KeySchema = {
  schedule: { frequency: DURATION, timeout: DURATION, initialDelay: DURATION },
  regions: 'value',
  accounts: 'value',
  endpoint: 'value',
  organization: { accountId: 'value' },
  tagKeys: { policy: 'value', restoreTesting: 'value' },
  concurrency: 'value',
  shards: 'value',
  requestTimeout: DURATION,
  catalogConditionsTtl: DURATION,
  requestsPerSecond: { list: 'value', get: 'value', total: 'value' },
  accountRegionTimeout: DURATION,
  refresh: { fullPerCaller: DURATION, entityPerCaller: DURATION },
  incremental: { overlap: DURATION, fullResyncEvery: DURATION },
  jobsLookbackDays: 'value',
  policies: { '*': POLICY },
  waivers: [
    {
      entity: 'value',
      check: 'value',
      reason: 'value',
      approvedBy: 'value',
      expires: 'value',
    },
  ],
  history: { retainDays: 'value' },
  notifications: {
    levels: 'value',
    recovered: 'value',
    waiverExpiryDays: 'value',
  },
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

function walk(
  value: unknown,
  schema: KeySchema | 'value',
  path: string,
  problems: string[],
) {
  if (schema === 'value' || value === null || typeof value !== 'object') {
    return; // values are checked where they are read
  }
  if (Array.isArray(schema)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        walk(item, schema[0], `${path}[${i}]`, problems),
      );
    }
    return;
  }
  if (Array.isArray(value)) return;
  const known = Object.keys(schema).filter(k => k !== '*');
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = schema[key] ?? schema['*'];
    if (childSchema === undefined) {
      const near = known.find(k => distance(k, key) <= 2);
      problems.push(
        `Invalid config at ${path}.${key}: unknown key${
          near ? ` (did you mean ${near}?)` : ''
        }; known keys here: ${known.join(', ')}`,
      );
      continue;
    }
    walk(child, childSchema, `${path}.${key}`, problems);
  }
}

/** Every key under `backupCompliance` that config.d.ts does not define, with its path. */
export function unknownKeyProblems(backupCompliance: unknown): string[] {
  const problems: string[] = [];
  walk(backupCompliance, BACKUP_COMPLIANCE, 'backupCompliance', problems);
  return problems;
}
