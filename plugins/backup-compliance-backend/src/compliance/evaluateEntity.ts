import {
  BackupAnnotationProblem,
  BackupAnnotations,
  CheckResult,
  CheckStatus,
  ComplianceLevel,
  EntityComplianceSnapshot,
  Waiver,
} from '@backup-compliance/backstage-plugin-common';
import { BackupPolicy, DEFAULT_POLICY_NAME } from '../config/readPolicies';
import { RegisteredCheck, RESOURCES_FOUND } from './builtInChecks';
import { groupBy } from './assembleEvidence';
import { summarizeResource } from './summarizeResource';
import { EvaluationContext, ResourceEvidence, ResourceVerdict } from './types';

export type { EntityComplianceSnapshot };

export type EntityToEvaluate = {
  entityRef: string;
  annotations?: BackupAnnotations;
  problems?: BackupAnnotationProblem[];
  resources: ResourceEvidence[];
  /** The account-regions the entity's resources may live in. */
  scope: Array<{ accountId: string; region: string }>;
};

export type EvaluationOptions = {
  policies: Map<string, BackupPolicy>;
  checks: RegisteredCheck[];
  waivers: Waiver[];
  policyTagKey: string;
  now: Date;
  collected: Set<string>;
  restoreHistoryDays: number;
  organization?: EvaluationContext['organization'];
};

const SEVERITY: Record<ResourceVerdict['status'], number> = {
  pass: 0,
  warn: 1,
  unknown: 2,
  fail: 3,
};

function worst(verdicts: ResourceVerdict[]): ResourceVerdict['status'] {
  return verdicts.reduce<ResourceVerdict['status']>(
    (w, v) => (SEVERITY[v.status] > SEVERITY[w] ? v.status : w),
    'pass',
  );
}

const shortArn = (arn: string) => arn.split(/[:/]/).pop() ?? arn;

function combine(
  check: RegisteredCheck,
  judged: Array<{
    resource: ResourceEvidence;
    policy: BackupPolicy;
    verdict: ResourceVerdict;
  }>,
): CheckResult {
  const applicable = judged.filter(j => !j.verdict.notApplicable);
  const status = worst(applicable.map(j => j.verdict));
  const concerned = applicable.filter(j => j.verdict.status === status);
  let explanation: string;
  if (applicable.length === 0) {
    explanation = judged[0]?.verdict.explanation ?? 'Not applicable.';
  } else if (judged.length === 1) {
    explanation = judged[0].verdict.explanation;
  } else {
    explanation = concerned
      .map(j => `${shortArn(j.resource.arn)}: ${j.verdict.explanation}`)
      .join(' ');
    if (status !== 'pass') {
      explanation = `${concerned.length} of ${judged.length} resources: ${explanation}`;
    }
  }
  return {
    checkId: check.definition.id,
    status,
    ...(applicable.length === 0 ? { notApplicable: true } : {}),
    resources: (status === 'pass' ? judged : concerned).map(
      j => j.resource.arn,
    ),
    facts: judged.flatMap(j => j.verdict.facts),
    explanation,
    remediation: check.definition.remediation,
    dora: check.definition.dora,
    policies: [...new Set(judged.map(j => j.policy.name))],
  };
}

/** Each list of waivers by entity, indexed once (the list is configuration, never changed). */
const waiversByEntity = new WeakMap<Waiver[], Map<string, Waiver[]>>();

/**
 * The waivers filed for `entityRef`: looked up, so judging an estate costs its entities ×
 * checks, not entities × checks × waivers (a bank files hundreds).
 */
function waiversOf(waivers: Waiver[], entityRef: string): Waiver[] {
  let byEntity = waiversByEntity.get(waivers);
  if (!byEntity) {
    byEntity = groupBy(waivers, w => w.entity);
    waiversByEntity.set(waivers, byEntity);
  }
  return byEntity.get(entityRef) ?? [];
}

/** The account-regions of each scope not collected, by the set of those collected. */
const uncollectedOf = new WeakMap<
  EntityToEvaluate['scope'],
  { collected: Set<string>; uncollected: EntityToEvaluate['scope'] }
>();

/**
 * The account-regions of `scope` never collected. Entities without their own accounts and
 * regions share one scope, every account-region configured: worked out once for them, not
 * once per entity (entities × account-regions).
 */
function uncollectedIn(
  scope: EntityToEvaluate['scope'],
  collected: Set<string>,
): EntityToEvaluate['scope'] {
  const known = uncollectedOf.get(scope);
  if (known?.collected === collected) return known.uncollected;
  const uncollected = scope.filter(
    s => !collected.has(`${s.accountId}/${s.region}`),
  );
  uncollectedOf.set(scope, { collected, uncollected });
  return uncollected;
}

/** `result` with the entity's waiver of its check applied, or the one that expired told. */
function applyWaiver(
  result: CheckResult,
  waivers: Waiver[],
  now: Date,
): CheckResult {
  const today = now.toISOString().slice(0, 10);
  const matching = waivers.filter(w => w.check === result.checkId);
  // A waiver applies through its expiry day.
  const active = matching.find(w => w.expires >= today);
  const expired = matching
    .filter(w => w.expires < today)
    .sort((a, b) => b.expires.localeCompare(a.expires))[0];
  // Exports, notifications and agents show only the text: the expiry goes in it too.
  const withExpired =
    !active && expired
      ? {
          ...result,
          expiredWaiver: expired,
          explanation:
            result.status === 'fail' || result.status === 'warn'
              ? `${result.explanation} The waiver approved by ${expired.approvedBy} ("${expired.reason}") expired on ${expired.expires}.`
              : result.explanation,
        }
      : result;
  if (active && (result.status === 'fail' || result.status === 'warn')) {
    return {
      ...withExpired,
      status: 'waived',
      waivedStatus: result.status,
      waiver: active,
    };
  }
  return active ? { ...withExpired, waiver: active } : withExpired;
}

function levelOf(
  checks: CheckResult[],
  informational: Set<string>,
): ComplianceLevel {
  const counted = checks.filter(
    c => !c.notApplicable && !informational.has(c.checkId),
  );
  const statuses = new Set<CheckStatus>(counted.map(c => c.status));
  if (counted.length > 0 && counted.every(c => c.status === 'unknown'))
    return 'unknown';
  if (statuses.has('fail')) return 'non-compliant';
  if (statuses.has('warn') || statuses.has('waived') || statuses.has('unknown'))
    return 'at-risk';
  return 'compliant';
}

function scoreOf(
  checks: CheckResult[],
  weights: Map<string, number>,
  informational: Set<string>,
): number | null {
  let applicable = 0;
  let passed = 0;
  for (const c of checks) {
    const weight = weights.get(c.checkId) ?? 0;
    if (c.notApplicable || weight === 0 || informational.has(c.checkId))
      continue;
    applicable += weight;
    if (c.status === 'pass') passed += weight;
  }
  return applicable === 0 ? null : Math.round((passed / applicable) * 100);
}

/**
 * Judges one entity: each resource by its own policy, each check combined
 * over the resources (the worst status wins), waivers applied, then level and
 * score. Pure: no I/O, the same input gives the same snapshot.
 */
export function evaluateEntity(
  entity: EntityToEvaluate,
  options: EvaluationOptions,
): EntityComplianceSnapshot {
  const { policies, checks, waivers, now, collected } = options;
  const base = {
    entityRef: entity.entityRef,
    evaluatedAt: now.toISOString(),
    staleAccountRegions: [
      ...new Set(
        entity.resources
          .filter(r => r.stale)
          .map(r => `${r.accountId}/${r.region}`),
      ),
    ],
  };
  const misconfigured = (problems: string[]): EntityComplianceSnapshot => ({
    ...base,
    level: 'misconfigured',
    score: null,
    policies: [],
    problems,
    resources: [],
    staleAccountRegions: [],
    checks: [],
  });

  if (!entity.annotations) {
    return misconfigured(
      (entity.problems ?? []).map(p => `${p.annotation}: ${p.message}`),
    );
  }
  const known = [...policies.keys()].join(', ');
  const named = entity.annotations.policy;
  if (named && !policies.has(named)) {
    return misconfigured([
      `aws.amazon.com/backup-policy names "${named}", which is not a configured policy (known: ${known})`,
    ]);
  }
  const problems: string[] = [];
  const judgedResources = entity.resources.map(resource => {
    const name =
      named ?? resource.tags[options.policyTagKey] ?? DEFAULT_POLICY_NAME;
    const policy = policies.get(name);
    if (!policy) {
      problems.push(
        `resource ${resource.arn} has tag ${options.policyTagKey}=${name}, which is not a configured policy (known: ${known})`,
      );
    }
    return { resource, policy: policy! };
  });
  if (problems.length > 0) {
    return misconfigured(problems);
  }

  const context: EvaluationContext = {
    now,
    collected,
    piiDeletionDays: entity.annotations.piiDeletionDays,
    restoreHistoryDays: options.restoreHistoryDays,
    ...(options.organization ? { organization: options.organization } : {}),
  };
  const uncollected = uncollectedIn(entity.scope, collected);
  // Nothing found where not everything could be read is unknown, not a failure.
  let foundStatus: CheckStatus = 'fail';
  let foundExplanation =
    'No resource in the configured accounts and regions carries all the tags.';
  if (entity.resources.length > 0) {
    foundStatus = 'pass';
    foundExplanation =
      entity.resources.length === 1
        ? '1 resource carries all the tags.'
        : `${entity.resources.length} resources carry all the tags.`;
  } else if (uncollected.length > 0) {
    foundStatus = 'unknown';
    foundExplanation = `No resource found so far, but ${uncollected.length} account-regions in scope could not be collected: the resources may be there.`;
  }
  const found: CheckResult = {
    checkId: RESOURCES_FOUND.id,
    status: foundStatus,
    resources: entity.resources.map(r => r.arn),
    facts: [
      {
        label: 'Tags',
        value: Object.entries(entity.annotations.resourceTags)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
        source: 'annotation aws.amazon.com/backup-resource-tags',
      },
      {
        label: 'Matching resources',
        value: entity.resources.length,
        source: 'Tagging API: GetResources',
      },
      ...(uncollected.length > 0
        ? [
            {
              label: 'Account-regions not collected',
              value: uncollected
                .map(s => `${s.accountId}/${s.region}`)
                .join(', '),
              source: 'collection runs',
            },
          ]
        : []),
    ],
    explanation: foundExplanation,
    remediation: RESOURCES_FOUND.remediation,
    dora: RESOURCES_FOUND.dora,
    policies: [...new Set(judgedResources.map(j => j.policy.name))],
  };

  const results: CheckResult[] = [found];
  // Each resource's own verdict: the checks it does not pass, worst first.
  const notPassing = judgedResources.map(
    () => [] as Array<{ checkId: string; status: ResourceVerdict['status'] }>,
  );
  if (entity.resources.length > 0) {
    for (const check of checks) {
      const judged = judgedResources.map(j => ({
        ...j,
        verdict: check.evaluate(j.resource, j.policy, context),
      }));
      judged.forEach(({ verdict }, i) => {
        if (
          verdict.status !== 'pass' &&
          !verdict.notApplicable &&
          !check.definition.informational
        ) {
          notPassing[i].push({
            checkId: check.definition.id,
            status: verdict.status,
          });
        }
      });
      results.push(combine(check, judged));
    }
  } else {
    // Without resources there is nothing to judge: say so, never pass.
    for (const check of checks) {
      results.push({
        checkId: check.definition.id,
        status: 'unknown',
        resources: [],
        facts: [
          {
            label: 'Matching resources',
            value: 0,
            source: 'Tagging API: GetResources',
          },
        ],
        explanation: 'No resource to judge.',
        remediation: check.definition.remediation,
        dora: check.definition.dora,
        policies: [],
      });
    }
  }

  const informational = new Set(
    checks.filter(c => c.definition.informational).map(c => c.definition.id),
  );
  const ownWaivers = waiversOf(waivers, entity.entityRef);
  const checked = results.map(r => {
    const waived = applyWaiver(r, ownWaivers, now);
    return informational.has(r.checkId)
      ? { ...waived, informational: true }
      : waived;
  });
  const weights = new Map([
    [RESOURCES_FOUND.id, RESOURCES_FOUND.weight],
    ...checks.map(
      c => [c.definition.id, c.definition.weight] as [string, number],
    ),
  ]);
  return {
    ...base,
    level: levelOf(checked, informational),
    score: scoreOf(checked, weights, informational),
    policies: [...new Set(judgedResources.map(j => j.policy.name))],
    problems: [],
    resources: judgedResources.map((j, i) => {
      const own = notPassing[i].sort(
        (a, b) => SEVERITY[b.status] - SEVERITY[a.status],
      );
      return {
        arn: j.resource.arn,
        accountId: j.resource.accountId,
        region: j.resource.region,
        policy: j.policy.name,
        status: own[0]?.status ?? 'pass',
        notPassing: own,
        summary: summarizeResource(j.resource, j.policy, now),
      };
    }),
    checks: checked,
  };
}
