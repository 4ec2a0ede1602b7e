import {
  recoveryPointArnFor,
  resourceTypeOfArn,
  stableId,
  vaultArn,
} from '../scenario/ids';
import {
  CopyTarget,
  Json,
  lifecycleOf,
  OrgPlan,
  ResourcePlan,
  RuleSpec,
} from './orgPlan';
import { between, STREAM, streamRandom } from './random';

export const DAY = 1440; // minutes; every age is in minutes before load time
export const GIB = 1_073_741_824;

/** A relative scenario time `minutes` before load. */
export function ago(minutes: number): string {
  return `-${Math.max(1, Math.round(minutes))}m`;
}

export type PointSlot = {
  ordinal: number;
  rule: RuleSpec;
  ageMinutes: number;
  sizeBytes: number;
  status?: 'PARTIAL' | 'EXPIRED';
  /** Set on copies: the point lives in the copy target's vault. */
  copy?: CopyTarget;
};

/** How many points of a tier its retention keeps. */
function tierCapacity(rule: RuleSpec): number {
  if (rule.name === 'daily') return rule.deleteAfterDays;
  if (rule.name === 'monthly') return Math.floor(rule.deleteAfterDays / 30);
  return Math.floor(rule.deleteAfterDays / 365);
}

/**
 * A resource's points, newest tiers first, so any count gives a believable
 * history: dailies with a few monthlies and yearlies mixed in, each followed by
 * its copies; points past every tier's retention are EXPIRED dailies. Pure in
 * (seed, resource), so a copy's target account-region can regenerate them.
 */
export function pointSlots(org: OrgPlan, resource: ResourcePlan): PointSlot[] {
  const random = streamRandom(org.options.seed, STREAM.points, resource.index);
  const rules =
    org.accountRegions[resource.accountRegion].rules[resource.policy!];
  // About 7% are stale: the last successful backup is more than a day old.
  const newest =
    random() < 0.93
      ? between(random, 30, 1400)
      : between(random, 1500, 10 * DAY);
  const monthlyStart = newest + between(random, 0, 29) * DAY;
  const yearlyStart = newest + between(random, 0, 364) * DAY;
  const baseSize = between(random, 1, 2000) * (GIB / 8);
  const slots: PointSlot[] = [];
  const count = resource.points;
  const add = (rule: RuleSpec, age: number, status?: PointSlot['status']) => {
    const sizeBytes = Math.round(baseSize * (0.9 + 0.2 * random()));
    const partial = !status && random() < 0.01;
    slots.push({
      ordinal: slots.length,
      rule,
      ageMinutes: age,
      sizeBytes,
      status: partial ? 'PARTIAL' : status,
    });
    if (status) return;
    for (const copy of rule.copies) {
      if (slots.length >= count) return;
      slots.push({
        ordinal: slots.length,
        rule,
        ageMinutes: Math.max(1, age - between(random, 60, 240)),
        sizeBytes,
        copy,
      });
    }
  };
  const schedule = [
    { tier: 'daily', every: 1, start: newest, spacing: DAY },
    { tier: 'monthly', every: 3, start: monthlyStart, spacing: 30 * DAY },
    { tier: 'yearly', every: 8, start: yearlyStart, spacing: 365 * DAY },
  ].flatMap(({ tier, ...timing }) => {
    const rule = rules.find(r => r.name === tier);
    return rule ? [{ rule, capacity: tierCapacity(rule), ...timing }] : [];
  });
  for (let round = 0; slots.length < count; round++) {
    const live = schedule.filter(t => round / t.every < t.capacity);
    if (live.length === 0) add(rules[0], newest + round * DAY, 'EXPIRED');
    for (const t of live) {
      if (round % t.every === 0 && slots.length < count) {
        add(t.rule, t.start + (round / t.every) * t.spacing);
      }
    }
  }
  slots.length = count;
  return slots;
}

export function createdBy(rule: RuleSpec): Json {
  return {
    BackupPlanId: rule.planId,
    BackupRuleName: rule.name,
    BackupRuleCron: rule.cron,
  };
}

export function homeVaultArn(
  org: OrgPlan,
  resource: ResourcePlan,
  vaultName: string,
) {
  const ar = org.accountRegions[resource.accountRegion];
  return vaultArn(ar.region, ar.accountId, vaultName);
}

export function heldPointArn(
  org: OrgPlan,
  resource: ResourcePlan,
  slot: PointSlot,
) {
  const ar = org.accountRegions[resource.accountRegion];
  const id = stableId(
    'synthetic',
    org.options.seed,
    resource.index,
    slot.ordinal,
  );
  return recoveryPointArnFor(
    resourceTypeOfArn(resource.arn),
    ar.region,
    ar.accountId,
    id,
  );
}

export function recoveryPoint(
  org: OrgPlan,
  resource: ResourcePlan,
  slot: PointSlot,
  recoveryPointArn: string | undefined,
): Json {
  const point: Json = { ResourceArn: resource.arn };
  if (recoveryPointArn) point.RecoveryPointArn = recoveryPointArn;
  point.CreationDate = ago(slot.ageMinutes);
  if (slot.status) point.Status = slot.status;
  point.BackupSizeInBytes = slot.sizeBytes;
  if (!resource.encrypted) point.IsEncrypted = false;
  point.Lifecycle = lifecycleOf(
    slot.rule.name,
    slot.copy?.deleteAfterDays ?? slot.rule.deleteAfterDays,
  );
  point.CreatedBy = createdBy(slot.rule);
  if (slot.copy) {
    point.SourceBackupVaultArn = homeVaultArn(
      org,
      resource,
      slot.rule.vaultName,
    );
  }
  return point;
}
