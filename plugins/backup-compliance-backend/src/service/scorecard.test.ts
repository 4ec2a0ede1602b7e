import { InputError } from '@backstage/errors';
import { CheckResult } from '@backup-compliance/backstage-plugin-common';
import { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import {
  csvCell,
  groupRows,
  parseScorecardQuery,
  ScorecardQuery,
  ScorecardRow,
  selectRows,
  toCsv,
  toRow,
} from './scorecard';

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

const refs = (rows: ScorecardRow[]) => rows.map(r => r.entityRef.split('/')[1]);

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

describe('toRow', () => {
  it('lists the failing checks only, not waived or warning ones', () => {
    const result = (checkId: string, status: CheckResult['status']) =>
      ({ checkId, status } as CheckResult);
    const snapshot = {
      entityRef: 'component:default/ledger',
      evaluatedAt: '2026-03-15T12:00:00.000Z',
      level: 'non-compliant',
      score: 60,
      policies: ['transactions-db'],
      problems: [],
      resources: [],
      staleAccountRegions: [],
      checks: [
        result('vault-lock', 'fail'),
        result('cross-account-copy', 'waived'),
        result('restore-tested', 'warn'),
        result('encrypted', 'fail'),
      ],
    } as EntityComplianceSnapshot;
    expect(
      toRow(snapshot, {
        kind: 'component',
        namespace: 'default',
        name: 'ledger',
        owner: 'group:default/payments',
      }),
    ).toMatchObject({
      entityRef: 'component:default/ledger',
      owner: 'group:default/payments',
      failingChecks: ['vault-lock', 'encrypted'],
      level: 'non-compliant',
      score: 60,
    });
  });
});

describe('selectRows', () => {
  const rows = [
    row('alpha', { level: 'compliant', score: 100 }),
    row('bravo', {
      level: 'non-compliant',
      score: 40,
      failingChecks: ['vault-lock'],
      owner: 'group:default/rewards',
      system: 'rewards',
    }),
    row('charlie', { level: 'at-risk', score: 80 }),
    row('delta', { level: 'misconfigured', score: null, owner: undefined }),
    row('echo', { level: 'unknown', score: null }),
    row('foxtrot', {
      level: 'non-compliant',
      score: 70,
      failingChecks: ['encrypted'],
      title: 'Ledger API',
    }),
  ];
  const query = (overrides: Partial<ScorecardQuery> = {}) => ({
    ...parseScorecardQuery({}),
    ...overrides,
  });

  it('puts failures first by default, then misconfigured, unknown, at-risk, compliant', () => {
    expect(refs(selectRows([...rows], query()))).toEqual([
      'bravo',
      'foxtrot',
      'delta',
      'echo',
      'charlie',
      'alpha',
    ]);
  });

  it.each<[string, Partial<ScorecardQuery>, string[]]>([
    ['by level', { level: ['at-risk', 'compliant'] }, ['charlie', 'alpha']],
    ['by failing check', { check: 'vault-lock' }, ['bravo']],
    ['by owner', { owner: 'group:default/rewards' }, ['bravo']],
    ['by text in the title, case-insensitively', { q: 'ledger' }, ['foxtrot']],
    ['by text in the system', { q: 'rewards' }, ['bravo']],
    ['by text in the entity ref', { q: 'echo' }, ['echo']],
    [
      'by several filters at once',
      { level: ['non-compliant'], check: 'encrypted' },
      ['foxtrot'],
    ],
  ])('filters %s', (_name, filters, expected) => {
    expect(refs(selectRows([...rows], query(filters)))).toEqual(expected);
  });

  it.each<[ScorecardQuery['sort'], ScorecardQuery['order'], string[]]>([
    ['score', 'asc', ['delta', 'echo', 'bravo', 'foxtrot', 'charlie', 'alpha']],
    [
      'score',
      'desc',
      ['alpha', 'charlie', 'foxtrot', 'bravo', 'delta', 'echo'],
    ],
    [
      'entity',
      'desc',
      ['foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'alpha'],
    ],
    ['owner', 'asc', ['delta', 'alpha', 'charlie', 'echo', 'foxtrot', 'bravo']],
    [
      'level',
      'desc',
      ['alpha', 'charlie', 'echo', 'delta', 'bravo', 'foxtrot'],
    ],
  ])('sorts by %s %s, ties by entity', (sort, order, expected) => {
    expect(refs(selectRows([...rows], query({ sort, order })))).toEqual(
      expected,
    );
  });
});

describe('groupRows', () => {
  it('counts levels and averages the scores of each group, sorted by key', () => {
    expect(
      groupRows(
        [
          row('a', { owner: 'group:default/payments', score: 100 }),
          row('b', {
            owner: 'group:default/payments',
            level: 'non-compliant',
            score: 45,
          }),
          row('c', {
            owner: 'group:default/payments',
            level: 'misconfigured',
            score: null,
          }),
          row('d', { owner: undefined, level: 'unknown', score: null }),
          row('e', {
            owner: 'group:default/cards',
            level: 'at-risk',
            score: 81,
          }),
        ],
        'owner',
      ),
    ).toEqual([
      {
        key: '(none)',
        entities: 1,
        levels: { unknown: 1 },
        averageScore: null,
      },
      {
        key: 'group:default/cards',
        entities: 1,
        levels: { 'at-risk': 1 },
        averageScore: 81,
      },
      {
        key: 'group:default/payments',
        entities: 3,
        levels: { compliant: 1, 'non-compliant': 1, misconfigured: 1 },
        // (100 + 45) / 2, rounded; the unscored entity is left out.
        averageScore: 73,
      },
    ]);
  });

  it('groups by system or domain', () => {
    const rows = [
      row('a', { system: 'ledger', domain: 'finance' }),
      row('b', { system: 'cards', domain: 'finance' }),
    ];
    expect(groupRows(rows, 'system').map(g => g.key)).toEqual([
      'cards',
      'ledger',
    ]);
    expect(groupRows(rows, 'domain')).toEqual([
      expect.objectContaining({ key: 'finance', entities: 2 }),
    ]);
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
