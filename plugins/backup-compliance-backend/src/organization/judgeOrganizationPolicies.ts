import {
  OrganizationBackupPolicy,
  OrganizationPolicyFinding,
  OrganizationPolicyPlan,
  OrganizationPolicyRule,
} from '@backup-compliance/backstage-plugin-common';
import { BackupPolicy } from '../config/readPolicies';
import { requiredDays } from '../compliance/checks/retention';
import { humanDays } from '../compliance/checks/util';
import { longestGapHours } from '../compliance/cron';
import { classifySchedule } from '../compliance/schedule';
import { readBackupPolicyDocument } from './backupPolicyDocument';

/** An organization backup policy as collected: its summary, targets, accounts and document. */
export type CollectedOrganizationPolicy = Pick<
  OrganizationBackupPolicy,
  'id' | 'name' | 'description' | 'arn' | 'targets' | 'accounts'
> & { content: unknown };

/** A backup plan as found in one account-region: its name and rules. */
export type LocalPlan = {
  name: string;
  rules: Array<{
    RuleName?: string;
    ScheduleExpression?: string;
    Lifecycle?: { DeleteAfterDays?: number };
  }>;
};

export type OrganizationFacts = {
  policies: Map<string, BackupPolicy>;
  policyTagKey: string;
  /** Account-regions collected successfully (`account/region`). */
  collected: Set<string>;
  /** Backup plans per collected account-region (`account/region`). */
  plansAt: Map<string, LocalPlan[]>;
  /** Per account, the values of the policy tag its resources carry. */
  taggedValuesByAccount: Map<string, Set<string>>;
};

const SEVERITY = { pass: 0, unknown: 1, warn: 2, fail: 3 } as const;

const worst = (findings: OrganizationPolicyFinding[]) =>
  findings.reduce<OrganizationPolicyFinding['status']>(
    (w, f) => (SEVERITY[f.status] > SEVERITY[w] ? f.status : w),
    'pass',
  );

const kept = (days: number | undefined) => days ?? Infinity;
const keptText = (days: number) =>
  Number.isFinite(days) ? humanDays(days) : 'forever';

function tierOf(rule: OrganizationPolicyRule) {
  return rule.continuous
    ? 'daily'
    : classifySchedule(rule.scheduleExpression)?.tier;
}

function location(arn: string): { region?: string; account?: string } {
  const [, , , region, account] = arn.split(':');
  return { region, account };
}

/** A plan's rules against what a compliance policy requires, before any backup runs. */
function judgePlan(
  plan: OrganizationPolicyPlan,
  policy: BackupPolicy,
): OrganizationPolicyFinding[] {
  const findings: OrganizationPolicyFinding[] = [];
  const subject = `plan ${plan.name} → ${policy.name}`;
  for (const tier of ['daily', 'monthly', 'yearly'] as const) {
    const required = requiredDays(policy, tier);
    if (required <= 0) continue;
    const rules = plan.rules.filter(r => tierOf(r) === tier);
    const best = rules.reduce<OrganizationPolicyRule | undefined>(
      (a, b) =>
        a && kept(a.deleteAfterDays) >= kept(b.deleteAfterDays) ? a : b,
      undefined,
    );
    if (!best) {
      findings.push({
        status: 'fail',
        subject,
        text: `no ${tier} rule, where ${
          policy.name
        } keeps ${tier} points ${humanDays(required)}`,
      });
    } else if (kept(best.deleteAfterDays) < required) {
      findings.push({
        status: 'fail',
        subject: `${subject}, rule ${best.name}`,
        text: `the ${tier} rule keeps points ${keptText(
          kept(best.deleteAfterDays),
        )}: it cannot implement ${policy.name}, which requires ${humanDays(
          required,
        )}`,
      });
    } else {
      findings.push({
        status: 'pass',
        subject: `${subject}, rule ${best.name}`,
        text: `the ${tier} rule keeps points ${keptText(
          kept(best.deleteAfterDays),
        )}, at least the ${humanDays(required)} required`,
      });
    }
  }
  if (!plan.rules.some(r => r.continuous)) {
    const gaps = plan.rules
      .map(r => ({ rule: r, gap: longestGapHours(r.scheduleExpression) }))
      .filter(
        (g): g is { rule: OrganizationPolicyRule; gap: number } =>
          g.gap !== undefined,
      )
      .sort((a, b) => a.gap - b.gap);
    if (gaps.length > 0 && gaps[0].gap > policy.rpoHours) {
      findings.push({
        status: 'fail',
        subject: `${subject}, rule ${gaps[0].rule.name}`,
        text: `its most frequent rule runs every ${gaps[0].gap} h, longer than the ${policy.rpoHours} h RPO`,
      });
    }
  }
  const copies = plan.rules.flatMap(rule =>
    rule.copies.map(copy => ({ rule, copy, at: location(copy.destination) })),
  );
  if (
    policy.copies.crossRegion &&
    !copies.some(c => c.at.region && !plan.regions.includes(c.at.region))
  ) {
    findings.push({
      status: 'fail',
      subject,
      text: `no copy action to another region, which ${policy.name} requires`,
    });
  }
  // `$account` is each target account itself: only a fixed account id is another one.
  if (
    policy.copies.crossAccount &&
    !copies.some(c => c.at.account && /^\d{12}$/.test(c.at.account))
  ) {
    findings.push({
      status: 'fail',
      subject,
      text: `no copy action to another account, which ${policy.name} requires`,
    });
  }
  for (const { rule, copy } of copies) {
    const source = kept(rule.deleteAfterDays);
    const wanted =
      policy.copies.retention === 'same-as-source'
        ? source
        : Math.min(policy.copies.retention, source);
    if (kept(copy.deleteAfterDays) < wanted) {
      findings.push({
        status: 'fail',
        subject: `${subject}, rule ${rule.name}`,
        text: `copies to ${copy.destination} are kept ${keptText(
          kept(copy.deleteAfterDays),
        )}, the points they copy ${keptText(source)}`,
      });
    }
  }
  return findings;
}

/** Where target accounts do not carry the plan, and accounts it should target. */
function driftOf(
  policy: Omit<CollectedOrganizationPolicy, 'content'>,
  plan: OrganizationPolicyPlan,
  implemented: string[],
  facts: OrganizationFacts,
): OrganizationPolicyFinding[] {
  const drift: OrganizationPolicyFinding[] = [];
  for (const accountId of policy.accounts) {
    for (const region of plan.regions) {
      const at = `${accountId}/${region}`;
      if (!facts.collected.has(at)) continue; // not configured, or never read
      const local = (facts.plansAt.get(at) ?? []).find(
        p => p.name === plan.name,
      );
      if (!local) {
        drift.push({
          status: 'fail',
          subject: at,
          accountId,
          region,
          text: `no backup plan ${plan.name} in ${at}: the policy's rules are not applied there`,
        });
        continue;
      }
      for (const rule of plan.rules) {
        const found = local.rules.find(r => r.RuleName === rule.name);
        if (!found) {
          drift.push({
            status: 'fail',
            subject: at,
            accountId,
            region,
            text: `plan ${plan.name} in ${at} has no rule ${rule.name}`,
          });
        } else if (
          kept(found.Lifecycle?.DeleteAfterDays) !== kept(rule.deleteAfterDays)
        ) {
          drift.push({
            status: 'fail',
            subject: at,
            accountId,
            region,
            text: `rule ${plan.name}/${
              rule.name
            } in ${at} keeps points ${keptText(
              kept(found.Lifecycle?.DeleteAfterDays),
            )}, the policy ${keptText(kept(rule.deleteAfterDays))}`,
          });
        } else if (
          rule.scheduleExpression &&
          found.ScheduleExpression !== rule.scheduleExpression
        ) {
          drift.push({
            status: 'fail',
            subject: at,
            accountId,
            region,
            text: `rule ${plan.name}/${rule.name} in ${at} runs ${found.ScheduleExpression}, the policy ${rule.scheduleExpression}`,
          });
        }
      }
    }
  }
  for (const [accountId, values] of facts.taggedValuesByAccount) {
    const tagged = implemented.filter(v => values.has(v));
    if (tagged.length > 0 && !policy.accounts.includes(accountId)) {
      drift.push({
        status: 'fail',
        subject: accountId,
        accountId,
        text: `account ${accountId} has resources tagged ${
          facts.policyTagKey
        }=${tagged.join(', ')}, but ${policy.name} does not target it`,
      });
    }
  }
  return drift;
}

/**
 * Each organization backup policy judged against the compliance policies it
 * implements (the policy-tag values its selections select), with the drift of the
 * accounts it targets.
 */
export function judgeOrganizationPolicies(
  collected: CollectedOrganizationPolicy[],
  facts: OrganizationFacts,
): OrganizationBackupPolicy[] {
  return collected.map(({ content, ...policy }) => {
    const plans = readBackupPolicyDocument(content);
    const findings: OrganizationPolicyFinding[] = [];
    const drift: OrganizationPolicyFinding[] = [];
    const implemented = new Set<string>();
    for (const plan of plans) {
      const values = plan.selections
        .filter(s => s.tagKey === facts.policyTagKey)
        .flatMap(s => s.tagValues);
      if (values.length === 0) {
        findings.push({
          status: 'unknown',
          subject: `plan ${plan.name}`,
          text: `selects no resources by the ${facts.policyTagKey} tag, so no compliance policy can be matched to it`,
        });
      }
      const named = values.filter(v => {
        if (facts.policies.has(v)) return true;
        findings.push({
          status: 'unknown',
          subject: `plan ${plan.name}`,
          text: `selects ${
            facts.policyTagKey
          }=${v}, which is not a configured policy (known: ${[
            ...facts.policies.keys(),
          ].join(', ')})`,
        });
        return false;
      });
      for (const name of named) {
        implemented.add(name);
        findings.push(...judgePlan(plan, facts.policies.get(name)!));
      }
      drift.push(...driftOf(policy, plan, named, facts));
    }
    const all = [...findings, ...drift];
    return {
      ...policy,
      plans,
      implements: [...implemented],
      status: implemented.size === 0 ? 'unknown' : worst(all),
      findings,
      drift,
    };
  });
}
