import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BackupComplianceHealth,
  CheckDefinition,
  CollectionRefreshRequest,
  CollectionStatus,
  EntityComplianceSnapshot,
  EntityResources,
  PoliciesResponse,
  RestoreTest,
  Scorecard,
} from '@backup-compliance/backstage-plugin-common';
import {
  BackupComplianceApi,
  EntityName,
  HistoryPoint,
  OrgHistoryPoint,
} from './BackupComplianceApi';

function entityPath(entity: EntityName) {
  const parts = [entity.namespace, entity.kind, entity.name].map(
    encodeURIComponent,
  );
  return `/v1/entities/${parts.join('/')}`;
}

/**
 * {@link BackupComplianceApi} over HTTP, through the app's discovery and
 * fetch APIs (so the user's token is sent).
 *
 * @public
 */
export class BackupComplianceClient implements BackupComplianceApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<BackupComplianceHealth> {
    return this.get<BackupComplianceHealth>('/health');
  }

  async getCollectionStatus(
    options: { limit?: number } = {},
  ): Promise<CollectionStatus> {
    const query = options.limit
      ? `?limit=${encodeURIComponent(options.limit)}`
      : '';
    return this.get<CollectionStatus>(`/v1/collection${query}`);
  }

  async getEntityResources(entity: EntityName): Promise<EntityResources> {
    return this.get<EntityResources>(`${entityPath(entity)}/resources`);
  }

  async getEntityCompliance(
    entity: EntityName,
  ): Promise<EntityComplianceSnapshot | undefined> {
    const response = await this.request(entityPath(entity));
    // 404: opted in but not evaluated yet (the catalog check already passed to get here).
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as EntityComplianceSnapshot;
  }

  async getChecks(): Promise<CheckDefinition[]> {
    return (await this.get<{ items: CheckDefinition[] }>('/v1/checks')).items;
  }

  async getPolicies(): Promise<PoliciesResponse> {
    return this.get<PoliciesResponse>('/v1/policies');
  }

  async getScorecard(query: Record<string, string> = {}): Promise<Scorecard> {
    const params = new URLSearchParams(query).toString();
    return this.get<Scorecard>(`/v1/scorecard${params ? `?${params}` : ''}`);
  }

  async getRefreshRequest(
    requestId: string,
  ): Promise<CollectionRefreshRequest> {
    return this.get<CollectionRefreshRequest>(
      `/v1/collection/refresh/${encodeURIComponent(requestId)}`,
    );
  }

  async refresh(entityRef?: string): Promise<CollectionRefreshRequest> {
    const response = await this.request('/v1/collection/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(entityRef ? { entityRef } : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  async getEvidence(entity: EntityName): Promise<string> {
    const response = await this.request(`${entityPath(entity)}/evidence`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.text();
  }

  async getEntityHistory(
    entity: EntityName,
    days = 90,
  ): Promise<HistoryPoint[]> {
    return (
      await this.get<{ items: HistoryPoint[] }>(
        `${entityPath(entity)}/history?days=${days}`,
      )
    ).items;
  }

  async getRestoreTests(entity: EntityName): Promise<RestoreTest[]> {
    return (
      await this.get<{ items: RestoreTest[] }>(
        `${entityPath(entity)}/restore-tests`,
      )
    ).items;
  }

  async getScorecardHistory(days = 90): Promise<OrgHistoryPoint[]> {
    return (
      await this.get<{ items: OrgHistoryPoint[] }>(
        `/v1/scorecard/history?days=${days}`,
      )
    ).items;
  }

  async getRegister(
    format: 'html' | 'csv' | 'json',
    asOf?: string,
  ): Promise<string> {
    const params = new URLSearchParams({
      format,
      ...(asOf ? { asOf } : {}),
    }).toString();
    const response = await this.request(`/v1/register?${params}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.text();
  }

  async exportScorecard(
    format: 'csv' | 'json',
    query: Record<string, string> = {},
  ): Promise<string> {
    const params = new URLSearchParams({ ...query, format }).toString();
    const response = await this.request(`/v1/scorecard/export?${params}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.text();
  }

  private async request(path: string, init?: RequestInit) {
    const baseUrl = await this.discoveryApi.getBaseUrl('backup-compliance');
    return this.fetchApi.fetch(`${baseUrl}${path}`, init);
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.request(path);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
