import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackupComplianceHealth,
  CheckDefinition,
  CollectionRefreshRequest,
  CollectionStatus,
  EntityComplianceSnapshot,
  EntityHistoryPoint,
  EntityResources,
  PoliciesResponse,
  RestoreTest,
  Scorecard,
  ScorecardHistoryDay,
} from '@backup-compliance/backstage-plugin-common';

/**
 * An entity as the API's paths name it.
 *
 * @public
 */
export type EntityName = { namespace: string; kind: string; name: string };

/**
 * One day of an entity's history: another name for `EntityHistoryPoint`.
 *
 * @public
 */
export type HistoryPoint = EntityHistoryPoint;

/**
 * One day of the organisation's history: another name for `ScorecardHistoryDay`.
 *
 * @public
 */
export type OrgHistoryPoint = ScorecardHistoryDay;

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
  /**
   * The configured compliance policies (defaults applied), the organization's
   * backup policies with their verdicts, and how the organization was read.
   */
  getPolicies(): Promise<PoliciesResponse>;
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
  /**
   * The register an auditor files, as the last evaluation on or before `asOf` (YYYY-MM-DD;
   * today when absent) judged every service the user may read: HTML that prints to PDF,
   * CSV or JSON text.
   */
  getRegister(format: 'html' | 'csv' | 'json', asOf?: string): Promise<string>;
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
