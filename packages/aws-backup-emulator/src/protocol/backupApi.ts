import { AwsObject, RegionState } from '../scenario/types';
import { accessDenied, AwsError, notFound } from './errors';
import { paginate, ShortPage } from './pagination';
import { Query } from './query';

/** A request routed to one AWS Backup operation. */
export type BackupRequest = {
  operation: string;
  labels: Record<string, string>;
};

/** Lists one page of `items` under `key`, reading the request's paging parameters. */
type ListPage = (
  key: string,
  items: AwsObject[],
  /** Restore testing reads `MaxResults`/`NextToken` rather than `maxResults`/`nextToken`. */
  capitalised?: boolean,
  /** The wire shape of an item, made for the page's items only. */
  shape?: (item: AwsObject) => AwsObject,
) => AwsObject;

type Handler = (
  region: RegionState,
  labels: Record<string, string>,
  query: Query,
  list: ListPage,
) => AwsObject;

type Route = { operation: string; path: string[]; handler: Handler };

const DEFAULT_PAGE_SIZE = 1000;

// Enum filters of the service model (botocore's backup-2018-11-15): AWS refuses other values.
const BACKUP_JOB_STATES = [
  'CREATED',
  'PENDING',
  'RUNNING',
  'ABORTING',
  'ABORTED',
  'COMPLETED',
  'FAILED',
  'EXPIRED',
  'PARTIAL',
];
const COPY_JOB_STATES = [
  'CREATED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'PARTIAL',
];
const RESTORE_JOB_STATUSES = [
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'ABORTED',
  'FAILED',
];
const VAULT_TYPES = [
  'BACKUP_VAULT',
  'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
  'RESTORE_ACCESS_BACKUP_VAULT',
];
const RESOURCE_TYPE = /^[a-zA-Z0-9\-_.]{1,50}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;

function after(value: Date | undefined, bound: Date | undefined) {
  return !bound || (value !== undefined && value.getTime() > bound.getTime());
}

function before(value: Date | undefined, bound: Date | undefined) {
  return !bound || (value !== undefined && value.getTime() < bound.getTime());
}

function equals(value: unknown, wanted: string | undefined) {
  return wanted === undefined || value === wanted;
}

/**
 * AWS answers a vault that does not exist (never created, or deleted after it
 * was listed) with 403 AccessDeniedException, not ResourceNotFoundException.
 */
function findVault(region: RegionState, name: string) {
  const vault = region.vaults.find(v => v.BackupVaultName === name);
  if (!vault) {
    throw accessDenied('Insufficient privileges to perform this action.');
  }
  return vault;
}

function findPlan(region: RegionState, id: string) {
  const plan = region.plans.find(p => p.plan.BackupPlanId === id);
  if (!plan) {
    throw notFound(`Backup plan ${id} does not exist`);
  }
  return plan;
}

function findRestoreTestingPlan(region: RegionState, name: string) {
  const plan = region.restoreTestingPlans.find(
    p => p.plan.RestoreTestingPlanName === name,
  );
  if (!plan) {
    throw notFound(`Restore testing plan ${name} does not exist`);
  }
  return plan;
}

function findLegalHold(region: RegionState, id: string) {
  const hold = region.legalHolds.find(h => h.hold.LegalHoldId === id);
  if (!hold) {
    throw notFound(`Legal hold ${id} does not exist`);
  }
  return hold;
}

const ARN_ORDER = new Intl.Collator();

function protectedResources(region: RegionState): AwsObject[] {
  const newest = new Map<string, AwsObject>();
  // Points are sorted newest first, so the first seen per resource is its last backup.
  for (const point of region.recoveryPoints) {
    if (!['COMPLETED', 'AVAILABLE', 'PARTIAL'].includes(point.Status)) continue;
    if (!newest.has(point.ResourceArn)) newest.set(point.ResourceArn, point);
  }
  // localeCompare's order, from one collator (each localeCompare call builds its own)
  return [...newest.values()].sort((a, b) =>
    ARN_ORDER.compare(a.ResourceArn, b.ResourceArn),
  );
}

const protectedResource = (point: AwsObject) => ({
  ResourceArn: point.ResourceArn,
  ResourceType: point.ResourceType,
  ResourceName: point.ResourceName,
  LastBackupTime: point.CreationDate,
  LastBackupVaultArn: point.BackupVaultArn,
  LastRecoveryPointArn: point.RecoveryPointArn,
});

function jobTimesMatch(job: AwsObject, query: Query): boolean {
  return (
    after(job.CreationDate, query.date('createdAfter')) &&
    before(job.CreationDate, query.date('createdBefore')) &&
    after(job.CompletionDate, query.date('completeAfter')) &&
    before(job.CompletionDate, query.date('completeBefore'))
  );
}

const routes: Route[] = [
  {
    operation: 'ListProtectedResources',
    path: ['resources'],
    handler: (region, _labels, _query, list) =>
      list('Results', protectedResources(region), false, protectedResource),
  },
  {
    operation: 'ListRecoveryPointsByResource',
    path: ['resources', ':resourceArn', 'recovery-points'],
    handler: (region, { resourceArn }, _query, list) => {
      // Per-resource shape: no lifecycle, encryption type or CreatedBy (see AWS-BACKUP-API.md).
      const points = region.recoveryPoints.filter(
        p => p.ResourceArn === resourceArn,
      );
      return list('RecoveryPoints', points, false, p => ({
        RecoveryPointArn: p.RecoveryPointArn,
        CreationDate: p.CreationDate,
        Status: p.Status,
        StatusMessage: p.StatusMessage,
        EncryptionKeyArn: p.EncryptionKeyArn,
        BackupSizeBytes: p.BackupSizeInBytes,
        BackupVaultName: p.BackupVaultName,
        IsParent: p.IsParent,
        ParentRecoveryPointArn: p.ParentRecoveryPointArn,
        ResourceName: p.ResourceName,
        VaultType: p.VaultType,
      }));
    },
  },
  {
    operation: 'ListRestoreJobsByProtectedResource',
    path: ['resources', ':resourceArn', 'restore-jobs'],
    handler: (region, { resourceArn }, query, list) => {
      const status = query.oneOf('status', RESTORE_JOB_STATUSES);
      const pointAfter = query.date('recoveryPointCreationDateAfter');
      const pointBefore = query.date('recoveryPointCreationDateBefore');
      const jobs = region.restoreJobs.filter(
        job =>
          job.SourceResourceArn === resourceArn &&
          equals(job.Status, status) &&
          after(job.RecoveryPointCreationDate, pointAfter) &&
          before(job.RecoveryPointCreationDate, pointBefore),
      );
      return list('RestoreJobs', jobs);
    },
  },
  {
    operation: 'ListBackupVaults',
    path: ['backup-vaults'],
    handler: (region, _labels, query, list) => {
      const vaultType = query.oneOf('vaultType', VAULT_TYPES);
      query.boolean('shared'); // validated; the emulator has no shared vaults
      const vaults = region.vaults.filter(v => equals(v.VaultType, vaultType));
      return list('BackupVaultList', vaults);
    },
  },
  {
    operation: 'DescribeBackupVault',
    path: ['backup-vaults', ':backupVaultName'],
    handler: (region, { backupVaultName }) =>
      findVault(region, backupVaultName),
  },
  {
    operation: 'ListRecoveryPointsByBackupVault',
    path: ['backup-vaults', ':backupVaultName', 'recovery-points'],
    handler: (region, { backupVaultName }, query, list) => {
      findVault(region, backupVaultName);
      const resourceArn = query.string('resourceArn');
      const resourceType = query.matching('resourceType', RESOURCE_TYPE);
      const backupPlanId = query.string('backupPlanId');
      const parent = query.string('parentRecoveryPointArn');
      const createdAfter = query.date('createdAfter');
      const createdBefore = query.date('createdBefore');
      const points = region.recoveryPoints.filter(
        p =>
          p.BackupVaultName === backupVaultName &&
          equals(p.ResourceArn, resourceArn) &&
          equals(p.ResourceType, resourceType) &&
          equals(p.CreatedBy?.BackupPlanId, backupPlanId) &&
          equals(p.ParentRecoveryPointArn, parent) &&
          after(p.CreationDate, createdAfter) &&
          before(p.CreationDate, createdBefore),
      );
      // Only DescribeRecoveryPoint tells the storage class.
      return list(
        'RecoveryPoints',
        points,
        false,
        ({ StorageClass: _storageClass, ...point }) => point,
      );
    },
  },
  {
    operation: 'ListBackupJobs',
    path: ['backup-jobs'],
    handler: (region, _labels, query, list) => {
      const f = {
        resourceArn: query.string('resourceArn'),
        state: query.oneOf('state', BACKUP_JOB_STATES),
        vault: query.string('backupVaultName'),
        resourceType: query.matching('resourceType', RESOURCE_TYPE),
        accountId: query.matching('accountId', ACCOUNT_ID),
        parentJobId: query.string('parentJobId'),
        messageCategory: query.string('messageCategory'),
      };
      const jobs = region.backupJobs.filter(
        job =>
          equals(job.ResourceArn, f.resourceArn) &&
          equals(job.State, f.state) &&
          equals(job.BackupVaultName, f.vault) &&
          equals(job.ResourceType, f.resourceType) &&
          equals(job.AccountId, f.accountId) &&
          equals(job.ParentJobId, f.parentJobId) &&
          equals(job.MessageCategory, f.messageCategory) &&
          jobTimesMatch(job, query),
      );
      return list('BackupJobs', jobs);
    },
  },
  {
    operation: 'ListCopyJobs',
    path: ['copy-jobs'],
    handler: (region, _labels, query, list) => {
      const f = {
        resourceArn: query.string('resourceArn'),
        state: query.oneOf('state', COPY_JOB_STATES),
        resourceType: query.matching('resourceType', RESOURCE_TYPE),
        destination: query.string('destinationVaultArn'),
        accountId: query.matching('accountId', ACCOUNT_ID),
        parentJobId: query.string('parentJobId'),
        messageCategory: query.string('messageCategory'),
        sourcePoint: query.string('sourceRecoveryPointArn'),
      };
      const jobs = region.copyJobs.filter(
        job =>
          equals(job.ResourceArn, f.resourceArn) &&
          equals(job.State, f.state) &&
          equals(job.ResourceType, f.resourceType) &&
          equals(job.DestinationBackupVaultArn, f.destination) &&
          equals(job.AccountId, f.accountId) &&
          equals(job.ParentJobId, f.parentJobId) &&
          equals(job.MessageCategory, f.messageCategory) &&
          equals(job.SourceRecoveryPointArn, f.sourcePoint) &&
          jobTimesMatch(job, query),
      );
      return list('CopyJobs', jobs);
    },
  },
  {
    operation: 'ListRestoreJobs',
    path: ['restore-jobs'],
    handler: (region, _labels, query, list) => {
      const f = {
        accountId: query.matching('accountId', ACCOUNT_ID),
        resourceType: query.matching('resourceType', RESOURCE_TYPE),
        status: query.oneOf('status', RESTORE_JOB_STATUSES),
        plan: query.string('restoreTestingPlanArn'),
        parentJobId: query.string('parentJobId'),
      };
      const jobs = region.restoreJobs.filter(
        job =>
          equals(job.AccountId, f.accountId) &&
          equals(job.ResourceType, f.resourceType) &&
          equals(job.Status, f.status) &&
          equals(job.CreatedBy?.RestoreTestingPlanArn, f.plan) &&
          equals(job.ParentJobId, f.parentJobId) &&
          jobTimesMatch(job, query),
      );
      return list('RestoreJobs', jobs);
    },
  },
  {
    operation: 'ListBackupPlans',
    path: ['backup', 'plans'],
    handler: (region, _labels, query, list) => {
      const includeDeleted = query.boolean('includeDeleted') ?? false;
      const plans = region.plans
        .filter(p => includeDeleted || !p.plan.DeletionDate)
        .map(({ plan }) => ({
          BackupPlanArn: plan.BackupPlanArn,
          BackupPlanId: plan.BackupPlanId,
          BackupPlanName: plan.BackupPlanName,
          CreationDate: plan.CreationDate,
          DeletionDate: plan.DeletionDate,
          VersionId: plan.VersionId,
          LastExecutionDate: plan.LastExecutionDate,
        }));
      return list('BackupPlansList', plans);
    },
  },
  {
    operation: 'GetBackupPlan',
    path: ['backup', 'plans', ':backupPlanId'],
    handler: (region, { backupPlanId }) => {
      const { plan, rules } = findPlan(region, backupPlanId);
      return {
        BackupPlan: { BackupPlanName: plan.BackupPlanName, Rules: rules },
        BackupPlanId: plan.BackupPlanId,
        BackupPlanArn: plan.BackupPlanArn,
        VersionId: plan.VersionId,
        CreationDate: plan.CreationDate,
        DeletionDate: plan.DeletionDate,
        LastExecutionDate: plan.LastExecutionDate,
      };
    },
  },
  {
    operation: 'ListBackupSelections',
    path: ['backup', 'plans', ':backupPlanId', 'selections'],
    handler: (region, { backupPlanId }, _query, list) => {
      const selections = findPlan(region, backupPlanId).selections.map(s => ({
        SelectionId: s.SelectionId,
        SelectionName: s.SelectionName,
        BackupPlanId: s.BackupPlanId,
        CreationDate: s.CreationDate,
        IamRoleArn: s.IamRoleArn,
      }));
      return list('BackupSelectionsList', selections);
    },
  },
  {
    operation: 'GetBackupSelection',
    path: ['backup', 'plans', ':backupPlanId', 'selections', ':selectionId'],
    handler: (region, { backupPlanId, selectionId }) => {
      const selection = findPlan(region, backupPlanId).selections.find(
        s => s.SelectionId === selectionId,
      );
      if (!selection) {
        throw notFound(`Backup selection ${selectionId} does not exist`);
      }
      const { SelectionId, BackupPlanId, CreationDate, ...body } = selection;
      return { BackupSelection: body, SelectionId, BackupPlanId, CreationDate };
    },
  },
  {
    operation: 'ListRestoreTestingPlans',
    path: ['restore-testing', 'plans'],
    handler: (region, _labels, _query, list) => {
      const plans = region.restoreTestingPlans.map(({ plan }) => ({
        CreationTime: plan.CreationTime,
        LastExecutionTime: plan.LastExecutionTime,
        LastUpdateTime: plan.LastUpdateTime,
        RestoreTestingPlanArn: plan.RestoreTestingPlanArn,
        RestoreTestingPlanName: plan.RestoreTestingPlanName,
        ScheduleExpression: plan.ScheduleExpression,
        ScheduleExpressionTimezone: plan.ScheduleExpressionTimezone,
        StartWindowHours: plan.StartWindowHours,
      }));
      return list('RestoreTestingPlans', plans, true);
    },
  },
  {
    operation: 'GetRestoreTestingPlan',
    path: ['restore-testing', 'plans', ':name'],
    handler: (region, { name }) => ({
      RestoreTestingPlan: findRestoreTestingPlan(region, name).plan,
    }),
  },
  {
    operation: 'ListRestoreTestingSelections',
    path: ['restore-testing', 'plans', ':name', 'selections'],
    handler: (region, { name }, _query, list) => {
      const selections = findRestoreTestingPlan(region, name).selections.map(
        s => ({
          CreationTime: s.CreationTime,
          IamRoleArn: s.IamRoleArn,
          ProtectedResourceType: s.ProtectedResourceType,
          RestoreTestingPlanName: s.RestoreTestingPlanName,
          RestoreTestingSelectionName: s.RestoreTestingSelectionName,
          ValidationWindowHours: s.ValidationWindowHours,
        }),
      );
      return list('RestoreTestingSelections', selections, true);
    },
  },
  {
    operation: 'GetRestoreTestingSelection',
    path: ['restore-testing', 'plans', ':name', 'selections', ':selection'],
    handler: (region, { name, selection }) => {
      const found = findRestoreTestingPlan(region, name).selections.find(
        s => s.RestoreTestingSelectionName === selection,
      );
      if (!found) {
        throw notFound(
          `Restore testing selection ${selection} does not exist in ${name}`,
        );
      }
      return { RestoreTestingSelection: found };
    },
  },
  {
    operation: 'ListLegalHolds',
    path: ['legal-holds'],
    handler: (region, _labels, _query, list) => {
      const holds = region.legalHolds.map(({ hold }) => ({
        Title: hold.Title,
        Status: hold.Status,
        Description: hold.Description,
        LegalHoldId: hold.LegalHoldId,
        LegalHoldArn: hold.LegalHoldArn,
        CreationDate: hold.CreationDate,
        CancellationDate: hold.CancellationDate,
        RetainRecordUntil: hold.RetainRecordUntil,
      }));
      return list('LegalHolds', holds);
    },
  },
  {
    operation: 'GetLegalHold',
    path: ['legal-holds', ':legalHoldId'],
    handler: (region, { legalHoldId }) =>
      findLegalHold(region, legalHoldId).hold,
  },
  {
    operation: 'ListRecoveryPointsByLegalHold',
    path: ['legal-holds', ':legalHoldId', 'recovery-points'],
    handler: (region, { legalHoldId }, _query, list) => {
      const held = new Set(
        findLegalHold(region, legalHoldId).recoveryPointArns,
      );
      const points = region.recoveryPoints.filter(p =>
        held.has(p.RecoveryPointArn),
      );
      return list('RecoveryPoints', points, false, p => ({
        RecoveryPointArn: p.RecoveryPointArn,
        ResourceArn: p.ResourceArn,
        ResourceType: p.ResourceType,
        BackupVaultName: p.BackupVaultName,
      }));
    },
  },
];

/**
 * Routes `GET <path>` to an AWS Backup operation. Labels are split on `/`
 * before decoding (an ARN label arrives as one segment with `%2F`), and a
 * trailing `/` is accepted, as other SDKs send one.
 */
export function routeBackupRequest(
  method: string,
  pathname: string,
): BackupRequest | undefined {
  if (method !== 'GET') return undefined;
  const raw = pathname
    .split('/')
    .filter(
      (segment, i, all) => i > 0 && !(segment === '' && i === all.length - 1),
    );
  let segments: string[];
  try {
    segments = raw.map(segment => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  for (const route of routes) {
    if (route.path.length !== segments.length) continue;
    const labels: Record<string, string> = {};
    const matches = route.path.every((part, i) => {
      if (part.startsWith(':')) {
        labels[part.slice(1)] = segments[i];
        return segments[i] !== '';
      }
      return part === segments[i];
    });
    if (matches) {
      return { operation: route.operation, labels };
    }
  }
  return undefined;
}

/** Runs a routed operation against one account-region's state. */
export function executeBackupRequest(
  request: BackupRequest,
  region: RegionState,
  params: URLSearchParams,
  options: { shortPage?: ShortPage } = {},
): AwsObject {
  const route = routes.find(r => r.operation === request.operation);
  if (!route) {
    throw new AwsError(
      'UnknownOperationException',
      `Unknown operation ${request.operation}`,
      404,
    );
  }
  const query = new Query(params);
  const list: ListPage = (key, items, capitalised = false, shape) => {
    const page = paginate(items, {
      operation: request.operation,
      filters: query.filters(),
      maxResults: query.maxResults(capitalised ? 'MaxResults' : 'maxResults'),
      nextToken: query.string(capitalised ? 'NextToken' : 'nextToken'),
      defaultPageSize: DEFAULT_PAGE_SIZE,
      shortPage: options.shortPage,
    });
    return {
      [key]: shape ? page.items.map(shape) : page.items,
      NextToken: page.nextToken,
    };
  };
  return route.handler(region, request.labels, query, list);
}

export const BACKUP_OPERATIONS = routes.map(r => r.operation);
