import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Backup Compliance for Backstage. */
  backupCompliance?: {
    /**
     * When AWS Backup data is collected. A full cycle runs every `frequency`;
     * refreshes asked for through the API run in between. One replica at a time
     * collects (a `scope: global` task of Backstage's scheduler, which looks for
     * due work every 10 seconds, or every `frequency` if shorter).
     * Default: every 60 minutes, 20-minute timeout, first run 15 seconds after
     * start-up.
     */
    schedule?: {
      frequency?: HumanDuration | string;
      timeout?: HumanDuration | string;
      initialDelay?: HumanDuration | string;
    };
    /**
     * Regions to collect from in every account, e.g. `[eu-central-1, eu-west-1]`.
     * Required: without it, collection is off and the API says so.
     */
    regions?: string[];
    /**
     * Account ids to collect from. Default: every `aws.accounts[].accountId`.
     * Credentials always come from `aws.accounts` (@backstage/integration-aws-node).
     */
    accounts?: string[];
    /**
     * Endpoint for both AWS clients (Backup and Resource Groups Tagging), for
     * the local emulator in demos and tests. Unset: real AWS.
     */
    endpoint?: string;
    /**
     * AWS Organizations backup policies (BACKUP_POLICY): the management account, or a
     * delegated administrator for backup policies, to read them from in every full
     * cycle (credentials from `aws.accounts`). Unset: organization policies are not read.
     */
    organization?: {
      accountId: string;
    };
    /** Tag keys with a meaning to the plugin. */
    tagKeys?: {
      /** Tag naming a resource's policy. Default `backup-policy`. */
      policy?: string;
      /** Tag marking restore-testing candidates. Default `restore-testing-candidate`. */
      restoreTesting?: string;
    };
    /** How many account-regions are collected at once, by each replica. Default 4. */
    concurrency?: number;
    /**
     * Parts a full cycle's account-regions are split into (1 to 64), so several
     * replicas collect one cycle together: each replica's shard worker (a
     * `scope: 'local'` task, every 5 seconds) takes waiting shards one at a time
     * through claims in the shared database; the replica running the cycle takes the
     * first shard at once, the others it leaves 10 seconds to the other replicas, and
     * joins and evaluates once every shard is done. Default 1: that replica collects
     * everything.
     */
    shards?: number;
    /**
     * Calls per second the collector makes in one account-region (token buckets,
     * retries included), under AWS's quotas: for each list operation (default 20),
     * each get or describe operation (default 10), and all calls to one service
     * together (default 50). Lower them when other tools share the quota.
     */
    requestsPerSecond?: {
      list?: number;
      get?: number;
      total?: number;
    };
    /**
     * Longest wait for one HTTP request to AWS; the SDK retries a request that
     * timed out like any transient error. Default 30 seconds.
     */
    requestTimeout?: HumanDuration | string;
    /**
     * Longest time one account-region may take in a cycle. One that takes longer
     * is recorded as failed (its data stays, marked stale) and the others
     * complete. At most `schedule.timeout`. Default 5 minutes.
     */
    accountRegionTimeout?: HumanDuration | string;
    /**
     * Limits on `POST /v1/collection/refresh`, per caller, across replicas: a
     * request sooner than this after the same caller's previous one for the same
     * scope is answered 429 with `Retry-After`. Zero turns a limit off.
     */
    refresh?: {
      /** Between two full refreshes. Default 5 minutes. */
      fullPerCaller?: HumanDuration | string;
      /** Between two refreshes of the same entity. Default 1 minute. */
      entityPerCaller?: HumanDuration | string;
    };
    /**
     * How long the entities a conditional catalog read admits are kept. When the
     * permission policy answers `catalog.entity.read` with conditions (an owner or
     * namespace rule), every list, count, history and export asks the catalog which
     * entities they admit. The decision is asked for on every request; what the
     * catalog answered for the same conditions is kept this long, so a page's
     * requests and many callers under one rule ask it once. The catalog's own
     * entities lag their sources by its processing interval (minutes). Zero asks
     * the catalog on every request. Default 10 seconds.
     */
    catalogConditionsTtl?: HumanDuration | string;
    /** Incremental collection of jobs and recovery points. */
    incremental?: {
      /**
       * How far back before the previous successful cycle an incremental
       * cycle asks for (`ByCreatedAfter`), for jobs that were still running.
       * Default 2 hours.
       */
      overlap?: HumanDuration | string;
      /**
       * How often a full resync replaces everything, catching deletions and
       * expiries. Default 1 day.
       */
      fullResyncEvery?: HumanDuration | string;
    };
    /** Days of backup, copy and restore jobs a full cycle reads. Default 30 (what AWS keeps). */
    jobsLookbackDays?: number;
    /**
     * Named policies: what each class of data requires. `default` applies to
     * resources with no policy annotation or tag; named policies take the
     * fields they leave out from `default` (built in: 24 h RPO, dailies kept
     * 35 days, nothing else required).
     */
    policies?: {
      [name: string]: {
        /** Recovery point objective: the newest point may be at most this old. */
        rpoHours?: number;
        /** Recovery time objective: a test restore may take at most this long. */
        rtoMinutes?: number;
        /** How long each tier keeps points; 0 or unset in `default`: not required. */
        retention?: {
          dailyDays?: number;
          monthlyMonths?: number;
          yearlyYears?: number;
        };
        /** Years records must stay restorable by law. Default: retention.yearlyYears. */
        legalRetentionYears?: number;
        /** Vault Lock mode the vaults must be in. */
        vaultLock?: 'none' | 'governance' | 'compliance';
        /** Key type the recovery points must be encrypted with. */
        encryption?: 'any' | 'customer-managed';
        /** Copies required in another region / another account, within the RPO. */
        /**
         * Copies required in another region and account, and what they must keep:
         * `same-as-source` (default: each copy as long as the point it copies) or a
         * number of days (at least that, or as long as the source when it keeps less).
         */
        copies?: {
          crossRegion?: boolean;
          crossAccount?: boolean;
          retention?: 'same-as-source' | number;
        };
        /** Restore tests required, their maximum age, and whether validation must succeed. */
        restoreTesting?: {
          required?: boolean;
          maxAgeDays?: number;
          requireValidation?: boolean;
        };
      };
    };
    /** Platform-approved exceptions; each needs a reason, an approver and an expiry at most a year out. */
    waivers?: Array<{
      /** Entity reference, e.g. component:default/rewards-catalog. */
      entity: string;
      /** Check id, e.g. cross-account-copy. */
      check: string;
      reason: string;
      approvedBy: string;
      /** Last day the waiver applies, YYYY-MM-DD. */
      expires: string;
    }>;
    /** Compliance history: one row per entity per day. */
    history?: {
      /** Days of history kept. Default 400. */
      retainDays?: number;
    };
    /**
     * What the owners hear of, when a notifications module is installed
     * (@backup-compliance/backstage-plugin-backend-module-notifications).
     */
    notifications?: {
      /**
       * An entity getting worse into one of these levels is told. Default
       * [non-compliant, at-risk]; also misconfigured, unknown.
       */
      levels?: Array<'non-compliant' | 'misconfigured' | 'unknown' | 'at-risk'>;
      /** An entity becoming compliant again is told. Default true. */
      recovered?: boolean;
      /** Days before a waiver expires to tell of it; 0: never. Default 14. */
      waiverExpiryDays?: number;
    };
  };
}
