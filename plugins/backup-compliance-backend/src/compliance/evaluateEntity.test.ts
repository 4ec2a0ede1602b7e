import {
  BUILT_IN_CHECKS,
  CheckDefinition,
  Waiver,
} from '@backup-compliance/backstage-plugin-common';
import { BUILT_IN_DEFAULT_POLICY } from '../config/readPolicies';
import { BUILT_IN_RESOURCE_CHECKS, RegisteredCheck } from './builtInChecks';
import {
  EntityComplianceSnapshot,
  EntityToEvaluate,
  evaluateEntity,
  EvaluationOptions,
} from './evaluateEntity';
import {
  aCompliantResource,
  aContext,
  aCopyJob,
  ACCOUNT,
  aPolicy,
  aResource,
  NOW,
  OTHER_REGION,
  REGION,
  UNCOLLECTED_ACCOUNT,
  vaultArn,
} from './testing/evidence';
import { ResourceCheck, ResourceVerdict } from './types';

const ENTITY = 'component:default/payments-ledger';
const LEDGER_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:ledger`;
const REWARDS_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:rewards`;
const AUDIT_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:audit`;

const POLICIES = new Map([
  ['default', BUILT_IN_DEFAULT_POLICY],
  ['transactions-db', aPolicy()],
  [
    'rewards-db',
    aPolicy({
      name: 'rewards-db',
      retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 10 },
      legalRetentionYears: 10,
    }),
  ],
]);

function anEntity(overrides: Partial<EntityToEvaluate> = {}): EntityToEvaluate {
  return {
    entityRef: ENTITY,
    annotations: {
      resourceTags: { app: 'payments-ledger', env: 'prod' },
      policy: 'transactions-db',
    },
    resources: [aCompliantResource()],
    scope: [
      { accountId: ACCOUNT, region: REGION },
      { accountId: ACCOUNT, region: OTHER_REGION },
    ],
    ...overrides,
  };
}

function options(
  overrides: Partial<EvaluationOptions> = {},
): EvaluationOptions {
  return {
    policies: POLICIES,
    checks: BUILT_IN_RESOURCE_CHECKS,
    waivers: [],
    policyTagKey: 'backup-policy',
    now: NOW,
    collected: aContext().collected,
    restoreHistoryDays: 30,
    ...overrides,
  };
}

/** A check that returns a fixed status, or decides per resource. */
function stubCheck(
  id: string,
  evaluate: ResourceVerdict['status'] | ResourceCheck,
  definition: Partial<CheckDefinition> = {},
): RegisteredCheck {
  return {
    definition: {
      id,
      title: id,
      description: `stub ${id}`,
      theme: 'protection',
      dora: ['12(1)(a)'],
      remediation: `fix ${id}`,
      weight: 1,
      ...definition,
    },
    evaluate:
      typeof evaluate === 'function'
        ? evaluate
        : () => ({
            status: evaluate,
            explanation: `${id}: ${evaluate}`,
            facts: [],
          }),
  };
}

const notApplicableCheck = (id: string, weight: number) =>
  stubCheck(
    id,
    () => ({
      status: 'pass',
      notApplicable: true,
      explanation: 'not asked for',
      facts: [],
    }),
    { weight },
  );

/** The catalogue's legal-hold definition, made to return any status. */
const legalHold = (status: ResourceVerdict['status']) =>
  stubCheck(
    'legal-hold',
    status,
    BUILT_IN_CHECKS.find(c => c.id === 'legal-hold'),
  );

const resultOf = (snapshot: EntityComplianceSnapshot, checkId: string) =>
  snapshot.checks.find(c => c.checkId === checkId);

describe('evaluateEntity', () => {
  describe('misconfiguration', () => {
    it('reports malformed annotations as misconfigured, with every problem', () => {
      const snapshot = evaluateEntity(
        anEntity({
          annotations: undefined,
          problems: [
            {
              annotation: 'aws.amazon.com/backup-resource-tags',
              value: 'app',
              message: '"app" is not a key=value pair',
            },
            {
              annotation: 'aws.amazon.com/backup-regions',
              value: 'Frankfurt',
              message:
                '"Frankfurt" is not an AWS region (such as eu-central-1)',
            },
          ],
        }),
        options(),
      );
      expect(snapshot).toEqual({
        entityRef: ENTITY,
        evaluatedAt: NOW.toISOString(),
        level: 'misconfigured',
        score: null,
        policies: [],
        problems: [
          'aws.amazon.com/backup-resource-tags: "app" is not a key=value pair',
          'aws.amazon.com/backup-regions: "Frankfurt" is not an AWS region (such as eu-central-1)',
        ],
        resources: [],
        staleAccountRegions: [],
        checks: [],
      });
    });

    it('is misconfigured when the annotation names an unknown policy, listing the known ones', () => {
      const snapshot = evaluateEntity(
        anEntity({
          annotations: { resourceTags: { app: 'x' }, policy: 'transaction-db' },
        }),
        options(),
      );
      expect(snapshot).toMatchObject({
        level: 'misconfigured',
        score: null,
        checks: [],
        problems: [
          'aws.amazon.com/backup-policy names "transaction-db", which is not a configured policy (known: default, transactions-db, rewards-db)',
        ],
      });
    });

    it("is misconfigured when a resource's policy tag names an unknown policy", () => {
      const snapshot = evaluateEntity(
        anEntity({
          annotations: { resourceTags: { app: 'x' } },
          resources: [
            aCompliantResource({
              arn: LEDGER_ARN,
              tags: { app: 'x', 'backup-policy': 'transactions-db' },
            }),
            aCompliantResource({
              arn: REWARDS_ARN,
              tags: { app: 'x', 'backup-policy': 'gold' },
            }),
          ],
        }),
        options(),
      );
      expect(snapshot).toMatchObject({
        level: 'misconfigured',
        problems: [
          `resource ${REWARDS_ARN} has tag backup-policy=gold, which is not a configured policy (known: default, transactions-db, rewards-db)`,
        ],
      });
    });
  });

  describe('policies', () => {
    it('judges each resource by the policy its tag names', () => {
      const snapshot = evaluateEntity(
        anEntity({
          annotations: { resourceTags: { app: 'x' } },
          resources: [
            aCompliantResource({
              arn: LEDGER_ARN,
              tags: { app: 'x', 'backup-policy': 'transactions-db' },
            }),
            aCompliantResource({
              arn: REWARDS_ARN,
              tags: { app: 'x', 'backup-policy': 'rewards-db' },
            }),
          ],
        }),
        options(),
      );
      expect(snapshot.policies).toEqual(['transactions-db', 'rewards-db']);
      expect(snapshot.resources).toEqual([
        expect.objectContaining({ arn: LEDGER_ARN, policy: 'transactions-db' }),
        expect.objectContaining({ arn: REWARDS_ARN, policy: 'rewards-db' }),
      ]);
      // Yearly points kept 7 years meet transactions-db, not rewards-db's 10.
      expect(resultOf(snapshot, 'retention-yearly')).toMatchObject({
        status: 'fail',
        resources: [REWARDS_ARN],
        policies: ['transactions-db', 'rewards-db'],
      });
      expect(resultOf(snapshot, 'retention-daily')).toMatchObject({
        status: 'pass',
        resources: [LEDGER_ARN, REWARDS_ARN],
      });
      // Each resource carries its own verdict.
      expect(snapshot.resources).toEqual([
        expect.objectContaining({ status: 'pass', notPassing: [] }),
        expect.objectContaining({
          status: 'fail',
          notPassing: [{ checkId: 'retention-yearly', status: 'fail' }],
        }),
      ]);
    });

    it('gives each resource its own verdict, worst check first, leaving informational checks out', () => {
      const snapshot = evaluateEntity(
        anEntity({
          resources: [
            aCompliantResource({ arn: LEDGER_ARN }),
            aCompliantResource({
              arn: AUDIT_ARN,
              restoreTests: [],
              copyJobs: [],
            }),
          ],
        }),
        options({
          checks: [
            stubCheck('informational-note', 'fail', { informational: true }),
            ...BUILT_IN_RESOURCE_CHECKS,
          ],
        }),
      );
      const audit = snapshot.resources.find(r => r.arn === AUDIT_ARN)!;
      expect(audit.status).toBe('fail');
      expect(audit.notPassing!.map(c => c.checkId).sort()).toEqual(
        [
          'cross-account-copy',
          'cross-region-copy',
          'restore-tested',
          'restore-time',
        ].sort(),
      );
      expect(snapshot.resources.find(r => r.arn === LEDGER_ARN)).toMatchObject({
        status: 'pass',
        notPassing: [],
      });
      expect(resultOf(snapshot, 'restore-tested')!.explanation).toMatch(
        /^1 of 2 resources: audit: /,
      );
    });

    it('judges a resource without a policy tag by the default policy', () => {
      const snapshot = evaluateEntity(
        anEntity({
          annotations: { resourceTags: { app: 'x' } },
          resources: [aCompliantResource({ tags: { app: 'x' } })],
        }),
        options(),
      );
      expect(snapshot.policies).toEqual(['default']);
      // The built-in default requires no copies.
      expect(resultOf(snapshot, 'cross-account-copy')).toMatchObject({
        notApplicable: true,
      });
    });

    it("prefers the annotation's policy over the resources' tags", () => {
      const snapshot = evaluateEntity(
        anEntity({
          resources: [
            aCompliantResource({ tags: { 'backup-policy': 'rewards-db' } }),
          ],
        }),
        options(),
      );
      expect(snapshot.policies).toEqual(['transactions-db']);
      expect(snapshot.level).toBe('compliant');
    });
  });

  describe('without resources', () => {
    it('fails resources-found and leaves every other check unknown when the whole scope was collected', () => {
      const snapshot = evaluateEntity(anEntity({ resources: [] }), options());
      expect(resultOf(snapshot, 'resources-found')).toMatchObject({
        status: 'fail',
        resources: [],
      });
      expect(
        snapshot.checks
          .filter(c => c.checkId !== 'resources-found')
          .map(c => c.status),
      ).toEqual(BUILT_IN_RESOURCE_CHECKS.map(() => 'unknown'));
      expect(snapshot).toMatchObject({ level: 'non-compliant', score: 0 });
    });

    it('is unknown, not failing, when an account-region in scope was never collected', () => {
      const snapshot = evaluateEntity(
        anEntity({
          resources: [],
          scope: [
            { accountId: ACCOUNT, region: REGION },
            { accountId: UNCOLLECTED_ACCOUNT, region: REGION },
          ],
        }),
        options(),
      );
      expect(resultOf(snapshot, 'resources-found')).toMatchObject({
        status: 'unknown',
        facts: expect.arrayContaining([
          expect.objectContaining({
            label: 'Account-regions not collected',
            value: `${UNCOLLECTED_ACCOUNT}/${REGION}`,
          }),
        ]),
      });
      expect(snapshot.level).toBe('unknown');
    });

    it('reads one scope shared by many entities against the account-regions collected at each evaluation', () => {
      // entities without accounts or regions of their own share one scope
      const scope = [
        { accountId: ACCOUNT, region: REGION },
        { accountId: UNCOLLECTED_ACCOUNT, region: REGION },
      ];
      const judge = (collected: Set<string>) =>
        resultOf(
          evaluateEntity(
            anEntity({ resources: [], scope }),
            options({ collected }),
          ),
          'resources-found',
        )?.status;
      const before = new Set([`${ACCOUNT}/${REGION}`]);
      expect(judge(before)).toBe('unknown');
      expect(judge(before)).toBe('unknown');
      // the next evaluation has read the other account too
      expect(
        judge(
          new Set([`${ACCOUNT}/${REGION}`, `${UNCOLLECTED_ACCOUNT}/${REGION}`]),
        ),
      ).toBe('fail');
      expect(judge(before)).toBe('unknown');
    });
  });

  describe('level and score', () => {
    it.each<[string, ResourceVerdict['status'][], string, number]>([
      // resources-found (weight 2) passes in each case; stubs weigh 1 each.
      [
        'non-compliant when any check fails',
        ['pass', 'warn', 'fail'],
        'non-compliant',
        60,
      ],
      ['at-risk when checks only warn', ['pass', 'warn'], 'at-risk', 75],
      ['at-risk when a check is unknown', ['pass', 'unknown'], 'at-risk', 75],
      [
        'at-risk when checks warn or are unknown',
        ['warn', 'unknown'],
        'at-risk',
        50,
      ],
      ['compliant when every check passes', ['pass', 'pass'], 'compliant', 100],
    ])('is %s', (_name, statuses, level, score) => {
      const snapshot = evaluateEntity(
        anEntity({ resources: [aResource()] }),
        options({
          checks: statuses.map((status, i) => stubCheck(`stub-${i}`, status)),
        }),
      );
      expect(snapshot).toMatchObject({ level, score });
    });

    it('scores passed weight over applicable weight', () => {
      const snapshot = evaluateEntity(
        anEntity({ resources: [aResource()] }),
        options({
          checks: [
            stubCheck('heavy-pass', 'pass', { weight: 3 }),
            stubCheck('light-fail', 'fail', { weight: 2 }),
            notApplicableCheck('not-asked', 4),
            legalHold('warn'),
          ],
        }),
      );
      // Passed: resources-found 2 + heavy-pass 3 = 5. Applicable: 5 + light-fail 2 = 7.
      // 5 / 7 = 71.4 %; not-asked and the informational legal-hold do not count.
      expect(snapshot.score).toBe(71);
      expect(snapshot.level).toBe('non-compliant');
    });

    it('scores the built-in checks by their catalogue weights', () => {
      const snapshot = evaluateEntity(
        anEntity({ resources: [aCompliantResource({ copyJobs: [] })] }),
        options(),
      );
      // Applicable: every built-in weight (31) but retention-alignment (no PII
      // annotation) and legal-hold (0). Both copy checks (2 + 2) fail: 27 / 31.
      expect(snapshot.score).toBe(87);
      expect(snapshot.level).toBe('non-compliant');
    });

    it('is compliant with a score of 100 when every built-in check passes', () => {
      const snapshot = evaluateEntity(anEntity(), options());
      expect(snapshot).toMatchObject({ level: 'compliant', score: 100 });
    });

    it.each<ResourceVerdict['status']>(['fail', 'warn', 'unknown'])(
      'never lets the informational legal-hold change the level or score, even at %s',
      status => {
        const snapshot = evaluateEntity(
          anEntity({ resources: [aResource()] }),
          options({ checks: [stubCheck('a', 'pass'), legalHold(status)] }),
        );
        expect(snapshot).toMatchObject({ level: 'compliant', score: 100 });
      },
    );

    it('never lets a not-applicable check change the level or score', () => {
      const snapshot = evaluateEntity(
        anEntity({ resources: [aResource()] }),
        options({
          checks: [stubCheck('a', 'pass'), notApplicableCheck('not-asked', 5)],
        }),
      );
      expect(snapshot).toMatchObject({ level: 'compliant', score: 100 });
      expect(resultOf(snapshot, 'not-asked')).toMatchObject({
        status: 'pass',
        notApplicable: true,
      });
    });

    // CheckDefinition: "informational checks never change the level or the
    // score", whatever weight a custom one declares.
    it('never lets an informational check with a weight change the score', () => {
      const snapshot = evaluateEntity(
        anEntity({ resources: [aResource()] }),
        options({
          checks: [
            stubCheck('a', 'pass'),
            stubCheck('notes', 'fail', { informational: true, weight: 2 }),
          ],
        }),
      );
      expect(snapshot).toMatchObject({ level: 'compliant', score: 100 });
    });
  });

  describe('waivers', () => {
    // A resource whose only failing check is cross-account-copy.
    const withoutAccountCopy = () =>
      anEntity({
        resources: [
          aCompliantResource({
            copyJobs: [aCopyJob(vaultArn('dr-vault', ACCOUNT, OTHER_REGION))],
          }),
        ],
      });
    const waiver = (overrides: Partial<Waiver> = {}): Waiver => ({
      entity: ENTITY,
      check: 'cross-account-copy',
      reason: 'vault account migration',
      approvedBy: 'group:default/resilience',
      expires: '2026-06-30',
      ...overrides,
    });

    it('fails the check without a waiver', () => {
      const snapshot = evaluateEntity(withoutAccountCopy(), options());
      expect(resultOf(snapshot, 'cross-account-copy')?.status).toBe('fail');
      expect(snapshot.level).toBe('non-compliant');
    });

    it.each([
      ['an active waiver', '2026-06-30'],
      ['a waiver expiring today', '2026-03-15'],
    ])('turns a failure into waived under %s', (_name, expires) => {
      const active = waiver({ expires });
      const snapshot = evaluateEntity(
        withoutAccountCopy(),
        options({ waivers: [active] }),
      );
      expect(resultOf(snapshot, 'cross-account-copy')).toMatchObject({
        status: 'waived',
        waivedStatus: 'fail',
        waiver: active,
      });
      // Waived is at risk, and does not count as passed: 29 / 31.
      expect(snapshot).toMatchObject({ level: 'at-risk', score: 94 });
    });

    it('stops applying a waiver that expired yesterday, and reports it as expired', () => {
      const expired = waiver({ expires: '2026-03-14' });
      const snapshot = evaluateEntity(
        withoutAccountCopy(),
        options({ waivers: [expired] }),
      );
      const result = resultOf(snapshot, 'cross-account-copy');
      expect(result).toMatchObject({ status: 'fail', expiredWaiver: expired });
      // The explanation alone tells the story, for exports and notifications.
      expect(result?.explanation).toMatch(
        new RegExp(
          `The waiver approved by ${expired.approvedBy} \\("${expired.reason}"\\) expired on 2026-03-14\\.$`,
        ),
      );
      expect(result?.waiver).toBeUndefined();
      expect(result?.waivedStatus).toBeUndefined();
      expect(snapshot.level).toBe('non-compliant');
    });

    it('ignores a waiver for another entity', () => {
      const snapshot = evaluateEntity(
        withoutAccountCopy(),
        options({
          waivers: [waiver({ entity: 'component:default/rewards-api' })],
        }),
      );
      const result = resultOf(snapshot, 'cross-account-copy');
      expect(result?.status).toBe('fail');
      expect(result?.waiver).toBeUndefined();
      expect(result?.expiredWaiver).toBeUndefined();
    });

    it("applies, from one list of many entities' waivers, each entity its own", () => {
      const other = 'component:default/rewards-api';
      const mine = waiver();
      const theirs = waiver({ entity: other, check: 'cross-region-copy' });
      const waivers = [
        ...Array.from({ length: 50 }, (_, i) =>
          waiver({ entity: `component:default/service-${i}` }),
        ),
        theirs,
        mine,
      ];
      // the same list (as configured) for both entities, one after the other
      const first = evaluateEntity(withoutAccountCopy(), options({ waivers }));
      const second = evaluateEntity(
        { ...withoutAccountCopy(), entityRef: other },
        options({ waivers }),
      );
      expect(resultOf(first, 'cross-account-copy')).toMatchObject({
        status: 'waived',
        waiver: mine,
      });
      expect(resultOf(first, 'cross-region-copy')?.waiver).toBeUndefined();
      expect(resultOf(second, 'cross-account-copy')).toMatchObject({
        status: 'fail',
      });
      expect(resultOf(second, 'cross-account-copy')?.waiver).toBeUndefined();
      expect(resultOf(second, 'cross-region-copy')?.waiver).toBe(theirs);
    });

    it('ignores a waiver for another check', () => {
      const snapshot = evaluateEntity(
        withoutAccountCopy(),
        options({ waivers: [waiver({ check: 'cross-region-copy' })] }),
      );
      expect(resultOf(snapshot, 'cross-account-copy')?.status).toBe('fail');
      expect(resultOf(snapshot, 'cross-region-copy')).toMatchObject({
        status: 'pass',
        waiver: expect.objectContaining({ check: 'cross-region-copy' }),
      });
    });
  });

  describe('across resources', () => {
    const byArn =
      (statuses: Record<string, ResourceVerdict['status']>): ResourceCheck =>
      resource => ({
        status: statuses[resource.arn],
        explanation: `judged ${statuses[resource.arn]}`,
        facts: [],
      });
    const threeResources = anEntity({
      resources: [LEDGER_ARN, REWARDS_ARN, AUDIT_ARN].map(arn =>
        aResource({ arn }),
      ),
    });

    it.each<[string, ResourceVerdict['status'][], string, string[]]>([
      ['fail', ['pass', 'warn', 'fail'], 'fail', [AUDIT_ARN]],
      [
        'unknown over warn',
        ['warn', 'unknown', 'pass'],
        'unknown',
        [REWARDS_ARN],
      ],
      ['warn', ['warn', 'pass', 'warn'], 'warn', [LEDGER_ARN, AUDIT_ARN]],
      [
        'pass, listing every resource',
        ['pass', 'pass', 'pass'],
        'pass',
        [LEDGER_ARN, REWARDS_ARN, AUDIT_ARN],
      ],
    ])(
      'reports the worst status, %s, and the resources concerned',
      (_name, [ledger, rewards, audit], status, resources) => {
        const snapshot = evaluateEntity(
          threeResources,
          options({
            checks: [
              stubCheck(
                'stub',
                byArn({
                  [LEDGER_ARN]: ledger,
                  [REWARDS_ARN]: rewards,
                  [AUDIT_ARN]: audit,
                }),
              ),
            ],
          }),
        );
        expect(resultOf(snapshot, 'stub')).toMatchObject({ status, resources });
      },
    );

    it('explains a failure by the resources concerned', () => {
      const snapshot = evaluateEntity(
        threeResources,
        options({
          checks: [
            stubCheck(
              'stub',
              byArn({
                [LEDGER_ARN]: 'pass',
                [REWARDS_ARN]: 'fail',
                [AUDIT_ARN]: 'pass',
              }),
            ),
          ],
        }),
      );
      expect(resultOf(snapshot, 'stub')?.explanation).toBe(
        '1 of 3 resources: rewards: judged fail',
      );
    });
  });

  it('lists the account-regions whose last collection failed', () => {
    const snapshot = evaluateEntity(
      anEntity({
        resources: [
          aCompliantResource({ arn: LEDGER_ARN, stale: true }),
          aCompliantResource({ arn: REWARDS_ARN, stale: true }),
          aCompliantResource({
            arn: AUDIT_ARN,
            region: OTHER_REGION,
            stale: false,
          }),
        ],
      }),
      options(),
    );
    expect(snapshot.staleAccountRegions).toEqual([`${ACCOUNT}/${REGION}`]);
  });

  it('gives the same snapshot for the same input', () => {
    const entity = anEntity();
    expect(evaluateEntity(entity, options())).toEqual(
      evaluateEntity(entity, options()),
    );
  });
});
