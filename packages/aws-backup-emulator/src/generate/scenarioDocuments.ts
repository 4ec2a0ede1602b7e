import { stableId } from '../scenario/ids';
import type { SyntheticOrgOptions } from './generate';
import {
  backupJobs,
  copyJobs,
  RESTORE_TESTING_PLAN,
  restoreTestingPlanArn,
  restoreTestJobs,
} from './jobs';
import {
  AccountPlan,
  AccountRegionPlan,
  CENTRAL_VAULT,
  Json,
  lifecycleOf,
  OrgPlan,
  POLICIES,
  POLICY_TAG,
  RESOURCE_KINDS,
  ResourcePlan,
  RESTORE_TESTING_TAG,
  VaultLock,
} from './orgPlan';
import { between, STREAM, streamRandom } from './random';
import { heldPointArn, pointSlots, recoveryPoint } from './recoveryPoints';

function legalHold(
  org: OrgPlan,
  ar: AccountRegionPlan,
  resource: ResourcePlan,
  arns: string[],
): Json {
  const random = streamRandom(org.options.seed, STREAM.legalHold, ar.index);
  const caseNumber = between(random, 1, 999);
  const subject = resource.tags?.app ?? resource.arn;
  const hold: Json = {
    Title: `Case ${caseNumber}`,
    Description: `Preserve backups of ${subject} for case ${caseNumber}`,
    Status: random() < 0.8 ? 'ACTIVE' : 'CANCELED',
    CreationDate: `-${between(random, 10, 400)}d`,
    RecoveryPointArns: arns,
  };
  if (hold.Status === 'CANCELED') {
    hold.CancellationDate = `-${between(random, 1, 9)}d`;
    hold.RetainRecordUntil = '+365d';
  }
  return hold;
}

function vault(
  org: OrgPlan,
  ar: AccountRegionPlan,
  name: string,
  lock: VaultLock,
  customerKey: boolean,
): Json {
  const doc: Json = { BackupVaultName: name, CreationDate: '-900d' };
  if (customerKey) {
    const key = stableId(
      'synthetic',
      org.options.seed,
      ar.accountId,
      ar.region,
      name,
    );
    doc.EncryptionKeyArn = `arn:aws:kms:${ar.region}:${ar.accountId}:key/${key}`;
    doc.EncryptionKeyType = 'CUSTOMER_MANAGED_KMS_KEY';
  } else {
    doc.EncryptionKeyType = 'AWS_OWNED_KMS_KEY';
  }
  doc.Locked = lock !== 'none';
  // Governance mode has no lock date; compliance mode's date has passed.
  if (lock === 'compliance') doc.LockDate = `-${ar.setup.lockAgeDays}d`;
  if (lock !== 'none') {
    doc.MinRetentionDays = ar.setup.minRetentionDays;
    doc.MaxRetentionDays = 3650;
  }
  return doc;
}

function vaults(org: OrgPlan, ar: AccountRegionPlan): Json[] {
  if (ar.central) {
    // The central account's vault is logically air-gapped, as banks set them up now.
    return [
      {
        ...vault(org, ar, CENTRAL_VAULT, 'compliance', true),
        VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      },
    ];
  }
  const { setup } = ar;
  return [
    vault(org, ar, 'transactions-vault', setup.transactionsLock, true),
    vault(
      org,
      ar,
      'rewards-vault',
      setup.rewardsLock,
      setup.rewardsCustomerKey,
    ),
    vault(org, ar, 'Default', 'none', false),
  ];
}

function backupPlans(ar: AccountRegionPlan): Json[] {
  if (ar.central) return [];
  return POLICIES.map(policy => ({
    BackupPlanId: ar.rules[policy][0].planId,
    BackupPlanName: `${policy}-plan`,
    CreationDate: '-700d',
    Rules: ar.rules[policy].map(rule => ({
      RuleName: rule.name,
      TargetBackupVaultName: rule.vaultName,
      ScheduleExpression: rule.cron,
      StartWindowMinutes: 60,
      CompletionWindowMinutes: 1440,
      Lifecycle: lifecycleOf(rule.name, rule.deleteAfterDays),
      ...(rule.copies.length > 0
        ? {
            CopyActions: rule.copies.map(copy => ({
              DestinationBackupVaultArn: copy.vaultArn,
              Lifecycle: lifecycleOf(rule.name, copy.deleteAfterDays),
            })),
          }
        : {}),
    })),
    Selections: [
      {
        SelectionName: `tagged-${policy}`,
        ListOfTags: [
          {
            ConditionType: 'STRINGEQUALS',
            ConditionKey: POLICY_TAG,
            ConditionValue: policy,
          },
        ],
      },
    ],
  }));
}

function restoreTestingPlans(org: OrgPlan, ar: AccountRegionPlan): Json[] {
  if (ar.central || !ar.setup.restoreTesting) return [];
  return [
    {
      RestoreTestingPlanName: RESTORE_TESTING_PLAN,
      RestoreTestingPlanArn: restoreTestingPlanArn(org, ar),
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      StartWindowHours: 24,
      CreationTime: '-400d',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: ['*'],
        RecoveryPointTypes: ['SNAPSHOT'],
        SelectionWindowDays: 7,
      },
      Selections: RESOURCE_KINDS.map(kind => ({
        RestoreTestingSelectionName: `${kind.toLowerCase()}_candidates`,
        ProtectedResourceType: kind,
        ProtectedResourceConditions: {
          StringEquals: [
            { Key: `aws:ResourceTag/${RESTORE_TESTING_TAG}`, Value: 'true' },
          ],
        },
        ValidationWindowHours: 4,
      })),
    },
  ];
}

/** Running totals of what was generated, for the summary. */
export type Counts = {
  recoveryPoints: number;
  backupJobs: number;
  copyJobs: number;
  restoreJobs: number;
  legalHolds: number;
};

export function emptyCounts(): Counts {
  return {
    recoveryPoints: 0,
    backupJobs: 0,
    copyJobs: 0,
    restoreJobs: 0,
    legalHolds: 0,
  };
}

/** One account-region of the scenario: its own resources' data and the copies it receives. */
export function accountRegionDocument(
  org: OrgPlan,
  index: number,
  counts: Counts,
): Json {
  const ar = org.accountRegions[index];
  const pointsByVault = new Map<string, Json[]>();
  const addPoint = (vaultName: string, point: Json) => {
    const list = pointsByVault.get(vaultName) ?? [];
    list.push(point);
    pointsByVault.set(vaultName, list);
  };
  const jobs = {
    backup: [] as Json[],
    copy: [] as Json[],
    restore: [] as Json[],
  };
  const holds: Json[] = [];
  for (const r of ar.resources) {
    const resource = org.resources[r];
    if (!resource.policy || resource.points === 0) continue;
    const slots = pointSlots(org, resource);
    const own = slots.filter(s => !s.copy);
    // The oldest points are the ones a case is about.
    const held =
      ar.legalHoldResource === r ? new Set(own.slice(-5)) : undefined;
    const heldArns: string[] = [];
    for (const slot of own) {
      const arn = held?.has(slot)
        ? heldPointArn(org, resource, slot)
        : undefined;
      if (arn) heldArns.push(arn);
      addPoint(slot.rule.vaultName, recoveryPoint(org, resource, slot, arn));
    }
    const random = streamRandom(org.options.seed, STREAM.jobs, r);
    jobs.backup.push(...backupJobs(resource, own, random));
    jobs.copy.push(
      ...copyJobs(
        org,
        resource,
        slots.filter(s => s.copy),
        random,
      ),
    );
    jobs.restore.push(...restoreTestJobs(org, ar, resource, random));
    if (heldArns.length > 0) holds.push(legalHold(org, ar, resource, heldArns));
  }
  for (const r of ar.incomingCopies) {
    const resource = org.resources[r];
    for (const slot of pointSlots(org, resource)) {
      if (slot.copy?.accountRegion !== index) continue;
      addPoint(
        slot.copy.vaultName,
        recoveryPoint(org, resource, slot, undefined),
      );
    }
  }
  const backupVaults = vaults(org, ar).map(v => ({
    ...v,
    RecoveryPoints: pointsByVault.get(v.BackupVaultName as string) ?? [],
  }));
  for (const v of backupVaults) {
    counts.recoveryPoints += v.RecoveryPoints.length;
  }
  counts.backupJobs += jobs.backup.length;
  counts.copyJobs += jobs.copy.length;
  counts.restoreJobs += jobs.restore.length;
  counts.legalHolds += holds.length;
  return {
    Region: ar.region,
    Resources: ar.resources.map(r => {
      const { arn, tags } = org.resources[r];
      return tags ? { ResourceARN: arn, Tags: tags } : { ResourceARN: arn };
    }),
    BackupVaults: backupVaults,
    BackupPlans: backupPlans(ar),
    BackupJobs: jobs.backup,
    CopyJobs: jobs.copy,
    RestoreJobs: jobs.restore,
    RestoreTestingPlans: restoreTestingPlans(org, ar),
    LegalHolds: holds,
  };
}

export function describeOrg(options: SyntheticOrgOptions): string {
  const { entities, resources, accountRegions, recoveryPoints, seed } = options;
  return (
    `Synthetic org (emulator generate --seed ${seed}): ${entities} components, ` +
    `${resources} resources, ${accountRegions} account-regions, ` +
    `${recoveryPoints} recovery points. Times are relative to load time.`
  );
}

export function accountHeader(account: AccountPlan): Json {
  return { AccountId: account.accountId, Name: account.name, Regions: [] };
}

/**
 * The scenario as JSON text, one account-region at a time, so the full-size
 * org never sits in memory at once; the text equals JSON.stringify of
 * `generateSyntheticOrg(...).scenario`.
 */
export function* scenarioJsonChunks(
  org: OrgPlan,
  counts: Counts,
): Generator<string> {
  const description = JSON.stringify(describeOrg(org.options));
  yield `{"Description":${description},"Accounts":[`;
  for (const [a, account] of org.accounts.entries()) {
    // Regions is the header's last field: drop its closing `]}` and fill it.
    const header = JSON.stringify(accountHeader(account)).slice(0, -2);
    yield a > 0 ? `,${header}` : header;
    for (const [k, index] of account.accountRegions.entries()) {
      const region = JSON.stringify(accountRegionDocument(org, index, counts));
      yield k > 0 ? `,${region}` : region;
    }
    yield ']}';
  }
  yield ']}';
}
