import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CollectionStatus,
  EntityResources,
} from '@backup-compliance/backstage-plugin-common';
import {
  BackupComplianceApi,
  BackupComplianceHealth,
} from './BackupComplianceApi';

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

  async getEntityResources(entity: {
    namespace: string;
    kind: string;
    name: string;
  }): Promise<EntityResources> {
    const path = [entity.namespace, entity.kind, entity.name]
      .map(encodeURIComponent)
      .join('/');
    return this.get<EntityResources>(`/v1/entities/${path}/resources`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('backup-compliance');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
