import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Backup Compliance for Backstage. */
  backupCompliance?: {
    /**
     * When AWS Backup data is collected. One replica collects per cycle
     * (`scope: global`). Default: every 60 minutes, 20-minute timeout, first
     * run 15 seconds after start-up.
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
    /** Tag keys with a meaning to the plugin. */
    tagKeys?: {
      /** Tag naming a resource's policy. Default `backup-policy`. */
      policy?: string;
      /** Tag marking restore-testing candidates. Default `restore-testing-candidate`. */
      restoreTesting?: string;
    };
    /** How many account-regions are collected at once. Default 4. */
    concurrency?: number;
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
  };
}
