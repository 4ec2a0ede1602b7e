import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createAwsClients } from './collector/awsClients';
import { BackupCollector } from './collector/BackupCollector';
import { readBackupComplianceConfig } from './config/readBackupComplianceConfig';
import { expiredWaiverWarnings } from './config/readPolicies';
import { DatabaseBackupStore } from './database/DatabaseBackupStore';
import { backupCompliancePermissions } from '@backup-compliance/backstage-plugin-common';
import {
  backupComplianceChecksExtensionPoint,
  backupComplianceNotifiersExtensionPoint,
  BackupComplianceNotifier,
  CustomCheck,
} from '@backup-compliance/backstage-plugin-node';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  BUILT_IN_RESOURCE_CHECKS,
  RESOURCES_FOUND,
} from './compliance/builtInChecks';
import { ComplianceRunner } from './service/ComplianceRunner';
import { createRouter } from './service/router';
import { registerActions } from './service/actions';
import { EntityAccess } from './service/EntityAccess';
import { RefreshRequests } from './service/RefreshRequests';
import { durationToMilliseconds } from '@backstage/types';

const COLLECT_TASK = 'backup-compliance-collect';
const SHARD_TASK = 'backup-compliance-collect-shards';

/**
 * The Backup Compliance backend plugin.
 *
 * @public
 */
export const backupCompliancePlugin = createBackendPlugin({
  pluginId: 'backup-compliance',
  register(env) {
    const customChecks: CustomCheck[] = [];
    env.registerExtensionPoint(backupComplianceChecksExtensionPoint, {
      addCheck(check) {
        const id = check.definition.id;
        const taken = [
          RESOURCES_FOUND,
          ...BUILT_IN_RESOURCE_CHECKS.map(c => c.definition),
          ...customChecks.map(c => c.definition),
        ];
        if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
          throw new Error(
            `Backup compliance check id "${id}" must be lowercase letters, digits and dashes`,
          );
        }
        if (taken.some(c => c.id === id)) {
          throw new Error(
            `Backup compliance check "${id}" is registered twice`,
          );
        }
        customChecks.push(check);
      },
    });
    const allChecks = () => [...BUILT_IN_RESOURCE_CHECKS, ...customChecks];
    const notifiers: BackupComplianceNotifier[] = [];
    env.registerExtensionPoint(backupComplianceNotifiersExtensionPoint, {
      addNotifier(notifier) {
        notifiers.push(notifier);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        auth,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        actionsRegistry,
      }) {
        permissionsRegistry.addPermissions(backupCompliancePermissions);
        const settings = readBackupComplianceConfig(config, {
          checkIds: [
            RESOURCES_FOUND.id,
            ...allChecks().map(c => c.definition.id),
          ],
        });
        for (const warning of expiredWaiverWarnings(
          settings.waivers,
          new Date(),
        )) {
          logger.warn(warning);
        }
        const store = await DatabaseBackupStore.create({
          knex: await database.getClient(),
          skipMigrations: database.migrations?.skip,
        });
        const credentials = DefaultAwsCredentialsManager.fromConfig(config);
        const runner = new ComplianceRunner({
          config: settings,
          store,
          logger,
          checks: allChecks,
          waivers: settings.waivers,
          notifiers: () => notifiers,
          replica: `${hostname()}:${process.pid}/${randomUUID().slice(0, 8)}`,
          titleOf: checkId =>
            [RESOURCES_FOUND, ...allChecks().map(c => c.definition)].find(
              c => c.id === checkId,
            )?.title ?? checkId,
        });
        const collector = new BackupCollector({
          afterCycle: () => runner.evaluateAll(),
          // This replica's shard worker looks at once (the others at their next tick);
          // one that is running already answers 409, and looks again when done.
          onShardsWaiting: () => {
            if (settings.shards > 1) {
              scheduler.triggerTask(SHARD_TASK).catch(() => {});
            }
          },
          config: settings,
          logger,
          catalog,
          auth,
          store,
          organization: settings.organization
            ? async () =>
                new OrganizationsClient({
                  // Organizations is global: its endpoint is in us-east-1.
                  region: 'us-east-1',
                  endpoint: settings.endpoint,
                  credentials: (
                    await credentials.getCredentialProvider({
                      accountId: settings.organization!.accountId,
                    })
                  ).sdkCredentialProvider,
                  retryMode: 'adaptive',
                  maxAttempts: 8,
                  customUserAgent: 'backstage-backup-compliance',
                })
            : undefined,
          clients: async ({ accountId, region }, counter, abortSignal) =>
            createAwsClients({
              region,
              abortSignal,
              requestTimeoutMs: settings.requestTimeoutMs,
              rateLimits: settings.rateLimits,
              credentials: (
                await credentials.getCredentialProvider({ accountId })
              ).sdkCredentialProvider,
              endpoint: settings.endpoint,
              counter,
            }),
        });

        // Runs a killed or restarted backend left `running` are closed at start-up.
        await collector.closeInterruptedRuns();

        if (settings.enabled) {
          // One task for scheduled and asked-for cycles: the scheduler's lock in the
          // shared database lets one replica at a time run it. It looks for due work
          // every 10 seconds (two small queries); the collector decides whether a
          // cycle is due. A refresh asks the scheduler to run it at once.
          const frequency = settings.schedule.frequency;
          await scheduler.scheduleTask({
            id: COLLECT_TASK,
            frequency:
              durationToMilliseconds(frequency) < 10_000
                ? frequency
                : { seconds: 10 },
            timeout: settings.schedule.timeout,
            initialDelay: settings.schedule.initialDelay,
            scope: 'global',
            fn: async abortSignal => {
              await collector.runDueWork(abortSignal);
            },
          });
          // Shards of a full cycle: every replica's own worker takes those that wait, one
          // at a time, as the catalog's processing shares its work: claims in the
          // shared database, so each shard goes to one replica, and a busy replica
          // leaves the next one to a free replica.
          if (settings.shards > 1) {
            await scheduler.scheduleTask({
              id: SHARD_TASK,
              frequency: { seconds: 5 },
              timeout: settings.schedule.timeout,
              initialDelay: settings.schedule.initialDelay,
              scope: 'local',
              fn: async abortSignal => {
                await collector.runShards(abortSignal);
              },
            });
          }
          logger.info(
            `Collecting AWS Backup data from ${
              settings.accounts.length
            } accounts in ${settings.regions.join(', ')}${
              settings.shards > 1
                ? `, in ${settings.shards} shards for the replicas to share`
                : ''
            }${settings.endpoint ? ` through ${settings.endpoint}` : ''}`,
          );
        } else {
          logger.warn(
            'AWS Backup data collection is off: backupCompliance.regions or aws.accounts is not set',
          );
        }

        const checkDefinitions = () => [
          RESOURCES_FOUND,
          ...allChecks().map(c => c.definition),
        ];
        // one for the actions and the REST API: what the catalog said is kept once
        const access = new EntityAccess({
          permissions,
          catalog,
          store,
          conditionsTtlMs: settings.catalogConditionsTtlMs,
        });
        registerActions({
          actionsRegistry,
          store,
          access,
          checks: checkDefinitions,
        });
        httpRouter.use(
          await createRouter({
            logger,
            config: settings,
            store,
            refreshRequests: new RefreshRequests({
              config: settings,
              store,
              logger,
              trigger: () => scheduler.triggerTask(COLLECT_TASK),
            }),
            httpAuth,
            catalog,
            access,
            checks: checkDefinitions,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
