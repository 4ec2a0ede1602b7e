import type {
  BackupJob,
  CopyJob,
  RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import {
  BackupPlanWithSelections,
  LegalHoldWithPoints,
  RestoreTestingPlanWithSelections,
  TaggedResource,
} from '../collector/types';
import {
  backupSelectionMatches,
  restoreTestingSelectionMatches,
} from './selection';
import {
  CoveringRule,
  LocatedRecoveryPoint,
  LocatedVault,
  ResourceEvidence,
} from './types';

/** A collected object with the account-region it came from. */
export type Located<T> = { accountId: string; region: string; data: T };

/** Everything the store holds, as plain data. */
export type CollectedState = {
  resources: Located<TaggedResource>[];
  protectedResources: Located<{ ResourceArn: string; ResourceType?: string }>[];
  vaults: Located<LocatedVault>[];
  recoveryPoints: Located<LocatedRecoveryPoint>[];
  backupPlans: Located<BackupPlanWithSelections>[];
  backupJobs: Located<BackupJob>[];
  copyJobs: Located<CopyJob>[];
  restoreJobs: Located<RestoreJobsListMember>[];
  restoreTestingPlans: Located<RestoreTestingPlanWithSelections>[];
  legalHolds: Located<LegalHoldWithPoints>[];
  accountRegions: Array<{
    accountId: string;
    region: string;
    lastSuccessStartedAt?: Date;
    stale: boolean;
  }>;
};

/** `items` by `key`, in their order; those without a key left out. */
export function groupBy<T>(
  items: T[],
  key: (item: T) => string | undefined,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const at = (o: { accountId: string; region: string }) =>
  `${o.accountId}/${o.region}`;
const newestFirst = (a?: Date, b?: Date) =>
  (b?.getTime() ?? 0) - (a?.getTime() ?? 0);

/**
 * Indexes the collected state once, then hands out each resource's evidence
 * without scanning everything again.
 */
export class EvidenceIndex {
  private readonly pointsByResource;
  private readonly vaultsByArn;
  private readonly plansByAccountRegion;
  private readonly backupJobsByResource;
  private readonly copyJobsByResource;
  private readonly testsByResource;
  private readonly restorePlansByAccountRegion;
  private readonly holds: LegalHoldWithPoints[];
  private readonly holdsByPoint: Map<string, number[]>;
  private readonly typeByResource;
  private readonly stateByAccountRegion;

  constructor(state: CollectedState) {
    // Located in place, not copied: the store reads each point into an object of its own,
    // and an estate has hundreds of thousands.
    this.pointsByResource = groupBy(
      state.recoveryPoints.map(p => {
        p.data.accountId = p.accountId;
        p.data.region = p.region;
        return p.data;
      }),
      p => p.ResourceArn,
    );
    for (const points of this.pointsByResource.values()) {
      points.sort((a, b) => newestFirst(a.CreationDate, b.CreationDate));
    }
    this.vaultsByArn = new Map(
      state.vaults.map(v => [
        v.data.BackupVaultArn ??
          `arn:aws:backup:${v.region}:${v.accountId}:backup-vault:${v.data.BackupVaultName}`,
        { ...v.data, accountId: v.accountId, region: v.region },
      ]),
    );
    this.plansByAccountRegion = groupBy(state.backupPlans, at);
    this.backupJobsByResource = groupBy(
      state.backupJobs.map(j => j.data),
      j => j.ResourceArn,
    );
    this.copyJobsByResource = groupBy(
      state.copyJobs.map(j => j.data),
      j => j.ResourceArn,
    );
    this.testsByResource = groupBy(
      state.restoreJobs
        .map(j => j.data)
        .filter(j => j.CreatedBy?.RestoreTestingPlanArn),
      j => j.SourceResourceArn,
    );
    for (const tests of this.testsByResource.values()) {
      tests.sort((a, b) => newestFirst(a.CreationDate, b.CreationDate));
    }
    this.restorePlansByAccountRegion = groupBy(state.restoreTestingPlans, at);
    // Each hold under every point it holds: a resource finds its holds through its points.
    this.holdsByPoint = new Map<string, number[]>();
    this.holds = state.legalHolds.map(h => h.data);
    this.holds.forEach((hold, i) => {
      for (const arn of hold.recoveryPointArns) {
        const list = this.holdsByPoint.get(arn);
        if (list) list.push(i);
        else this.holdsByPoint.set(arn, [i]);
      }
    });
    this.typeByResource = new Map(
      state.protectedResources.map(p => [
        p.data.ResourceArn,
        p.data.ResourceType,
      ]),
    );
    this.stateByAccountRegion = new Map(
      state.accountRegions.map(s => [at(s), s]),
    );
  }

  evidenceFor(resource: Located<TaggedResource>): ResourceEvidence {
    const { arn, tags } = resource.data;
    const points = this.pointsByResource.get(arn) ?? [];
    const resourceType =
      this.typeByResource.get(arn) ??
      points.find(p => p.ResourceType)?.ResourceType;
    const selectable = { arn, tags, resourceType };
    const rules: CoveringRule[] = [];
    for (const { data } of this.plansByAccountRegion.get(at(resource)) ?? []) {
      const selection = data.selections.find(s =>
        backupSelectionMatches(s.BackupSelection, selectable),
      );
      if (!selection) continue;
      for (const rule of data.plan.BackupPlan?.Rules ?? []) {
        rules.push({
          planId: data.plan.BackupPlanId ?? '',
          planName:
            data.plan.BackupPlan?.BackupPlanName ??
            data.plan.BackupPlanId ??
            '',
          selectionName: selection.BackupSelection?.SelectionName,
          rule,
        });
      }
    }
    const restoreTestingSelections = (
      this.restorePlansByAccountRegion.get(at(resource)) ?? []
    ).flatMap(({ data }) =>
      data.selections
        .filter(s => restoreTestingSelectionMatches(s, selectable))
        .map(selection => ({
          planName: data.plan.RestoreTestingPlanName ?? '',
          selection,
          schedule: {
            expression: data.plan.ScheduleExpression,
            timezone: data.plan.ScheduleExpressionTimezone,
          },
        })),
    );
    const heldPoints = new Map<number, string[]>();
    for (const point of points) {
      const pointArn = point.RecoveryPointArn;
      for (const i of (pointArn && this.holdsByPoint.get(pointArn)) || []) {
        const list = heldPoints.get(i);
        if (list) list.push(pointArn!);
        else heldPoints.set(i, [pointArn!]);
      }
    }
    // In the order of the holds, each with its points in the hold's own order.
    const legalHolds = [...heldPoints.keys()]
      .sort((a, b) => a - b)
      .map(i => {
        const held = new Set(heldPoints.get(i));
        return {
          hold: this.holds[i].hold,
          recoveryPointArns: this.holds[i].recoveryPointArns.filter(a =>
            held.has(a),
          ),
        };
      });
    const vaults = new Map<string, LocatedVault>();
    for (const point of points) {
      const vault = point.BackupVaultArn
        ? this.vaultsByArn.get(point.BackupVaultArn)
        : undefined;
      if (vault) vaults.set(point.BackupVaultArn!, vault);
    }
    const state = this.stateByAccountRegion.get(at(resource));
    return {
      arn,
      tags,
      accountId: resource.accountId,
      region: resource.region,
      resourceType,
      collectedAt: state?.lastSuccessStartedAt,
      stale: state?.stale ?? false,
      points,
      vaults,
      rules,
      backupJobs: this.backupJobsByResource.get(arn) ?? [],
      copyJobs: this.copyJobsByResource.get(arn) ?? [],
      restoreTests: this.testsByResource.get(arn) ?? [],
      restoreTestingSelections,
      legalHolds,
    };
  }

  /** Account-regions collected successfully at least once. */
  collected(): Set<string> {
    return new Set(
      [...this.stateByAccountRegion.entries()]
        .filter(([, s]) => s.lastSuccessStartedAt)
        .map(([k]) => k),
    );
  }
}
