import {
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetRestoreTestingPlanCommand,
  GetRestoreTestingSelectionCommand,
  paginateListBackupJobs,
  paginateListBackupPlans,
  paginateListBackupSelections,
  paginateListBackupVaults,
  paginateListCopyJobs,
  paginateListLegalHolds,
  paginateListProtectedResources,
  paginateListRecoveryPointsByBackupVault,
  paginateListRecoveryPointsByLegalHold,
  paginateListRestoreJobs,
  paginateListRestoreTestingPlans,
  paginateListRestoreTestingSelections,
} from '@aws-sdk/client-backup';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { AwsClients } from './awsClients';
import { AccountRegionSnapshot, TaggedResource } from './types';

/**
 * What one account-region's collection read, and what a reader of its run
 * should know about how (e.g. a vault deleted while it was being read).
 */
export type AccountRegionCollection = AccountRegionSnapshot & {
  /** Human-readable; empty when the collection went as usual. */
  notes: string[];
};

/**
 * Tagging API resource types AWS Backup can protect. Only these are listed, so
 * the join never sees resources no backup could cover.
 */
export const BACKUP_SUPPORTED_RESOURCE_TYPES = [
  'rds:db',
  'rds:cluster',
  'dynamodb:table',
  'elasticfilesystem:file-system',
  'ec2:volume',
  'ec2:instance',
  's3',
  'fsx:file-system',
  'storagegateway:gateway',
  'redshift:cluster',
  'docdb:cluster',
  'neptune:cluster',
  'timestream:table',
  'cloudformation:stack',
];

const PAGE_SIZE = 1000;

function isAccessDenied(error: unknown) {
  return (error as { name?: string })?.name === 'AccessDeniedException';
}

async function collect<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
) {
  const items: T[] = [];
  for await (const page of pages) {
    items.push(...(pick(page) ?? []));
  }
  return items;
}

/**
 * Reads one account-region in bulk: a fixed set of list operations whose
 * calls grow with pages of data, never with entities or resources. Any error
 * (after the SDK's retries) rejects, so the caller keeps the previous data,
 * except a vault deleted between its listing and the reading of its recovery
 * points: AWS answers that with AccessDeniedException, so a fresh listing
 * tells a vanished vault (skipped, with a note) from a denied one (rejects).
 */
export async function collectAccountRegion(
  clients: AwsClients,
  target: {
    accountId: string;
    region: string;
    mode: 'full' | 'incremental';
    /** Incremental: jobs and recovery points created after this. */
    since?: Date;
    /** Full: jobs created after this (AWS keeps about 30 days). */
    jobsSince: Date;
    /** Full: test restores created after this (as far back as policies look). */
    restoreJobsSince?: Date;
  },
): Promise<AccountRegionCollection> {
  const { backup, tagging } = clients;
  const paging = { client: backup, pageSize: PAGE_SIZE };
  const pointsSince = target.mode === 'incremental' ? target.since : undefined;
  const jobsSince =
    target.mode === 'incremental' && target.since
      ? target.since
      : target.jobsSince;

  const resources: TaggedResource[] = (
    await collect(
      paginateGetResources(
        { client: tagging, pageSize: 100 },
        {
          ResourceTypeFilters: BACKUP_SUPPORTED_RESOURCE_TYPES,
          ResourcesPerPage: 100,
        },
      ),
      page => page.ResourceTagMappingList,
    )
  ).map(mapping => ({
    arn: mapping.ResourceARN!,
    tags: Object.fromEntries(
      (mapping.Tags ?? []).map(t => [t.Key!, t.Value ?? '']),
    ),
  }));

  const protectedResources = await collect(
    paginateListProtectedResources(paging, {}),
    page => page.Results,
  );

  const notes: string[] = [];
  const listVaults = () =>
    collect(paginateListBackupVaults(paging, {}), page => page.BackupVaultList);
  const listedVaults = await listVaults();
  const goneVaults = new Set<string>();
  const recoveryPoints = [];
  for (const vault of listedVaults) {
    const name = vault.BackupVaultName!;
    try {
      recoveryPoints.push(
        ...(await collect(
          paginateListRecoveryPointsByBackupVault(paging, {
            BackupVaultName: name,
            ByCreatedAfter: pointsSince,
          }),
          page => page.RecoveryPoints,
        )),
      );
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      // Still listed: the role may not read this vault, a real permission problem.
      if ((await listVaults()).some(v => v.BackupVaultName === name)) {
        throw error;
      }
      goneVaults.add(name);
      notes.push(
        `Backup vault ${name} was deleted while it was being read: ListRecoveryPointsByBackupVault answered AccessDeniedException and ListBackupVaults no longer lists it; it is left out of this collection.`,
      );
    }
  }
  const vaults = listedVaults.filter(v => !goneVaults.has(v.BackupVaultName!));

  const backupPlans = [];
  for (const summary of await collect(
    paginateListBackupPlans(paging, {}),
    p => p.BackupPlansList,
  )) {
    const { $metadata: _plan, ...plan } = await backup.send(
      new GetBackupPlanCommand({ BackupPlanId: summary.BackupPlanId }),
    );
    const selections = [];
    for (const selection of await collect(
      paginateListBackupSelections(paging, {
        BackupPlanId: summary.BackupPlanId,
      }),
      p => p.BackupSelectionsList,
    )) {
      const { $metadata: _selection, ...full } = await backup.send(
        new GetBackupSelectionCommand({
          BackupPlanId: summary.BackupPlanId,
          SelectionId: selection.SelectionId,
        }),
      );
      selections.push(full);
    }
    backupPlans.push({ plan, selections });
  }

  // A fresh input per listing: the SDK's paginators write NextToken into it.
  const byCreatedAfter = () => ({ ByCreatedAfter: jobsSince });
  const backupJobs = await collect(
    paginateListBackupJobs(paging, byCreatedAfter()),
    p => p.BackupJobs,
  );
  const copyJobs = await collect(
    paginateListCopyJobs(paging, byCreatedAfter()),
    p => p.CopyJobs,
  );
  const restoreJobs = await collect(
    paginateListRestoreJobs(paging, {
      ByCreatedAfter:
        target.mode === 'incremental' && target.since
          ? target.since
          : target.restoreJobsSince ?? jobsSince,
    }),
    p => p.RestoreJobs,
  );

  const restoreTestingPlans = [];
  for (const summary of await collect(
    paginateListRestoreTestingPlans(paging, {}),
    p => p.RestoreTestingPlans,
  )) {
    const name = summary.RestoreTestingPlanName!;
    const { RestoreTestingPlan } = await backup.send(
      new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: name }),
    );
    const selections = [];
    for (const selection of await collect(
      paginateListRestoreTestingSelections(paging, {
        RestoreTestingPlanName: name,
      }),
      p => p.RestoreTestingSelections,
    )) {
      const { RestoreTestingSelection } = await backup.send(
        new GetRestoreTestingSelectionCommand({
          RestoreTestingPlanName: name,
          RestoreTestingSelectionName: selection.RestoreTestingSelectionName,
        }),
      );
      if (RestoreTestingSelection) selections.push(RestoreTestingSelection);
    }
    if (RestoreTestingPlan)
      restoreTestingPlans.push({ plan: RestoreTestingPlan, selections });
  }

  const legalHolds = [];
  for (const hold of await collect(
    paginateListLegalHolds(paging, {}),
    p => p.LegalHolds,
  )) {
    const points = await collect(
      paginateListRecoveryPointsByLegalHold(paging, {
        LegalHoldId: hold.LegalHoldId,
      }),
      p => p.RecoveryPoints,
    );
    legalHolds.push({
      hold,
      recoveryPointArns: points.map(p => p.RecoveryPointArn!),
    });
  }

  return {
    accountId: target.accountId,
    region: target.region,
    mode: target.mode,
    since: target.mode === 'incremental' ? target.since : target.jobsSince,
    resources,
    protectedResources,
    vaults,
    recoveryPoints,
    backupPlans,
    backupJobs,
    copyJobs,
    restoreJobs,
    restoreTestingPlans,
    legalHolds,
    notes,
  };
}
