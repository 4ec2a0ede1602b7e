import { ConfigReader } from '@backstage/config';
import { readBackupComplianceConfig } from './readBackupComplianceConfig';
import { BUILT_IN_DEFAULT_POLICY } from './readPolicies';

const aws = {
  accounts: [
    { accountId: '111111111111', roleName: 'reader' },
    { accountId: '222222222222', roleName: 'reader' },
  ],
};

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
      overlapMs: 2 * 3_600_000,
      fullResyncEveryMs: 86_400_000,
      jobsLookbackDays: 30,
      restoreJobsLookbackDays: 30,
      policies: new Map([['default', BUILT_IN_DEFAULT_POLICY]]),
      waivers: [],
      historyRetainDays: 400,
    });
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
      { regions: ['eu-central-1'], endpoint: 'localhost 4599' },
      'backupCompliance.endpoint: "localhost 4599" is not a URL',
    ],
    [
      { regions: ['eu-central-1'], concurrency: 0 },
      'backupCompliance.concurrency: must be a whole number from 1 to 64',
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
  ])('fails at start-up naming the key: %j', (backupCompliance, message) => {
    expect(() => read({ aws, backupCompliance })).toThrow(message);
  });
});
