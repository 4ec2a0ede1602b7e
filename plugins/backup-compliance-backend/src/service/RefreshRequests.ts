import { LoggerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import { CollectionRefreshRequest } from '@backup-compliance/backstage-plugin-common';
import { randomUUID } from 'node:crypto';
import { BackupComplianceConfig } from '../config/readBackupComplianceConfig';
import { BackupStore, RefreshRequest } from '../database/BackupStore';

/** A caller asked again sooner than `backupCompliance.refresh.*PerCaller` allows. */
export class RefreshLimitError extends CustomErrorBase {
  name = 'TooManyRequestsError';

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/**
 * Refreshes asked for through the API. Each is stored; the scheduler is asked to run
 * the collection task now, and whichever replica holds the task's lock runs the next
 * cycle, which takes every pending request. A caller may ask for a full refresh, or
 * for one entity, at most once per configured interval.
 */
export class RefreshRequests {
  constructor(
    private readonly options: {
      config: BackupComplianceConfig;
      store: BackupStore;
      logger: LoggerService;
      /** Asks the scheduler to run the collection task now. */
      trigger: () => Promise<void>;
      now?: () => Date;
    },
  ) {}

  async request(request: {
    entityRef?: string;
    requestedBy: string;
  }): Promise<CollectionRefreshRequest> {
    const { config, store, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const limitMs = request.entityRef
      ? config.refreshLimits.entityMs
      : config.refreshLimits.fullMs;
    if (limitMs > 0) {
      const last = await store.lastRefreshRequest(
        request.requestedBy,
        request.entityRef,
        new Date(now.getTime() - limitMs),
      );
      if (last) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil(
            (last.requestedAt.getTime() + limitMs - now.getTime()) / 1000,
          ),
        );
        throw new RefreshLimitError(
          `You asked for a ${
            request.entityRef
              ? `refresh of ${request.entityRef}`
              : 'full refresh'
          } at ${last.requestedAt.toISOString()}; ask again in ${retryAfterSeconds} s (backupCompliance.refresh.${
            request.entityRef ? 'entityPerCaller' : 'fullPerCaller'
          } is ${Math.round(limitMs / 1000)} s)`,
          retryAfterSeconds,
        );
      }
    }
    const pending = await store.pendingRefreshRequests();
    const stored: RefreshRequest = {
      id: randomUUID(),
      entityRef: request.entityRef,
      requestedBy: request.requestedBy,
      requestedAt: now,
    };
    await store.addRefreshRequest(stored);
    // While a cycle runs, the scheduler refuses; the task looks for pending requests
    // again as soon as that cycle ends.
    this.options.trigger().catch(error => {
      if (error?.name !== 'ConflictError') {
        logger.warn(
          `Could not ask the scheduler to run the collection now; the request waits for its next run: ${error}`,
        );
      }
    });
    return {
      ...this.answer(stored),
      coalesced: pending.length > 0,
    };
  }

  async status(
    requestId: string,
  ): Promise<CollectionRefreshRequest | undefined> {
    const { store } = this.options;
    const request = await store.getRefreshRequest(requestId);
    if (!request) return undefined;
    const cycle = request.cycleId
      ? await store.getCycle(request.cycleId)
      : undefined;
    return {
      ...this.answer(request),
      ...(request.cycleId ? { status: cycle?.status ?? 'running' } : {}),
    };
  }

  private answer(request: RefreshRequest): CollectionRefreshRequest {
    return {
      requestId: request.id,
      ...(request.entityRef ? { entityRef: request.entityRef } : {}),
      requestedAt: request.requestedAt.toISOString(),
      status: 'queued',
      ...(request.cycleId ? { cycleId: request.cycleId } : {}),
    };
  }
}
