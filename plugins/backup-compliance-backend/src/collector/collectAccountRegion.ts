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
import { storedRecoveryPoint } from './storedRecoveryPoint';
import {
  AccountRegionSnapshot,
  BackupPlanWithSelections,
  RestoreTestingPlanWithSelections,
  TaggedResource,
} from './types';

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
/** Vaults, plans or holds of one account-region read at once. */
const FAN_OUT = 8;

const isDefined = <T>(value: T | undefined): value is T => value !== undefined;

/** `task` over `items`, at most `limit` at once, answers in the items' order. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
  stopped: () => unknown = () => undefined,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        if (stopped()) throw stopped();
        const i = next++;
        results[i] = await task(items[i]);
      }
    }),
  );
  return results;
}

function isAccessDenied(error: unknown) {
  return (error as { name?: string })?.name === 'AccessDeniedException';
}

/** Reads every page; stops before the next page once `stopped()` answers an error. */
async function collect<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
  stopped: () => unknown = () => undefined,
) {
  const items: T[] = [];
  for await (const page of pages) {
    items.push(...(pick(page) ?? []));
    if (stopped()) throw stopped();
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
  },
  /**
   * Incremental: what the store holds for this account-region. A plan whose
   * `VersionId` is unchanged is not read again, nor is a selection already known
   * (AWS never changes one: an edited selection gets a new id), nor a restore-testing
   * plan whose `LastUpdateTime` is unchanged.
   */
  known: {
    backupPlans?: BackupPlanWithSelections[];
    restoreTestingPlans?: RestoreTestingPlanWithSelections[];
  } = {},
): Promise<AccountRegionCollection> {
  const { backup, tagging } = clients;
  // The first error fails the account-region: the other listings start no further
  // call, and the answer waits until none is in flight.
  let failure: unknown;
  const stopped = () => failure;
  const pagesOf = <P, T>(
    pages: AsyncIterable<P>,
    pick: (page: P) => T[] | undefined,
  ) => collect(pages, pick, stopped);
  const each = <T, R>(items: T[], task: (item: T) => Promise<R>) =>
    mapBounded(items, FAN_OUT, task, stopped);
  const paging = { client: backup, pageSize: PAGE_SIZE };
  const pointsSince = target.mode === 'incremental' ? target.since : undefined;
  const jobsSince =
    target.mode === 'incremental' && target.since
      ? target.since
      : target.jobsSince;

  const settled = async <T extends readonly unknown[]>(
    work: readonly [...{ [K in keyof T]: Promise<T[K]> }],
  ): Promise<T> => {
    const outcomes = await Promise.allSettled(
      work.map(p =>
        p.catch(error => {
          failure ??= error;
          throw error;
        }),
      ),
    );
    if (failure) throw failure;
    return outcomes.map(
      o => (o as PromiseFulfilledResult<unknown>).value,
    ) as any;
  };

  const readResources = async (): Promise<TaggedResource[]> =>
    (
      await pagesOf(
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

  const notes: string[] = [];
  const listVaults = () =>
    pagesOf(paginateListBackupVaults(paging, {}), page => page.BackupVaultList);
  const readVaults = async () => {
    const listed = await listVaults();
    const gone = new Set<string>();
    const points = await each(listed, async vault => {
      const name = vault.BackupVaultName!;
      try {
        return await pagesOf(
          paginateListRecoveryPointsByBackupVault(paging, {
            BackupVaultName: name,
            ByCreatedAfter: pointsSince,
          }),
          page => page.RecoveryPoints?.map(storedRecoveryPoint),
        );
      } catch (error) {
        if (!isAccessDenied(error)) throw error;
        // Still listed: the role may not read this vault, a real permission problem.
        if ((await listVaults()).some(v => v.BackupVaultName === name)) {
          throw error;
        }
        gone.add(name);
        notes.push(
          `Backup vault ${name} was deleted while it was being read: ListRecoveryPointsByBackupVault answered AccessDeniedException and ListBackupVaults no longer lists it; it is left out of this collection.`,
        );
        return [];
      }
    });
    return {
      vaults: listed.filter(v => !gone.has(v.BackupVaultName!)),
      recoveryPoints: points.flat(),
    };
  };

  const incremental = target.mode === 'incremental';
  const knownPlans = new Map(
    (incremental ? known.backupPlans ?? [] : []).map(p => [
      p.plan.BackupPlanId,
      p,
    ]),
  );
  const readBackupPlans = async () =>
    each(
      await pagesOf(
        paginateListBackupPlans(paging, {}),
        p => p.BackupPlansList,
      ),
      async summary => {
        const stored = knownPlans.get(summary.BackupPlanId);
        const sameVersion =
          stored && stored.plan.VersionId === summary.VersionId;
        const [plan, selectionList] = await Promise.all([
          sameVersion
            ? stored.plan
            : backup
                .send(
                  new GetBackupPlanCommand({
                    BackupPlanId: summary.BackupPlanId,
                  }),
                )
                .then(({ $metadata: _plan, ...read }) => read),
          pagesOf(
            paginateListBackupSelections(paging, {
              BackupPlanId: summary.BackupPlanId,
            }),
            p => p.BackupSelectionsList,
          ),
        ]);
        const storedSelections = new Map(
          (stored?.selections ?? []).map(s => [s.SelectionId, s]),
        );
        const selections = await each(selectionList, async selection => {
          const kept = storedSelections.get(selection.SelectionId);
          if (kept) return kept;
          const { $metadata: _selection, ...full } = await backup.send(
            new GetBackupSelectionCommand({
              BackupPlanId: summary.BackupPlanId,
              SelectionId: selection.SelectionId,
            }),
          );
          return full;
        });
        return { plan, selections };
      },
    );

  const knownTestingPlans = new Map(
    (incremental ? known.restoreTestingPlans ?? [] : []).map(p => [
      p.plan.RestoreTestingPlanName,
      p,
    ]),
  );
  const readRestoreTestingPlans = async () =>
    (
      await each(
        await pagesOf(
          paginateListRestoreTestingPlans(paging, {}),
          p => p.RestoreTestingPlans,
        ),
        async summary => {
          const name = summary.RestoreTestingPlanName!;
          const stored = knownTestingPlans.get(name);
          // the same plan (created then), not edited since (or never edited)
          const time = (value?: Date | string) =>
            value === undefined ? undefined : new Date(value).getTime();
          const unchanged =
            stored !== undefined &&
            time(stored.plan.CreationTime) === time(summary.CreationTime) &&
            time(stored.plan.LastUpdateTime) === time(summary.LastUpdateTime);
          const [{ RestoreTestingPlan }, selectionList] = await Promise.all([
            unchanged
              ? { RestoreTestingPlan: stored.plan }
              : backup.send(
                  new GetRestoreTestingPlanCommand({
                    RestoreTestingPlanName: name,
                  }),
                ),
            pagesOf(
              paginateListRestoreTestingSelections(paging, {
                RestoreTestingPlanName: name,
              }),
              p => p.RestoreTestingSelections,
            ),
          ]);
          const selections = (
            await each(selectionList, async selection => {
              const { RestoreTestingSelection } = await backup.send(
                new GetRestoreTestingSelectionCommand({
                  RestoreTestingPlanName: name,
                  RestoreTestingSelectionName:
                    selection.RestoreTestingSelectionName,
                }),
              );
              return RestoreTestingSelection;
            })
          ).filter(isDefined);
          return RestoreTestingPlan
            ? { plan: RestoreTestingPlan, selections }
            : undefined;
        },
      )
    ).filter(isDefined);

  const readLegalHolds = async () =>
    each(
      await pagesOf(paginateListLegalHolds(paging, {}), p => p.LegalHolds),
      async hold => {
        const points = await pagesOf(
          paginateListRecoveryPointsByLegalHold(paging, {
            LegalHoldId: hold.LegalHoldId,
          }),
          p => p.RecoveryPoints,
        );
        return {
          hold,
          recoveryPointArns: points.map(p => p.RecoveryPointArn!),
        };
      },
    );

  // A fresh input per listing: the SDK's paginators write NextToken into it.
  const byCreatedAfter = () => ({ ByCreatedAfter: jobsSince });

  // Listings that do not depend on each other run together; the clients' token
  // buckets keep each operation, and the account-region, under AWS's rates.
  const [
    resources,
    protectedResources,
    { vaults, recoveryPoints },
    backupPlans,
    backupJobs,
    copyJobs,
    restoreJobs,
    restoreTestingPlans,
    legalHolds,
  ] = await settled([
    readResources(),
    pagesOf(paginateListProtectedResources(paging, {}), page => page.Results),
    readVaults(),
    readBackupPlans(),
    pagesOf(
      paginateListBackupJobs(paging, byCreatedAfter()),
      p => p.BackupJobs,
    ),
    pagesOf(paginateListCopyJobs(paging, byCreatedAfter()), p => p.CopyJobs),
    // Test restores as far back as AWS lists them (a full cycle); the store keeps
    // those older than the oldest listed.
    pagesOf(
      paginateListRestoreJobs(
        paging,
        target.mode === 'incremental' && target.since
          ? { ByCreatedAfter: target.since }
          : {},
      ),
      p => p.RestoreJobs,
    ),
    readRestoreTestingPlans(),
    readLegalHolds(),
  ]);

  return {
    accountId: target.accountId,
    region: target.region,
    mode: target.mode,
    since: target.mode === 'incremental' ? target.since : target.jobsSince,
    ...(target.mode === 'full'
      ? { restoreJobsSince: oldestOf(restoreJobs) ?? target.jobsSince }
      : {}),
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

/** The creation time of the oldest job listed. */
function oldestOf(jobs: Array<{ CreationDate?: Date }>): Date | undefined {
  let oldest: Date | undefined;
  for (const job of jobs) {
    if (job.CreationDate && (!oldest || job.CreationDate < oldest)) {
      oldest = job.CreationDate;
    }
  }
  return oldest;
}

/**
 * Whether an account-region still holds nothing AWS Backup could cover: no tagged
 * resource of a supported type and no backup vault (without a vault there are no
 * recovery points, jobs, restore tests or legal holds). At most a page of each, stopping
 * at the first item: two calls where a collection makes nine or more.
 */
export async function isStillEmpty(clients: AwsClients): Promise<boolean> {
  const anyItem = async <P>(
    pages: AsyncIterable<P>,
    pick: (page: P) => unknown[] | undefined,
  ) => {
    // AWS may answer an empty page with a token: follow it until an item or the end
    for await (const page of pages) {
      if ((pick(page) ?? []).length > 0) return true;
    }
    return false;
  };
  const [resources, vaults] = await Promise.all([
    anyItem(
      paginateGetResources(
        { client: clients.tagging, pageSize: 1 },
        {
          ResourceTypeFilters: BACKUP_SUPPORTED_RESOURCE_TYPES,
          ResourcesPerPage: 1,
        },
      ),
      page => page.ResourceTagMappingList,
    ),
    anyItem(
      paginateListBackupVaults({ client: clients.backup, pageSize: 1 }, {}),
      page => page.BackupVaultList,
    ),
  ]);
  return !resources && !vaults;
}
