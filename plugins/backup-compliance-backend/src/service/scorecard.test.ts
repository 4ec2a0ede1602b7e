import { InputError } from '@backstage/errors';
import { ScorecardRow } from '@backup-compliance/backstage-plugin-common';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import { csvCell, parseScorecardQuery, toCsv, verdictRowOf } from './scorecard';

const row = (
  name: string,
  overrides: Partial<ScorecardRow> = {},
): ScorecardRow => ({
  entityRef: `component:default/${name}`,
  title: name,
  owner: 'group:default/payments',
  system: 'payments',
  domain: 'finance',
  lifecycle: 'production',
  policies: ['transactions-db'],
  statuses: {},
  level: 'compliant',
  score: 100,
  failingChecks: [],
  evaluatedAt: '2026-03-15T12:00:00.000Z',
  ...overrides,
});

describe('parseScorecardQuery', () => {
  it('applies defaults: failures first, first page of 50', () => {
    expect(parseScorecardQuery({})).toEqual({
      groupBy: undefined,
      level: undefined,
      check: undefined,
      owner: undefined,
      q: undefined,
      sort: 'level',
      order: 'asc',
      page: 1,
      pageSize: 50,
    });
  });

  it('reads every parameter', () => {
    expect(
      parseScorecardQuery({
        groupBy: 'system',
        level: 'non-compliant, at-risk',
        check: 'vault-lock',
        owner: 'group:default/payments',
        q: 'Ledger',
        sort: 'score',
        order: 'desc',
        page: '3',
        pageSize: '1000',
      }),
    ).toEqual({
      groupBy: 'system',
      level: ['non-compliant', 'at-risk'],
      check: 'vault-lock',
      owner: 'group:default/payments',
      q: 'ledger',
      sort: 'score',
      order: 'desc',
      page: 3,
      pageSize: 1000,
    });
  });

  it.each<[Record<string, unknown>, string]>([
    [
      { groupBy: 'team' },
      'groupBy must be one of owner, system, domain, got "team"',
    ],
    [{ level: 'compliant,green' }, 'level must be among'],
    [
      { sort: 'name' },
      'sort must be one of entity, score, level, owner, got "name"',
    ],
    [{ order: 'up' }, 'order must be asc or desc, got "up"'],
    [
      { page: '0' },
      'page must be a whole number from 1 to 100000 in decimal digits, got "0"',
    ],
    [{ page: '1.5' }, 'page must be a whole number'],
    [{ page: 'two' }, 'page must be a whole number'],
    [{ pageSize: '1001' }, 'pageSize must be a whole number from 1 to 1000'],
    [{ pageSize: '0x10' }, 'pageSize must be a whole number'],
    [{ pageSize: '1e2' }, 'pageSize must be a whole number'],
    [{ pageSize: ' 7' }, 'pageSize must be a whole number'],
    [{ page: '+3' }, 'page must be a whole number'],
    [{ page: '-1' }, 'page must be a whole number'],
    [{ page: '' }, 'page must be a whole number'],
    [{ check: ['vault-lock', 'encrypted'] }, 'check must be given once'],
    [{ q: ['a', 'b'] }, 'q must be given once'],
  ])('rejects %o with a 400 naming the parameter', (query, message) => {
    expect(() => parseScorecardQuery(query)).toThrow(InputError);
    expect(() => parseScorecardQuery(query)).toThrow(message);
  });

  it('refuses a check id nobody defined, listing the known ones', () => {
    expect(() =>
      parseScorecardQuery({ check: 'no-such-check' }, [
        'vault-lock',
        'encrypted',
      ]),
    ).toThrow(
      'check must be one of the known check ids (vault-lock, encrypted), got "no-such-check"',
    );
    expect(
      parseScorecardQuery({ check: 'encrypted' }, ['vault-lock', 'encrypted'])
        .check,
    ).toBe('encrypted');
  });
});

describe('csvCell', () => {
  it.each<[unknown, string]>([
    ['ledger', 'ledger'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['a-b', 'a-b'],
    [42, '42'],
    [0, '0'],
    [null, ''],
    [undefined, ''],
    [['transactions-db', 'rewards-db'], 'transactions-db rewards-db'],
  ])('writes %p as %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated line per row', () => {
    expect(
      toCsv([
        row('ledger', {
          title: 'Ledger, core',
          policies: ['transactions-db', 'rewards-db'],
          level: 'non-compliant',
          score: 60,
          failingChecks: ['vault-lock', 'encrypted'],
          lifecycle: undefined,
        }),
      ]),
    ).toBe(
      'entityRef,title,owner,system,domain,lifecycle,policies,level,score,failingChecks,evaluatedAt\r\n' +
        'component:default/ledger,"Ledger, core",group:default/payments,payments,finance,,transactions-db rewards-db,non-compliant,60,vault-lock encrypted,2026-03-15T12:00:00.000Z\r\n',
    );
  });

  it('writes only the header without rows', () => {
    expect(toCsv([])).toBe(
      'entityRef,title,owner,system,domain,lifecycle,policies,level,score,failingChecks,evaluatedAt\r\n',
    );
  });
});

describe('verdictRowOf', () => {
  const resource = (
    arn: string,
    newestPointAt?: string,
    lastSuccessfulRestoreTestAt?: string,
  ): EntityComplianceSnapshot['resources'][number] => ({
    arn,
    accountId: '111111111111',
    region: 'eu-central-1',
    policy: 'default',
    summary: {
      newestPointAt,
      lastSuccessfulRestoreTestAt,
      rpoHours: 24,
      retentionDays: {},
      vaults: [],
      keyTypes: [],
      copies: [],
      rtoMinutes: 240,
      legalHolds: 0,
    },
  });
  const waived = (checkId: string, expires: string) => ({
    checkId,
    status: 'waived' as const,
    waivedStatus: 'fail' as const,
    resources: [],
    facts: [],
    explanation: '',
    remediation: '',
    dora: [],
    policies: ['default'],
    waiver: {
      entity: 'component:default/ledger',
      check: checkId,
      reason: 'migration',
      approvedBy: 'cro@bank.example',
      expires,
    },
  });
  const snapshot = (
    resources: EntityComplianceSnapshot['resources'],
    checks: EntityComplianceSnapshot['checks'] = [],
  ): EntityComplianceSnapshot => ({
    entityRef: 'component:default/ledger',
    evaluatedAt: '2026-12-03T10:00:00.000Z',
    level: 'compliant',
    score: 100,
    policies: ['default'],
    problems: [],
    resources,
    staleAccountRegions: [],
    checks,
  });

  it('keeps the stalest resource: its newest point and last successful test restore', () => {
    expect(
      verdictRowOf(
        snapshot([
          resource(
            'arn:a',
            '2026-12-03T01:00:00.000Z',
            '2026-11-20T02:00:00.000Z',
          ),
          resource(
            'arn:b',
            '2026-12-02T01:00:00.000Z',
            '2026-11-28T02:00:00.000Z',
          ),
        ]),
      ),
    ).toMatchObject({
      stalestBackupAt: '2026-12-02T01:00:00.000Z',
      stalestRestoreTestAt: '2026-11-20T02:00:00.000Z',
    });
  });

  it('has no stalest time when one resource has none, nor for an entity without resources', () => {
    const judged = verdictRowOf(
      snapshot([
        resource(
          'arn:a',
          '2026-12-03T01:00:00.000Z',
          '2026-11-20T02:00:00.000Z',
        ),
        resource('arn:b', undefined, undefined),
      ]),
    );
    expect(judged.stalestBackupAt).toBeUndefined();
    expect(judged.stalestRestoreTestAt).toBeUndefined();
    expect(verdictRowOf(snapshot([])).stalestBackupAt).toBeUndefined();
  });

  it('names the nearest expiry of a waiver in force, not of one that expired', () => {
    const judged = verdictRowOf(
      snapshot(
        [],
        [
          waived('vault-lock', '2027-02-01'),
          waived('encrypted', '2026-12-20'),
          waived('restore-tested', '2026-12-01'),
        ],
      ),
    );
    expect(judged.nextWaiverExpiry).toBe('2026-12-20');
    expect(verdictRowOf(snapshot([])).nextWaiverExpiry).toBeUndefined();
  });
});
