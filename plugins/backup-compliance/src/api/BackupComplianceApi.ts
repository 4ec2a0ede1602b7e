import { createApiRef } from '@backstage/core-plugin-api';
import {
  CheckDefinition,
  CollectionRefreshRequest,
  CollectionStatus,
  EntityComplianceSnapshot,
  EntityResources,
} from '@backup-compliance/backstage-plugin-common';

/**
 * An entity as the API's paths name it.
 *
 * @public
 */
export type EntityName = { namespace: string; kind: string; name: string };

/**
 * One day of an entity's history.
 *
 * @public
 */
export type HistoryPoint = {
  day: string;
  level: string;
  score: number | null;
  failingChecks: string[];
};

/**
 * A test restore of one of the entity's resources.
 *
 * @public
 */
export type RestoreTest = {
  resourceArn: string;
  restoreJobId: string;
  createdAt: string;
  completedAt?: string;
  minutes: number | null;
  status: string;
  validationStatus: string | null;
  validationMessage: string | null;
};

/**
 * One day of the organisation's history.
 *
 * @public
 */
export type OrgHistoryPoint = {
  day: string;
  entities: number;
  levels: Record<string, number>;
  averageScore: number | null;
};

/**
 * One line of `GET /v1/scorecard`.
 *
 * @public
 */
export type ScorecardRow = {
  entityRef: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  lifecycle?: string;
  policies: string[];
  level: EntityComplianceSnapshot['level'];
  score: number | null;
  failingChecks: string[];
  /** Every check's status (`n/a` where not required). */
  statuses?: Record<string, string>;
  evaluatedAt: string;
};

/**
 * Answer of `GET /v1/scorecard`.
 *
 * @public
 */
export type Scorecard = {
  totalEntities: number;
  total: number;
  page: number;
  pageSize: number;
  levels: Record<string, number>;
  failingChecks: Record<string, number>;
  groups?: Array<{
    key: string;
    entities: number;
    levels: Record<string, number>;
    averageScore: number | null;
  }>;
  items: ScorecardRow[];
};

/**
 * Answer of `GET /api/backup-compliance/health`.
 *
 * @public
 */
export type BackupComplianceHealth = {
  status: 'ok';
};

/**
 * Client of the Backup Compliance backend.
 *
 * @public
 */
export interface BackupComplianceApi {
  getHealth(): Promise<BackupComplianceHealth>;
  getCollectionStatus(options?: { limit?: number }): Promise<CollectionStatus>;
  getEntityResources(entity: EntityName): Promise<EntityResources>;
  /** The entity's verdict; undefined while it has none (not evaluated yet). */
  getEntityCompliance(
    entity: EntityName,
  ): Promise<EntityComplianceSnapshot | undefined>;
  getChecks(): Promise<CheckDefinition[]>;
  /** The configured policies, defaults applied. */
  getPolicies(): Promise<Array<Record<string, unknown> & { name: string }>>;
  getScorecard(query?: Record<string, string>): Promise<Scorecard>;
  /**
   * Asks for a collection cycle (the entity's account-regions, or all); the next cycle
   * takes it. A caller asking again too soon gets a 429 `ResponseError`.
   */
  refresh(entityRef?: string): Promise<CollectionRefreshRequest>;
  /** A refresh asked for: `queued`, then the status of the cycle that took it. */
  getRefreshRequest(requestId: string): Promise<CollectionRefreshRequest>;
  /** The evidence pack an auditor files, as JSON text. */
  getEvidence(entity: EntityName): Promise<string>;
  getEntityHistory(entity: EntityName, days?: number): Promise<HistoryPoint[]>;
  getRestoreTests(entity: EntityName): Promise<RestoreTest[]>;
  getScorecardHistory(days?: number): Promise<OrgHistoryPoint[]>;
  /** The scorecard rows matching `query`, as CSV or JSON text. */
  exportScorecard(
    format: 'csv' | 'json',
    query?: Record<string, string>,
  ): Promise<string>;
}

/**
 * @public
 */
export const backupComplianceApiRef = createApiRef<BackupComplianceApi>({
  id: 'plugin.backup-compliance.service',
});
