import { LoggerService } from '@backstage/backend-plugin-api';
import { Waiver } from '@backup-compliance/backstage-plugin-common';
import {
  CollectedState,
  EvidenceIndex,
  Located,
} from '../compliance/assembleEvidence';
import { RegisteredCheck } from '../compliance/builtInChecks';
import {
  EntityComplianceSnapshot,
  evaluateEntity,
} from '../compliance/evaluateEntity';
import { BackupComplianceConfig } from '../config/readBackupComplianceConfig';
import { BackupStore } from '../database/BackupStore';

/**
 * Reads what the collector stored, judges every opted-in entity with the pure
 * engine, and stores the snapshots and today's history rows.
 */
export class ComplianceRunner {
  constructor(
    private readonly options: {
      config: BackupComplianceConfig;
      store: BackupStore;
      logger: LoggerService;
      checks: () => RegisteredCheck[];
      waivers: Waiver[];
      now?: () => Date;
    },
  ) {}

  private async collectedState(): Promise<CollectedState> {
    const { store } = this.options;
    // The store's kind of each part of the collected state.
    const kinds = {
      resources: 'resource',
      protectedResources: 'protected_resource',
      vaults: 'vault',
      recoveryPoints: 'recovery_point',
      backupPlans: 'backup_plan',
      backupJobs: 'backup_job',
      copyJobs: 'copy_job',
      restoreJobs: 'restore_job',
      restoreTestingPlans: 'restore_testing_plan',
      legalHolds: 'legal_hold',
    } as const;
    const parts = await Promise.all(
      Object.entries(kinds).map(
        async ([part, kind]) => [part, await store.listObjects(kind)] as const,
      ),
    );
    return {
      ...(Object.fromEntries(parts) as unknown as Omit<
        CollectedState,
        'accountRegions'
      >),
      accountRegions: await store.getAccountRegionStates(),
    };
  }

  async evaluateAll(): Promise<EntityComplianceSnapshot[]> {
    const { config, store, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const state = await this.collectedState();
    const index = new EvidenceIndex(state);
    const resourceByKey = new Map<string, Located<any>>(
      state.resources.map(r => [`${r.accountId}/${r.region}/${r.data.arn}`, r]),
    );
    const mapping = await store.listEntityResources();
    const byEntity = new Map<string, string[]>();
    for (const m of mapping) {
      const list = byEntity.get(m.entityRef) ?? [];
      list.push(`${m.accountId}/${m.region}/${m.resourceArn}`);
      byEntity.set(m.entityRef, list);
    }
    const collected = index.collected();
    const checks = this.options.checks();
    const snapshots = (await store.listEntities()).map(entity =>
      evaluateEntity(
        {
          entityRef: entity.entityRef,
          annotations: entity.annotations,
          problems: entity.problems,
          resources: (byEntity.get(entity.entityRef) ?? [])
            .map(key => resourceByKey.get(key))
            .filter((r): r is Located<any> => !!r)
            .map(r => index.evidenceFor(r)),
          scope: (entity.annotations?.accounts ?? config.accounts).flatMap(
            accountId =>
              (entity.annotations?.regions ?? config.regions).map(region => ({
                accountId,
                region,
              })),
          ),
        },
        {
          policies: config.policies,
          checks,
          waivers: this.options.waivers,
          policyTagKey: config.tagKeys.policy,
          now,
          collected,
          restoreHistoryDays: config.restoreJobsLookbackDays,
        },
      ),
    );
    await store.saveEvaluation(snapshots, config.historyRetainDays);
    const counts = snapshots.reduce<Record<string, number>>((acc, s) => {
      acc[s.level] = (acc[s.level] ?? 0) + 1;
      return acc;
    }, {});
    logger.info(
      `Evaluated ${snapshots.length} entities: ${Object.entries(counts)
        .map(([level, n]) => `${n} ${level}`)
        .join(', ')}`,
    );
    return snapshots;
  }
}
