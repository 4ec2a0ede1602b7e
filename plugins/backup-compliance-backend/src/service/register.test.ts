import type { CheckResult } from '@backup-compliance/backstage-plugin-common';
import { BUILT_IN_CHECKS } from '@backup-compliance/backstage-plugin-common';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import {
  articleLabel,
  compareArticles,
  registerCsv,
  registerEntryOf,
  registerHtml,
} from './register';

const result = (
  checkId: string,
  status: CheckResult['status'],
  dora: string[],
  extra: Partial<CheckResult> = {},
): CheckResult => ({
  checkId,
  status,
  resources: [],
  facts: [],
  explanation: '',
  remediation: '',
  dora,
  policies: ['transactions-db'],
  ...extra,
});

const snapshot: EntityComplianceSnapshot = {
  entityRef: 'component:default/ledger',
  evaluatedAt: '2026-06-30T12:00:00.000Z',
  level: 'at-risk',
  score: 90,
  policies: ['transactions-db'],
  problems: [],
  resources: [],
  staleAccountRegions: ['444444444444/eu-central-1'],
  checks: [
    result('protected', 'pass', ['12(1)(a)']),
    result('retention-alignment', 'fail', ['12(1)(a)'], {
      notApplicable: true,
    }),
    result('vault-lock', 'waived', ['12(2)', '12(3)'], {
      waivedStatus: 'fail',
      waiver: {
        entity: 'component:default/ledger',
        check: 'vault-lock',
        reason: 'Lock <after> migration',
        approvedBy: 'group:default/platform',
        expires: '2026-09-30',
      },
    }),
    result('encrypted', 'pass', ['9(2)', '12(2)']),
    result('restore-tested', 'warn', ['11(6)(a)', '12(2)']),
    result('legal-hold', 'fail', ['11(8)'], { informational: true }),
  ],
};

describe('the register', () => {
  it('writes DORA articles by number and other laws by name', () => {
    expect(articleLabel('12(1)(a)')).toBe('Art. 12(1)(a)');
    expect(articleLabel('GDPR 17')).toBe('GDPR Art. 17');
  });

  it('orders DORA articles as the regulation does', () => {
    expect(
      ['12(2)', '11(6)(a)', '12(1)(a)', '9(2)', '12(10)', '11(8)'].sort(
        compareArticles,
      ),
    ).toEqual(['9(2)', '11(6)(a)', '11(8)', '12(1)(a)', '12(2)', '12(10)']);
  });

  it('gives each article the worst status of its checks, leaving out what is not required or informational', () => {
    const entry = registerEntryOf(
      snapshot,
      {
        kind: 'component',
        namespace: 'default',
        name: 'ledger',
        title: 'Payments ledger',
        owner: 'group:default/payments',
      },
      [...BUILT_IN_CHECKS],
    );
    expect(entry.articles.map(a => [a.article, a.status])).toEqual([
      ['9(2)', 'pass'],
      ['11(6)(a)', 'warn'],
      ['12(1)(a)', 'pass'], // retention-alignment is n/a
      ['12(2)', 'warn'], // warn is worse than waived and pass
      ['12(3)', 'waived'],
    ]);
    expect(entry.articles[2].checks).toEqual([
      {
        checkId: 'protected',
        title: 'Protected by a backup plan',
        status: 'pass',
      },
      {
        checkId: 'retention-alignment',
        title: 'Retention aligned with PII deletion',
        status: 'n/a',
      },
    ]);
    expect(entry).toMatchObject({
      title: 'Payments ledger',
      owner: 'group:default/payments',
      waivers: [
        {
          check: 'vault-lock',
          approvedBy: 'group:default/platform',
          reason: 'Lock <after> migration',
          expires: '2026-09-30',
        },
      ],
    });
  });

  it('writes CSV with a column per article, and HTML that escapes what it shows', () => {
    const register = {
      asOf: '2026-06-30',
      day: '2026-06-30',
      generatedAt: '2026-12-03T10:00:00.000Z',
      historyHead: { day: '2026-06-30', hash: 'ab'.repeat(32) },
      services: [registerEntryOf(snapshot, undefined, [...BUILT_IN_CHECKS])],
    };
    const [header, line] = registerCsv(register).split('\r\n');
    expect(header).toBe(
      'entityRef,title,owner,policies,level,score,evaluatedAt,DORA 9(2),DORA 11(6)(a),DORA 12(1)(a),DORA 12(2),DORA 12(3),waivers,staleAccountRegions',
    );
    expect(line).toBe(
      'component:default/ledger,,,transactions-db,at-risk,90,2026-06-30T12:00:00.000Z,pass,warn,pass,warn,waived,vault-lock: group:default/platform until 2026-09-30,444444444444/eu-central-1',
    );
    const html = registerHtml(register);
    expect(html).toContain('Lock &lt;after&gt; migration');
    expect(html).not.toContain('<after>');
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('<td>Art. 12(3)</td>');
    expect(html).toContain(`<code>${'ab'.repeat(32)}</code>`);
  });
});
