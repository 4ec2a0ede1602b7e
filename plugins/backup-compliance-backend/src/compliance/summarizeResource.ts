import { ResourceSummary } from '@backup-compliance/backstage-plugin-common';
import { BackupPolicy } from '../config/readPolicies';
import { pointRetentionDays, tierOfPoint } from './checks/retention';
import { testedStorageClass } from './checks/restoreTesting';
import {
  isCold,
  isContinuous,
  schedulesOf,
  sourcePoints,
  usablePoints,
} from './checks/util';
import { ResourceEvidence } from './types';

function lockMode(
  vault: { Locked?: boolean; LockDate?: Date; VaultType?: string },
  now: Date,
) {
  if (vault.VaultType === 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT') {
    return 'compliance (air-gapped)';
  }
  if (!vault.Locked) return 'none';
  if (!vault.LockDate) return 'governance';
  return vault.LockDate.getTime() <= now.getTime()
    ? 'compliance'
    : 'compliance (cooling-off)';
}

const iso = <K extends string>(key: K, date: Date | undefined) =>
  (date ? { [key]: date.toISOString() } : {}) as Partial<Record<K, string>>;

/**
 * What a person reading the resources table wants at a glance: the newest
 * point against the RPO, what each tier keeps, vaults and their locks, keys,
 * copies, the last test restore and legal holds.
 */
export function summarizeResource(
  resource: ResourceEvidence,
  policy: BackupPolicy,
  now: Date,
): ResourceSummary {
  const own = usablePoints(sourcePoints(resource.points, resource));
  const newest = own[0]?.CreationDate;
  const retention: ResourceSummary['retentionDays'] = {};
  for (const point of own) {
    const tier = tierOfPoint(point, resource.rules);
    if (tier === 'daily' || tier === 'monthly' || tier === 'yearly') {
      const days = pointRetentionDays(point);
      const kept = Number.isFinite(days) ? days : null;
      const current = retention[tier];
      if (
        current === undefined ||
        (current !== null && (kept === null || kept > current))
      ) {
        retention[tier] = kept;
      }
    }
  }
  const vaults = [
    ...new Set(own.map(p => p.BackupVaultArn).filter((a): a is string => !!a)),
  ].map(arn => {
    const vault = resource.vaults.get(arn);
    return {
      name: vault?.BackupVaultName ?? arn.split(':').pop() ?? arn,
      lock: vault ? lockMode(vault, now) : 'not collected',
    };
  });
  // Copies seen as recovery points elsewhere, or as completed copy jobs to vaults elsewhere.
  const elsewhere = (accountId?: string, region?: string) =>
    !!accountId &&
    !!region &&
    (accountId !== resource.accountId || region !== resource.region);
  const copies = new Set<string>();
  for (const p of usablePoints(resource.points)) {
    if (elsewhere(p.accountId, p.region))
      copies.add(`${p.accountId}/${p.region}`);
  }
  for (const job of resource.copyJobs) {
    const [, , , region, accountId] =
      job.DestinationBackupVaultArn?.split(':') ?? [];
    if (job.State === 'COMPLETED' && elsewhere(accountId, region))
      copies.add(`${accountId}/${region}`);
  }
  const test = resource.restoreTests.find(
    t => t.Status !== 'RUNNING' && t.Status !== 'PENDING',
  );
  const succeeded = resource.restoreTests.find(
    t => t.Status === 'COMPLETED' && t.ValidationStatus !== 'FAILED',
  );
  const continuous = own.find(p => isContinuous(p));
  const storageClass = test && testedStorageClass(test, resource);
  return {
    resourceType: resource.resourceType,
    newestPointAt: newest?.toISOString(),
    newestPointAgeHours: newest
      ? Math.round(((now.getTime() - newest.getTime()) / 3_600_000) * 10) / 10
      : undefined,
    ...(continuous
      ? {
          continuous: {
            since: continuous.CreationDate?.toISOString(),
            windowDays: continuous.Lifecycle?.DeleteAfterDays,
          },
        }
      : {}),
    coldPoints: usablePoints(resource.points).filter(p => isCold(p, now))
      .length,
    ...iso(
      'nextBackupAt',
      schedulesOf(
        resource.rules.map(r => ({
          name: r.rule.RuleName ?? '',
          expression: r.rule.ScheduleExpression,
          timezone: r.rule.ScheduleExpressionTimezone,
        })),
        now,
      ).next,
    ),
    ...iso(
      'nextRestoreTestAt',
      schedulesOf(
        resource.restoreTestingSelections.map(s => ({
          name: s.planName,
          expression: s.schedule?.expression,
          timezone: s.schedule?.timezone,
        })),
        now,
      ).next,
    ),
    rpoHours: policy.rpoHours,
    retentionDays: retention,
    vaults,
    keyTypes: [
      ...new Set(
        own.flatMap(p =>
          p.EncryptionKeyType ? [String(p.EncryptionKeyType)] : [],
        ),
      ),
    ],
    copies: [...copies].sort(),
    lastRestoreTest: test
      ? {
          at: test.CreationDate?.toISOString(),
          status: test.Status,
          validation: test.ValidationStatus,
          minutes:
            test.CreationDate && test.CompletionDate
              ? Math.round(
                  (test.CompletionDate.getTime() -
                    test.CreationDate.getTime()) /
                    60_000,
                )
              : undefined,
          ...(storageClass ? { storageClass } : {}),
        }
      : undefined,
    ...iso('lastSuccessfulRestoreTestAt', succeeded?.CreationDate),
    rtoMinutes: policy.rtoMinutes,
    legalHolds: resource.legalHolds.filter(h => h.hold.Status === 'ACTIVE')
      .length,
  };
}
