import type { ComplianceLevel } from '@backup-compliance/backstage-plugin-common';
import { backupTabPath, changesOf } from './changes';
import type { EntityComplianceSnapshot } from './evaluateEntity';

const NOW = new Date('2026-12-03T10:00:00.000Z');
const SETTINGS = {
  levels: ['non-compliant', 'at-risk'] as ComplianceLevel[],
  recovered: true,
  waiverExpiryDays: 14,
};

function verdict(
  name: string,
  level: ComplianceLevel,
  checks: EntityComplianceSnapshot['checks'] = [],
): EntityComplianceSnapshot {
  return {
    entityRef: `component:default/${name}`,
    evaluatedAt: NOW.toISOString(),
    level,
    score: 50,
    policies: ['default'],
    problems: [],
    resources: [],
    staleAccountRegions: [],
    checks,
  };
}

const result = (
  checkId: string,
  status: 'pass' | 'fail' | 'warn' | 'waived',
  extra: object = {},
) => ({
  checkId,
  status,
  resources: [],
  facts: [],
  explanation: `${checkId} is ${status}`,
  remediation: '',
  dora: [],
  policies: ['default'],
  ...extra,
});

const before = (level: ComplianceLevel) => ({
  level,
  evaluatedAt: '2026-12-02T10:00:00.000Z',
});

const changes = (
  snapshots: EntityComplianceSnapshot[],
  previous: Record<string, ComplianceLevel>,
  settings = SETTINGS,
) =>
  changesOf({
    snapshots,
    previous: new Map(
      Object.entries(previous).map(([name, level]) => [
        `component:default/${name}`,
        before(level),
      ]),
    ),
    settings,
    titleOf: id => `Title of ${id}`,
    now: NOW,
  });

describe('changesOf', () => {
  it('tells of a level that got worse, with the checks that do not pass', () => {
    const [change, ...rest] = changes(
      [
        verdict('ledger', 'non-compliant', [
          result('vault-lock', 'fail'),
          result('encrypted', 'pass'),
          result('restore-tested', 'warn'),
          result('legal-hold', 'fail', { informational: true }),
        ]),
      ],
      { ledger: 'compliant' },
    );
    expect(rest).toEqual([]);
    expect(change).toEqual({
      id: 'worse|component:default/ledger|compliant>non-compliant|2026-12-02T10:00:00.000Z',
      kind: 'worse',
      entityRef: 'component:default/ledger',
      link: '/catalog/default/component/ledger/backup',
      evaluatedAt: NOW.toISOString(),
      from: 'compliant',
      to: 'non-compliant',
      checks: [
        {
          checkId: 'vault-lock',
          title: 'Title of vault-lock',
          explanation: 'vault-lock is fail',
        },
        {
          checkId: 'restore-tested',
          title: 'Title of restore-tested',
          explanation: 'restore-tested is warn',
        },
      ],
    });
  });

  it('tells of a recovery, and nothing for a first verdict, the same level or a level getting better but not compliant', () => {
    expect(
      changes(
        [
          verdict('a', 'compliant'),
          verdict('b', 'non-compliant'),
          verdict('c', 'at-risk'),
          verdict('d', 'at-risk'),
        ],
        { a: 'non-compliant', c: 'at-risk', d: 'non-compliant' },
      ).map(c => [c.kind, c.entityRef]),
    ).toEqual([['recovered', 'component:default/a']]);
  });

  it('tells only of the levels asked for, and of recoveries only when asked', () => {
    const settings = {
      ...SETTINGS,
      levels: ['non-compliant'] as ComplianceLevel[],
      recovered: false,
    };
    expect(
      changes(
        [
          verdict('a', 'at-risk'),
          verdict('b', 'non-compliant'),
          verdict('c', 'compliant'),
        ],
        { a: 'compliant', b: 'at-risk', c: 'non-compliant' },
        settings,
      ).map(c => [c.kind, c.entityRef]),
    ).toEqual([['worse', 'component:default/b']]);
  });

  it('gives the same change the same id however often it is judged, and a new one after another change', () => {
    const snapshot = verdict('a', 'non-compliant');
    const once = changes([snapshot], { a: 'compliant' });
    const twice = changes(
      [{ ...snapshot, evaluatedAt: '2026-12-03T11:00:00.000Z' }],
      {
        a: 'compliant',
      },
    );
    expect(twice.map(c => c.id)).toEqual(once.map(c => c.id));
    const later = changesOf({
      snapshots: [snapshot],
      previous: new Map([
        [
          'component:default/a',
          { level: 'compliant', evaluatedAt: '2026-12-03T09:00:00.000Z' },
        ],
      ]),
      settings: SETTINGS,
      titleOf: id => id,
      now: NOW,
    });
    expect(later[0].id).not.toBe(once[0].id);
  });

  it('tells of a waiver in force that expires within the days configured, once per expiry', () => {
    const waived = (check: string, expires: string) =>
      result(check, 'waived', {
        waivedStatus: 'fail',
        waiver: {
          entity: 'component:default/a',
          check,
          reason: 'migration',
          approvedBy: 'group:default/platform',
          expires,
        },
      });
    const told = changes(
      [
        verdict('a', 'at-risk', [
          waived('vault-lock', '2026-12-17'), // 14 days: told
          waived('encrypted', '2026-12-18'), // 15 days: not yet
          waived('restore-tested', '2026-12-03'), // today: told
        ]),
      ],
      {},
    );
    expect(told).toEqual([
      expect.objectContaining({
        id: 'waiver-expiring|component:default/a|vault-lock|2026-12-17',
        kind: 'waiver-expiring',
        daysLeft: 14,
        checks: [expect.objectContaining({ checkId: 'vault-lock' })],
      }),
      expect.objectContaining({
        id: 'waiver-expiring|component:default/a|restore-tested|2026-12-03',
        daysLeft: 0,
      }),
    ]);
    expect(
      changes(
        [verdict('a', 'at-risk', [waived('vault-lock', '2026-12-17')])],
        {},
        {
          ...SETTINGS,
          waiverExpiryDays: 0,
        },
      ),
    ).toEqual([]);
  });

  it('links to the Backup tab of any entity', () => {
    expect(backupTabPath('Resource:Payments/ledger-db')).toBe(
      '/catalog/payments/resource/ledger-db/backup',
    );
  });
});
