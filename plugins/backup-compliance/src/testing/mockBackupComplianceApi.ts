import {
  BUILT_IN_CHECKS,
  CollectionStatus,
  EntityComplianceSnapshot,
  EntityResources,
  PoliciesResponse,
} from '@backup-compliance/backstage-plugin-common';
import {
  BackupComplianceApi,
  HistoryPoint,
  OrgHistoryPoint,
  RestoreTest,
  Scorecard,
} from '../api';

/** Collection switched off, as a backend without `backupCompliance.regions` answers. */
export const collectionOff: CollectionStatus = {
  enabled: false,
  message: 'Collection is off: set backupCompliance.regions.',
  accounts: [],
  regions: [],
  accountRegions: [],
  cycles: [],
  pendingRequests: 0,
  runs: [],
};

/** One compliance policy, and no organization to read backup policies from. */
export const transactionsDbOnly: PoliciesResponse = {
  organization: { configured: false },
  items: [
    {
      name: 'transactions-db',
      rpoHours: 24,
      rtoMinutes: 240,
      retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
      legalRetentionYears: 7,
      vaultLock: 'compliance',
      encryption: 'customer-managed',
      copies: {
        crossRegion: true,
        crossAccount: true,
        retention: 'same-as-source',
      },
      restoreTesting: {
        required: true,
        maxAgeDays: 30,
        requireValidation: true,
      },
      organizationPolicies: [],
    },
  ],
  organizationPolicies: [],
};

export const noResources: EntityResources = {
  entityRef: 'component:default/payments-ledger',
  optedIn: false,
  resources: [],
};

/** A {@link BackupComplianceApi} answering with fixed data. */
export function mockBackupComplianceApi(
  data: {
    status?: CollectionStatus;
    resources?: EntityResources;
    compliance?: EntityComplianceSnapshot;
    scorecard?: Scorecard;
    history?: HistoryPoint[];
    orgHistory?: OrgHistoryPoint[];
    restoreTests?: RestoreTest[];
    policies?: PoliciesResponse;
  } = {},
): BackupComplianceApi {
  return {
    getHealth: async () => ({ status: 'ok' }),
    getCollectionStatus: async () => data.status ?? collectionOff,
    getEntityResources: async () => data.resources ?? noResources,
    getEntityCompliance: async () => data.compliance,
    getChecks: async () => [...BUILT_IN_CHECKS],
    getPolicies: async () => data.policies ?? transactionsDbOnly,
    getRefreshRequest: async requestId => ({
      requestId,
      requestedAt: '2026-12-02T10:00:00.000Z',
      status: 'succeeded',
      cycleId: 'cycle-1',
    }),
    refresh: async entityRef => ({
      requestId: 'request-1',
      entityRef,
      requestedAt: '2026-12-02T10:00:00.000Z',
      status: 'queued',
      coalesced: false,
    }),
    getEntityHistory: async () => data.history ?? [],
    getRestoreTests: async () => data.restoreTests ?? [],
    getScorecardHistory: async () => data.orgHistory ?? [],
    getRegister: async (format, asOf) => {
      const day = asOf ?? 'today';
      if (format === 'html') {
        return `<!doctype html><h1>Backup compliance register</h1><p>As of ${day}</p>`;
      }
      return format === 'csv'
        ? 'entityRef,level\r\n'
        : `{"asOf":"${day}","services":[]}`;
    },
    exportScorecard: async format =>
      format === 'csv' ? 'entityRef,level\r\n' : '{"items":[]}',
    getEvidence: async () =>
      JSON.stringify({ entityRef: 'component:default/payments-ledger' }),
    getScorecard: async () =>
      data.scorecard ?? {
        totalEntities: 0,
        total: 0,
        page: 1,
        pageSize: 50,
        levels: {},
        failingChecks: {},
        items: [],
      },
  };
}
