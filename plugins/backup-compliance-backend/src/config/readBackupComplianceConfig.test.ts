import { ConfigReader } from '@backstage/config';
import { readBackupComplianceConfig } from './readBackupComplianceConfig';
import { BUILT_IN_DEFAULT_POLICY } from './readPolicies';

const aws = {
  accounts: [
    { accountId: '111111111111', roleName: 'reader' },
    { accountId: '222222222222', roleName: 'reader' },
  ],
};

const waiverOn = (expires: string) => ({
  entity: 'component:default/x',
  check: 'vault-lock',
  reason: 'r',
  approvedBy: 'group:default/g',
  expires,
});

const read = (data: object) =>
  readBackupComplianceConfig(new ConfigReader(data));

describe('readBackupComplianceConfig', () => {
  it('applies defaults and takes accounts from aws.accounts', () => {
    expect(
      read({ aws, backupCompliance: { regions: ['eu-central-1'] } }),
    ).toEqual({
      enabled: true,
      schedule: {
        frequency: { minutes: 60 },
        timeout: { minutes: 20 },
        initialDelay: { seconds: 15 },
      },
      regions: ['eu-central-1'],
      accounts: ['111111111111', '222222222222'],
      endpoint: undefined,
      tagKeys: {
        policy: 'backup-policy',
        restoreTesting: 'restore-testing-candidate',
      },
      concurrency: 4,
      shards: 1,
      requestTimeoutMs: 30_000,
      accountRegionTimeoutMs: 5 * 60_000,
      rateLimits: { listPerSecond: 20, getPerSecond: 10, totalPerSecond: 50 },
      refreshLimits: { fullMs: 5 * 60_000, entityMs: 60_000 },
      catalogConditionsTtlMs: 10_000,
      overlapMs: 2 * 3_600_000,
      fullResyncEveryMs: 86_400_000,
      jobsLookbackDays: 30,
      restoreJobsLookbackDays: 30,
      policies: new Map([['default', BUILT_IN_DEFAULT_POLICY]]),
      waivers: [],
      historyRetainDays: 400,
      notifications: {
        levels: ['non-compliant', 'at-risk'],
        recovered: true,
        waiverExpiryDays: 14,
      },
    });
  });

  it('reads what owners are told, and refuses a level one cannot get worse into or a bad number of days', () => {
    const withNotifications = (notifications: object) =>
      read({
        aws,
        backupCompliance: { regions: ['eu-central-1'], notifications },
      });
    expect(
      withNotifications({
        levels: ['non-compliant'],
        recovered: false,
        waiverExpiryDays: 0,
      }).notifications,
    ).toEqual({
      levels: ['non-compliant'],
      recovered: false,
      waiverExpiryDays: 0,
    });
    expect(() => withNotifications({ levels: ['compliant'] })).toThrow(
      'Invalid config at backupCompliance.notifications.levels: "compliant" is not a level one gets worse into; use non-compliant, misconfigured, unknown, at-risk',
    );
    expect(() => withNotifications({ waiverExpiryDays: 1.5 })).toThrow(
      'backupCompliance.notifications.waiverExpiryDays: must be a whole number of days from 0 to 366, got 1.5',
    );
    expect(() => withNotifications({ waiverExpiryDay: 3 })).toThrow(
      /notifications\.waiverExpiryDay/,
    );
  });

  it('reads the timeouts and refresh limits, and refuses a deadline longer than the cycle', () => {
    const config = read({
      aws,
      backupCompliance: {
        regions: ['eu-west-1'],
        schedule: { timeout: { minutes: 3 } },
        requestTimeout: { seconds: 10 },
        refresh: { fullPerCaller: { minutes: 0 }, entityPerCaller: 'PT10S' },
        catalogConditionsTtl: { seconds: 0 },
      },
    });
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(config.catalogConditionsTtlMs).toBe(0);
    // unset, the deadline per account-region follows a shorter cycle timeout
    expect(config.accountRegionTimeoutMs).toBe(3 * 60_000);
    expect(config.refreshLimits).toEqual({ fullMs: 0, entityMs: 10_000 });
    expect(
      read({
        aws,
        backupCompliance: {
          regions: ['eu-west-1'],
          requestsPerSecond: { list: 5, total: 12.5 },
        },
      }).rateLimits,
    ).toEqual({ listPerSecond: 5, getPerSecond: 10, totalPerSecond: 12.5 });
    expect(() =>
      read({
        aws,
        backupCompliance: {
          regions: ['eu-west-1'],
          requestsPerSecond: { get: 0 },
        },
      }),
    ).toThrow(
      'Invalid config at backupCompliance.requestsPerSecond.get: must be a number of calls per second above 0',
    );
    expect(() =>
      read({
        aws,
        backupCompliance: {
          regions: ['eu-west-1'],
          schedule: { timeout: { minutes: 3 } },
          accountRegionTimeout: { minutes: 4 },
        },
      }),
    ).toThrow(
      'Invalid config at backupCompliance.accountRegionTimeout: must not be longer than schedule.timeout',
    );
    expect(() =>
      read({
        aws,
        backupCompliance: {
          regions: ['eu-west-1'],
          requestTimeout: { seconds: 0 },
        },
      }),
    ).toThrow(
      'Invalid config at backupCompliance.requestTimeout: must be a positive duration',
    );
  });

  it('reads the account to read organization backup policies from', () => {
    expect(
      read({
        aws,
        backupCompliance: {
          regions: ['eu-central-1'],
          organization: { accountId: '222222222222' },
        },
      }).organization,
    ).toEqual({ accountId: '222222222222' });
  });

  it('is disabled, not broken, without regions or accounts', () => {
    expect(read({ aws }).enabled).toBe(false);
    expect(
      read({ backupCompliance: { regions: ['eu-central-1'] } }).enabled,
    ).toBe(false);
  });

  it('reads schedules and incremental settings in both duration forms', () => {
    const config = read({
      aws,
      backupCompliance: {
        regions: ['eu-west-1'],
        schedule: { frequency: 'PT30M', timeout: { minutes: 5 } },
        incremental: { overlap: { minutes: 30 }, fullResyncEvery: 'P7D' },
      },
    });
    expect(config.schedule.frequency).toEqual({ minutes: 30 });
    expect(config.overlapMs).toBe(30 * 60_000);
    expect(config.fullResyncEveryMs).toBe(7 * 86_400_000);
  });

  it.each([
    [
      { regions: ['Frankfurt'] },
      'backupCompliance.regions[0]: "Frankfurt" is not an AWS region',
    ],
    [
      { regions: ['eu-central-1'], accounts: ['123'] },
      'backupCompliance.accounts[0]: "123" is not a 12-digit AWS account id',
    ],
    [
      { regions: ['eu-central-1'], accounts: ['333333333333'] },
      'backupCompliance.accounts: 333333333333 has no entry in aws.accounts',
    ],
    [
      { regions: ['eu-central-1'], organization: { accountId: '1234' } },
      'backupCompliance.organization.accountId: "1234" is not a 12-digit AWS account id',
    ],
    [
      {
        regions: ['eu-central-1'],
        organization: { accountId: '999999999999' },
      },
      "backupCompliance.organization.accountId: 999999999999 has no entry in aws.accounts, so there are no credentials to read the organization's backup policies with",
    ],
    [
      { regions: ['eu-central-1'], endpoint: 'localhost 4599' },
      'backupCompliance.endpoint: "localhost 4599" is not a URL',
    ],
    [
      { regions: ['eu-central-1'], concurrency: 0 },
      'backupCompliance.concurrency: must be a whole number from 1 to 64',
    ],
    [
      { regions: ['eu-central-1'], shards: 2.5 },
      'backupCompliance.shards: must be a whole number from 1 to 64, got 2.5',
    ],
    [
      { regions: ['eu-central-1'], schedule: { frequency: 'often' } },
      'backupCompliance.schedule.frequency',
    ],
    [
      { regions: ['eu-central-1'], incremental: { overlap: { minutes: 0 } } },
      'backupCompliance.incremental.overlap: must be a positive duration',
    ],
    [
      { regions: ['eu-central-1'], jobsLookbackDays: 2.5 },
      'backupCompliance.jobsLookbackDays',
    ],
    [
      { regions: ['eu-centrl-1'] },
      'backupCompliance.regions[0]: "eu-centrl-1" is not an AWS region; known: af-south-1',
    ],
    [
      { regions: ['eu-west-1', 'eu-central-1', 'eu-west-1'] },
      'backupCompliance.regions[2]: "eu-west-1" is listed twice',
    ],
    [
      { regions: ['eu-central-1'], endpoint: 'ftp://localhost:4599' },
      'backupCompliance.endpoint: "ftp://localhost:4599" must be an http:// or https:// URL',
    ],
    [
      { regoins: ['eu-central-1'] },
      'backupCompliance.regoins: unknown key (did you mean regions?)',
    ],
    [
      { regions: ['eu-central-1'], polcies: {} },
      'backupCompliance.polcies: unknown key (did you mean policies?)',
    ],
    [
      { regions: ['eu-central-1'], policies: { gold: { rpoHour: 4 } } },
      'backupCompliance.policies.gold.rpoHour: unknown key (did you mean rpoHours?)',
    ],
    [
      {
        regions: ['eu-central-1'],
        policies: { gold: { retention: { daily: 35 } } },
      },
      'backupCompliance.policies.gold.retention.daily: unknown key',
    ],
    [
      {
        regions: ['eu-central-1'],
        waivers: [{ ...waiverOn('2027-02-30'), approvdBy: 'typo' }],
      },
      'backupCompliance.waivers[0].approvdBy: unknown key (did you mean approvedBy?)',
    ],
  ])('fails at start-up naming the key: %j', (backupCompliance, message) => {
    expect(() => read({ aws, backupCompliance })).toThrow(message);
  });

  it('names every unknown key at once', () => {
    expect(() =>
      read({
        aws,
        backupCompliance: {
          regoins: ['eu-central-1'],
          policies: { gold: { rpoHour: 4, copies: { crossRegoin: true } } },
        },
      }),
    ).toThrow(
      /3 problems in backupCompliance:\n- .*regoins.*\n- .*gold\.rpoHour.*\n- .*gold\.copies\.crossRegoin/,
    );
  });

  it('refuses a waiver expiring on a day that does not exist', () => {
    expect(() =>
      readBackupComplianceConfig(
        new ConfigReader({
          aws,
          backupCompliance: {
            regions: ['eu-central-1'],
            waivers: [waiverOn('2027-02-30')],
          },
        }),
        { now: new Date('2026-12-01T00:00:00Z') },
      ),
    ).toThrow(
      'backupCompliance.waivers[0].expires: must be a date written YYYY-MM-DD, got "2027-02-30"',
    );
  });
});
