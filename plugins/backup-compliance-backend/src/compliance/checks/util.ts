import { CheckFact } from '@backup-compliance/backstage-plugin-common';
import { longestGapHours, nextRun } from '../cron';
import { CoveringRule, LocatedRecoveryPoint, ResourceVerdict } from '../types';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function fact(
  label: string,
  value: CheckFact['value'] | Date | undefined,
  source: string,
  resourceArn?: string,
): CheckFact {
  return {
    label,
    value: value instanceof Date ? value.toISOString() : value ?? null,
    source,
    ...(resourceArn ? { resourceArn } : {}),
  };
}

/** "26 h", "3 d", "2.1 y": an age a person reads at a glance. */
export function humanAge(ms: number): string {
  const hours = ms / HOUR_MS;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  const days = ms / DAY_MS;
  if (days < 730) return `${Math.round(days * 10) / 10} d`;
  return `${Math.round((days / 365) * 10) / 10} y`;
}

export function humanDays(days: number): string {
  if (days % 365 === 0 && days >= 365) return `${days / 365} y (${days} d)`;
  return `${days} d`;
}

export const notApplicable = (explanation: string): ResourceVerdict => ({
  status: 'pass',
  notApplicable: true,
  explanation,
  facts: [],
});

/** Recovery points that can be restored from. */
export function usablePoints(
  points: LocatedRecoveryPoint[],
): LocatedRecoveryPoint[] {
  return points.filter(
    p => p.Status === 'COMPLETED' || p.Status === 'AVAILABLE',
  );
}

/** Points in the resource's own account-region (not copies elsewhere). */
export function sourcePoints<T extends { accountId: string; region: string }>(
  points: T[],
  resource: { accountId: string; region: string },
): T[] {
  return points.filter(
    p => p.accountId === resource.accountId && p.region === resource.region,
  );
}

/** AWS names a continuous backup's point `…:recovery-point:continuous:…`. */
const CONTINUOUS_ARN = ':recovery-point:continuous:';

/** The rule a point names in `CreatedBy`, among the rules covering its resource. */
export function ruleOfPoint(
  point: LocatedRecoveryPoint,
  rules: CoveringRule[],
): CoveringRule | undefined {
  const by = point.CreatedBy;
  if (!by) return undefined;
  return rules.find(
    r =>
      (!by.BackupPlanId || r.planId === by.BackupPlanId) &&
      ((by.BackupRuleId !== undefined && r.rule.RuleId === by.BackupRuleId) ||
        (by.BackupRuleName !== undefined &&
          r.rule.RuleName === by.BackupRuleName)),
  );
}

/**
 * A continuous backup (point-in-time recovery): AWS gives its point a continuous ARN.
 * Rules with `EnableContinuousBackup` also take snapshots, with snapshot ARNs: those are
 * points of a moment, judged like any other.
 */
export function isContinuous(point: LocatedRecoveryPoint): boolean {
  return !!point.RecoveryPointArn?.includes(CONTINUOUS_ARN);
}

/**
 * A point in cold storage at `at`: `ListRecoveryPointsByBackupVault` does not send
 * `StorageClass`, so it is read from `CalculatedLifecycle.MoveToColdStorageAt`.
 */
export function isCold(point: LocatedRecoveryPoint, at: Date): boolean {
  const moved = point.CalculatedLifecycle?.MoveToColdStorageAt;
  return !!moved && moved.getTime() <= at.getTime();
}

/** How often a set of schedules runs: the most frequent one's longest gap, and the next run of any. */
export function schedulesOf(
  schedules: Array<{ name: string; expression?: string; timezone?: string }>,
  now: Date,
): {
  /** The longest gap between runs of the most frequent schedule, in hours. */
  gapHours?: number;
  /** Which schedule that is. */
  most?: string;
  next?: Date;
} {
  let gapHours: number | undefined;
  let most: string | undefined;
  let next: Date | undefined;
  for (const { name, expression, timezone } of schedules) {
    const gap = longestGapHours(expression);
    if (gap !== undefined && (gapHours === undefined || gap < gapHours)) {
      gapHours = gap;
      most = `${name} (${expression}${timezone ? `, ${timezone}` : ''})`;
    }
    const run = nextRun(expression, now, timezone);
    if (run && (!next || run < next)) next = run;
  }
  return { gapHours, most, next };
}

/** "24 h", "7 d": a schedule's gap. */
export const humanHours = (hours: number) =>
  hours < 48
    ? `${Math.round(hours * 10) / 10} h`
    : `${Math.round((hours / 24) * 10) / 10} d`;
