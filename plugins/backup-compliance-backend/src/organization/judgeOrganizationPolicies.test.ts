import { aPolicy } from '../compliance/testing/evidence';
import { readBackupPolicyDocument } from './backupPolicyDocument';
import {
  CollectedOrganizationPolicy,
  judgeOrganizationPolicies,
  OrganizationFacts,
} from './judgeOrganizationPolicies';

const assign = <T>(value: T) => ({ '@@assign': value });

type RuleSpec = {
  schedule: string;
  keep: number;
  copies?: Record<string, number>;
  continuous?: boolean;
};

function aDocument(
  rules: Record<string, RuleSpec>,
  tagValue = 'transactions-db',
  tagKey = 'backup-policy',
) {
  return {
    plans: {
      'transactions-db': {
        regions: assign(['eu-central-1']),
        rules: Object.fromEntries(
          Object.entries(rules).map(([name, r]) => [
            name,
            {
              schedule_expression: assign(r.schedule),
              target_backup_vault_name: assign('vault'),
              lifecycle: { delete_after_days: assign(String(r.keep)) },
              ...(r.continuous
                ? { enable_continuous_backup: assign(true) }
                : {}),
              copy_actions: Object.fromEntries(
                Object.entries(r.copies ?? {}).map(([arn, keep]) => [
                  arn,
                  {
                    target_backup_vault_arn: assign(arn),
                    lifecycle: { delete_after_days: assign(String(keep)) },
                  },
                ]),
              ),
            },
          ]),
        ),
        selections: {
          tags: {
            'by-tag': {
              iam_role_arn: assign('arn:aws:iam::$account:role/backup'),
              tag_key: assign(tagKey),
              tag_value: assign([tagValue]),
            },
          },
        },
      },
    },
  };
}

const DR = 'arn:aws:backup:eu-west-1:$account:backup-vault:dr';
const CENTRAL = 'arn:aws:backup:eu-central-1:333333333333:backup-vault:central';

const COMPLETE: Record<string, RuleSpec> = {
  daily: {
    schedule: 'cron(0 2 * * ? *)',
    keep: 35,
    copies: { [DR]: 35, [CENTRAL]: 35 },
  },
  monthly: { schedule: 'cron(0 3 1 * ? *)', keep: 365 },
  yearly: { schedule: 'cron(0 4 1 1 ? *)', keep: 2555 },
};

function aCollected(
  content: unknown,
  accounts = ['111111111111'],
): CollectedOrganizationPolicy {
  return {
    id: 'p-12345678',
    name: 'transactions-db-backup',
    targets: [
      { id: 'ou-ab12-34567890', name: 'payments', type: 'ORGANIZATIONAL_UNIT' },
    ],
    accounts,
    content,
  };
}

function facts(overrides: Partial<OrganizationFacts> = {}): OrganizationFacts {
  return {
    policies: new Map([['transactions-db', aPolicy()]]),
    policyTagKey: 'backup-policy',
    collected: new Set(['111111111111/eu-central-1']),
    plansAt: new Map([
      [
        '111111111111/eu-central-1',
        [
          {
            name: 'transactions-db',
            rules: Object.entries(COMPLETE).map(([RuleName, r]) => ({
              RuleName,
              ScheduleExpression: r.schedule,
              Lifecycle: { DeleteAfterDays: r.keep },
            })),
          },
        ],
      ],
    ]),
    taggedValuesByAccount: new Map([
      ['111111111111', new Set(['transactions-db'])],
    ]),
    ...overrides,
  };
}

describe('readBackupPolicyDocument', () => {
  it('reads plans, rules, copy actions and tag selections under their operators', () => {
    expect(readBackupPolicyDocument(aDocument(COMPLETE))).toEqual([
      {
        name: 'transactions-db',
        regions: ['eu-central-1'],
        rules: [
          {
            name: 'daily',
            scheduleExpression: 'cron(0 2 * * ? *)',
            targetBackupVaultName: 'vault',
            deleteAfterDays: 35,
            copies: [
              { destination: DR, deleteAfterDays: 35 },
              { destination: CENTRAL, deleteAfterDays: 35 },
            ],
          },
          expect.objectContaining({ name: 'monthly', deleteAfterDays: 365 }),
          expect.objectContaining({ name: 'yearly', deleteAfterDays: 2555 }),
        ],
        selections: [
          {
            name: 'by-tag',
            tagKey: 'backup-policy',
            tagValues: ['transactions-db'],
          },
        ],
      },
    ]);
  });

  it('reads nothing from a document that is not one', () => {
    expect(readBackupPolicyDocument('nonsense')).toEqual([]);
    expect(readBackupPolicyDocument({ plans: [] })).toEqual([]);
  });
});

describe('judgeOrganizationPolicies', () => {
  const judge = (content: unknown, f = facts(), accounts?: string[]) =>
    judgeOrganizationPolicies([aCollected(content, accounts)], f)[0];

  it('passes a document that implements every tier with copies', () => {
    const verdict = judge(aDocument(COMPLETE));
    expect(verdict).toMatchObject({ status: 'pass', drift: [] });
    expect(verdict.findings.filter(f => f.status !== 'pass')).toEqual([]);
  });

  it.each<[string, Record<string, RuleSpec>, RegExp]>([
    [
      'fails a yearly rule that keeps 5 years for a 7-year policy',
      { ...COMPLETE, yearly: { ...COMPLETE.yearly, keep: 1825 } },
      /the yearly rule keeps points 5 y \(1825 d\): it cannot implement transactions-db, which requires 7 y \(2555 d\)/,
    ],
    [
      'fails a document without a monthly rule',
      { daily: COMPLETE.daily, yearly: COMPLETE.yearly },
      /no monthly rule, where transactions-db keeps monthly points 360 d/,
    ],
    [
      'fails copies kept shorter than the points they copy',
      {
        ...COMPLETE,
        daily: { ...COMPLETE.daily, copies: { [DR]: 35, [CENTRAL]: 7 } },
      },
      /copies to arn:aws:backup:eu-central-1:333333333333:backup-vault:central are kept 7 d, the points they copy 35 d/,
    ],
    [
      'fails a document that copies only within the account ($account)',
      { ...COMPLETE, daily: { ...COMPLETE.daily, copies: { [DR]: 35 } } },
      /no copy action to another account, which transactions-db requires/,
    ],
    [
      'fails a document whose most frequent rule runs less often than the RPO',
      {
        daily: { ...COMPLETE.daily, schedule: 'cron(0 2 ? * MON *)' },
        monthly: COMPLETE.monthly,
        yearly: COMPLETE.yearly,
      },
      /runs every 168 h, longer than the 24 h RPO/,
    ],
  ])('%s', (_name, rules, failure) => {
    const verdict = judge(aDocument(rules));
    expect(
      verdict.findings.filter(f => f.status === 'fail').map(f => f.text),
    ).toContainEqual(expect.stringMatching(failure));
    expect(verdict.implements).toEqual(['transactions-db']);
  });

  it('reports a target account without the plan, and one with a rule edited locally', () => {
    const missing = judge(aDocument(COMPLETE), facts({ plansAt: new Map() }));
    expect(missing.drift.map(d => d.text)).toEqual([
      "no backup plan transactions-db in 111111111111/eu-central-1: the policy's rules are not applied there",
    ]);
    const edited = facts();
    edited.plansAt.get('111111111111/eu-central-1')![0].rules[2].Lifecycle = {
      DeleteAfterDays: 365,
    };
    expect(judge(aDocument(COMPLETE), edited).drift).toEqual([
      expect.objectContaining({
        accountId: '111111111111',
        region: 'eu-central-1',
        text: 'rule transactions-db/yearly in 111111111111/eu-central-1 keeps points 1 y (365 d), the policy 7 y (2555 d)',
      }),
    ]);
  });

  it('reports an account whose resources carry the policy tag but that the policy does not target', () => {
    const verdict = judge(
      aDocument(COMPLETE),
      facts({
        taggedValuesByAccount: new Map([
          ['111111111111', new Set(['transactions-db'])],
          ['222222222222', new Set(['transactions-db', 'other'])],
        ]),
      }),
    );
    expect(verdict.status).toBe('fail');
    expect(verdict.drift.map(d => d.text)).toEqual([
      'account 222222222222 has resources tagged backup-policy=transactions-db, but transactions-db-backup does not target it',
    ]);
  });

  it('does not judge an account-region it could not read', () => {
    expect(
      judge(aDocument(COMPLETE), facts({ collected: new Set() })).drift,
    ).toEqual([]);
  });

  it('is unknown when the document selects by another tag or names no configured policy', () => {
    expect(
      judge(aDocument(COMPLETE, 'transactions-db', 'data-class')),
    ).toMatchObject({
      status: 'unknown',
      implements: [],
      findings: [
        expect.objectContaining({
          text: 'selects no resources by the backup-policy tag, so no compliance policy can be matched to it',
        }),
      ],
    });
    expect(judge(aDocument(COMPLETE, 'ledger-db')).findings).toContainEqual(
      expect.objectContaining({
        status: 'unknown',
        text: 'selects backup-policy=ledger-db, which is not a configured policy (known: transactions-db)',
      }),
    );
  });
});
