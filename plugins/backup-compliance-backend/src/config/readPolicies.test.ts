import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { BUILT_IN_CHECKS } from '@backup-compliance/backstage-plugin-common';
import {
  BUILT_IN_DEFAULT_POLICY,
  expiredWaiverWarnings,
  readPolicies,
  readWaivers,
} from './readPolicies';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const CHECK_IDS = BUILT_IN_CHECKS.map(c => c.id);

const section = (backupCompliance: JsonObject) =>
  new ConfigReader({ backupCompliance }).getOptionalConfig('backupCompliance');

const policies = (config: JsonObject) =>
  readPolicies(section({ policies: config }));

describe('readPolicies', () => {
  it('has only the built-in default without configuration', () => {
    expect(readPolicies(undefined)).toEqual(
      new Map([['default', BUILT_IN_DEFAULT_POLICY]]),
    );
    expect(policies({})).toEqual(
      new Map([['default', BUILT_IN_DEFAULT_POLICY]]),
    );
  });

  it('reads a fully specified policy', () => {
    expect(
      policies({
        'transactions-db': {
          rpoHours: 24,
          rtoMinutes: 240,
          retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
          vaultLock: 'compliance',
          encryption: 'customer-managed',
          copies: { crossRegion: true, crossAccount: true, retention: 365 },
          restoreTesting: {
            required: true,
            maxAgeDays: 30,
            requireValidation: true,
          },
        },
      }).get('transactions-db'),
    ).toEqual({
      name: 'transactions-db',
      rpoHours: 24,
      rtoMinutes: 240,
      retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 7 },
      legalRetentionYears: 7,
      vaultLock: 'compliance',
      encryption: 'customer-managed',
      copies: { crossRegion: true, crossAccount: true, retention: 365 },
      restoreTesting: {
        required: true,
        maxAgeDays: 30,
        requireValidation: true,
      },
    });
  });

  it('lets named policies inherit what they do not set from the configured default', () => {
    const read = policies({
      default: {
        rpoHours: 12,
        vaultLock: 'governance',
        copies: { crossRegion: true },
        retention: { yearlyYears: 5 },
      },
      'rewards-db': { retention: { yearlyYears: 10 } },
    });
    expect(read.get('default')).toMatchObject({
      rpoHours: 12,
      legalRetentionYears: 5,
    });
    expect(read.get('rewards-db')).toEqual({
      ...BUILT_IN_DEFAULT_POLICY,
      name: 'rewards-db',
      rpoHours: 12,
      vaultLock: 'governance',
      copies: {
        crossRegion: true,
        crossAccount: false,
        retention: 'same-as-source',
      },
      retention: { dailyDays: 35, monthlyMonths: 0, yearlyYears: 10 },
      legalRetentionYears: 10,
    });
  });

  it('lets named policies inherit from the built-in default when none is configured', () => {
    expect(policies({ 'logs-db': { rpoHours: 4 } }).get('logs-db')).toEqual({
      ...BUILT_IN_DEFAULT_POLICY,
      name: 'logs-db',
      rpoHours: 4,
    });
  });

  it.each([
    ['defaults to the yearly retention', { retention: { yearlyYears: 7 } }, 7],
    [
      'is kept when set beside the yearly retention',
      { retention: { yearlyYears: 7 }, legalRetentionYears: 10 },
      10,
    ],
    [
      "is the default policy's when the yearly retention is not set",
      { rpoHours: 4 },
      3,
    ],
  ])('legalRetentionYears %s', (_name, config, expected) => {
    const read = policies({
      default: { retention: { yearlyYears: 3 } },
      named: config,
    });
    expect(read.get('named')?.legalRetentionYears).toBe(expected);
  });

  it.each<[string, JsonObject, string]>([
    [
      'an unknown vault lock mode',
      { vaultLock: 'strict' },
      'backupCompliance.policies.broken.vaultLock: must be one of none, governance, compliance, got "strict"',
    ],
    [
      'an unknown encryption',
      { encryption: 'aws-managed' },
      'backupCompliance.policies.broken.encryption: must be one of any, customer-managed, got "aws-managed"',
    ],
    [
      'a negative daily retention',
      { retention: { dailyDays: -1 } },
      'backupCompliance.policies.broken.retention.dailyDays: must be a number of at least 0, got -1',
    ],
    [
      'a negative yearly retention',
      { retention: { yearlyYears: -7 } },
      'backupCompliance.policies.broken.retention.yearlyYears',
    ],
    [
      'a negative legal retention',
      { legalRetentionYears: -1 },
      'backupCompliance.policies.broken.legalRetentionYears',
    ],
    [
      'an RPO of zero hours',
      { rpoHours: 0 },
      'backupCompliance.policies.broken.rpoHours: must be a number of at least 1, got 0',
    ],
    [
      'an RTO written as text',
      { rtoMinutes: '4h' },
      'backupCompliance.policies.broken.rtoMinutes: must be a number of at least 1, got "4h"',
    ],
    [
      'a copy retention that is neither a number of days nor same-as-source',
      { copies: { retention: 'same' } },
      'backupCompliance.policies.broken.copies.retention: must be "same-as-source" or a whole number of days (at least 1), got "same"',
    ],
    [
      'a copy retention of zero days',
      { copies: { retention: 0 } },
      'backupCompliance.policies.broken.copies.retention',
    ],
    [
      'a restore-test age of zero days',
      { restoreTesting: { maxAgeDays: 0 } },
      'backupCompliance.policies.broken.restoreTesting.maxAgeDays',
    ],
  ])('fails on %s, naming the key', (_name, config, message) => {
    expect(() => policies({ broken: config })).toThrow(message);
  });

  it('names the default policy when it is the one that is wrong', () => {
    expect(() => policies({ default: { vaultLock: 'strict' } })).toThrow(
      'backupCompliance.policies.default.vaultLock',
    );
  });
});

describe('readWaivers', () => {
  const waiver = (overrides: JsonObject = {}): JsonObject => ({
    entity: 'component:default/rewards-api',
    check: 'cross-account-copy',
    reason: 'vault account migration',
    approvedBy: 'group:default/resilience',
    expires: '2026-09-30',
    ...overrides,
  });
  const waivers = (...list: JsonObject[]) =>
    readWaivers(section({ waivers: list }), CHECK_IDS, NOW);

  it('warns at start-up of a waiver that has already expired, and only of it', () => {
    const read = waivers(
      waiver({ expires: '2026-03-14' }),
      waiver({ expires: '2026-03-15' }),
      waiver(),
    );
    expect(expiredWaiverWarnings(read, NOW)).toEqual([
      'backupCompliance.waivers[0] (cross-account-copy on component:default/rewards-api) expired on 2026-03-14: the check counts again',
    ]);
  });

  it('has no waivers without configuration', () => {
    expect(readWaivers(undefined, CHECK_IDS, NOW)).toEqual([]);
    expect(readWaivers(section({}), CHECK_IDS, NOW)).toEqual([]);
  });

  it('reads a waiver', () => {
    expect(waivers(waiver())).toEqual([
      {
        entity: 'component:default/rewards-api',
        check: 'cross-account-copy',
        reason: 'vault account migration',
        approvedBy: 'group:default/resilience',
        expires: '2026-09-30',
      },
    ]);
  });

  it.each([
    ['component:rewards-api', 'component:default/rewards-api'],
    ['Component:Default/Rewards-API', 'component:default/rewards-api'],
    ['resource:payments/ledger-db', 'resource:payments/ledger-db'],
  ])('normalises the entity reference %s to %s', (entity, normalised) => {
    expect(waivers(waiver({ entity }))[0].entity).toBe(normalised);
  });

  it('fails on an entity that is not a reference', () => {
    expect(() => waivers(waiver({ entity: 'rewards-api' }))).toThrow(
      'backupCompliance.waivers[0].entity: "rewards-api" is not an entity reference',
    );
  });

  it('fails on an unknown check id, listing the known ones', () => {
    expect(() =>
      waivers(waiver(), waiver({ check: 'cross-acount-copy' })),
    ).toThrow(
      `backupCompliance.waivers[1].check: "cross-acount-copy" is not a check id (known: ${CHECK_IDS.join(
        ', ',
      )})`,
    );
  });

  it.each(['reason', 'approvedBy', 'expires', 'entity', 'check'])(
    'fails without %s',
    key => {
      const incomplete = waiver();
      delete incomplete[key];
      expect(() => waivers(incomplete)).toThrow(
        `backupCompliance.waivers[0].${key}: is required`,
      );
    },
  );

  it('fails on a blank reason', () => {
    expect(() => waivers(waiver({ reason: '   ' }))).toThrow(
      'backupCompliance.waivers[0].reason: is required',
    );
  });

  it.each(['31.03.2027', '2026-9-30', 'next year'])(
    'fails on the expiry %s, not written YYYY-MM-DD',
    expires => {
      expect(() => waivers(waiver({ expires }))).toThrow(
        `backupCompliance.waivers[0].expires: must be a date written YYYY-MM-DD, got "${expires}"`,
      );
    },
  );

  it('fails on an expiry more than a year away', () => {
    expect(() => waivers(waiver({ expires: '2027-03-31' }))).toThrow(
      'backupCompliance.waivers[0].expires: 2027-03-31 is more than a year away; waivers must be renewed at least yearly',
    );
  });

  it('accepts an expiry one year away', () => {
    expect(waivers(waiver({ expires: '2027-03-15' }))[0].expires).toBe(
      '2027-03-15',
    );
  });

  it('accepts an unquoted YAML date in app-config', () => {
    // Parsed as @backstage/config-loader parses app-config files (YAML 1.2).
    const appConfig = parse(`
backupCompliance:
  waivers:
    - entity: component:default/rewards-api
      check: cross-account-copy
      reason: vault account migration
      approvedBy: group:default/resilience
      expires: 2026-09-30
`);
    const config = new ConfigReader(appConfig).getOptionalConfig(
      'backupCompliance',
    );
    expect(readWaivers(config, CHECK_IDS, NOW)[0].expires).toBe('2026-09-30');
  });
});
