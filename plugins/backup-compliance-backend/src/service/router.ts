import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { BackupCollector } from '../collector/BackupCollector';
import { BackupComplianceConfig } from '../config/readBackupComplianceConfig';
import { BackupStore } from '../database/BackupStore';

export async function createRouter(options: {
  logger: LoggerService;
  config: BackupComplianceConfig;
  store: BackupStore;
  collector: BackupCollector;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
}): Promise<express.Router> {
  const { config, store, collector, httpAuth, catalog } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/collection', async (req, res) => {
    const limitParam = req.query.limit;
    let limit = 100;
    if (limitParam !== undefined) {
      limit = Number(limitParam);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new InputError(
          `limit must be a whole number from 1 to 1000, got "${limitParam}"`,
        );
      }
    }
    const cycleId =
      typeof req.query.cycleId === 'string' ? req.query.cycleId : undefined;
    res.json({
      enabled: config.enabled,
      ...(config.enabled
        ? {}
        : {
            message:
              'Collection is off: set backupCompliance.regions and aws.accounts (or backupCompliance.accounts) in app-config.yaml.',
          }),
      accounts: config.accounts,
      regions: config.regions,
      accountRegions: await store.getAccountRegionStates(),
      runs: await store.listRuns({ cycleId, limit }),
    });
  });

  router.post('/v1/collection/refresh', async (req, res) => {
    if (!config.enabled) {
      throw new ServiceUnavailableError(
        'Collection is off: set backupCompliance.regions and aws.accounts in app-config.yaml',
      );
    }
    const rawRef = req.body?.entityRef;
    let entityRef: string | undefined;
    if (rawRef !== undefined) {
      if (typeof rawRef !== 'string') {
        throw new InputError(
          'entityRef must be a string such as component:default/payments-ledger',
        );
      }
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(rawRef, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        throw new InputError(
          `entityRef "${rawRef}" is not an entity reference: ${
            (error as Error).message
          }`,
        );
      }
    }
    const { cycleId, alreadyRunning } = collector.startCycle({ entityRef });
    res.status(202).json({ cycleId, alreadyRunning, entityRef });
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/resources',
    async (req, res) => {
      const { namespace, kind, name } = req.params;
      const entityRef = stringifyEntityRef({ kind, namespace, name });
      // Only what the caller may read in the catalog: the catalog decides.
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await httpAuth.credentials(req),
      });
      if (!entity) {
        throw new NotFoundError(
          `No entity ${entityRef}, or you are not allowed to read it`,
        );
      }
      const optIn = await store.getEntity(entityRef);
      const mapping = await store.listEntityResources(entityRef);
      const arns = mapping.map(m => m.resourceArn);
      const [resources, protectedResources, states] = await Promise.all([
        store.listObjects('resource', { resourceArns: arns }),
        store.listObjects('protected_resource', { resourceArns: arns }),
        store.getAccountRegionStates(),
      ]);
      const key = (accountId: string, region: string, arn: string) =>
        `${accountId}/${region}/${arn}`;
      const tagsOf = new Map(
        resources.map(r => [key(r.accountId, r.region, r.key), r.data.tags]),
      );
      const protectionOf = new Map(
        protectedResources.map(p => [
          key(p.accountId, p.region, p.key),
          p.data,
        ]),
      );
      const stateOf = new Map(
        states.map(s => [`${s.accountId}/${s.region}`, s]),
      );
      res.json({
        entityRef,
        optedIn: Boolean(optIn),
        annotations: optIn?.annotations,
        problems: optIn?.problems,
        resources: mapping.map(m => {
          const protection = protectionOf.get(
            key(m.accountId, m.region, m.resourceArn),
          );
          const state = stateOf.get(`${m.accountId}/${m.region}`);
          return {
            resourceArn: m.resourceArn,
            accountId: m.accountId,
            region: m.region,
            tags: tagsOf.get(key(m.accountId, m.region, m.resourceArn)) ?? {},
            resourceType: protection?.ResourceType,
            lastBackupTime: protection?.LastBackupTime,
            collectedAt: state?.lastSuccessStartedAt,
            stale: state?.stale ?? false,
          };
        }),
      });
    },
  );

  return router;
}
