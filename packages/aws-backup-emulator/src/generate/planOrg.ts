import { seededRandom } from '../faults';
import type { SyntheticOrgOptions } from './generate';
import { planAccounts, planRules } from './planAccounts';
import {
  AccountRegionPlan,
  EntityPlan,
  MALFORMATIONS,
  OrgPlan,
  POLICIES,
  Policy,
  POLICY_TAG,
  ResourceKind,
  ResourcePlan,
  RESTORE_TESTING_TAG,
  TeamPlan,
} from './orgPlan';
import { pick, Random, STREAM, streamRandom, weighted } from './random';

const KINDS_BY_POLICY: Record<Policy, ResourceKind[]> = {
  'transactions-db': ['RDS', 'RDS', 'Aurora', 'DynamoDB'],
  'rewards-db': ['DynamoDB', 'DynamoDB', 'RDS'],
  default: ['EBS', 'EFS', 'S3', 'S3', 'DynamoDB'],
};

// prettier-ignore
const TEAM_NAMES = [
  'payments', 'cards', 'lending', 'mortgages', 'savings', 'treasury', 'fx',
  'trading', 'custody', 'wealth', 'insurance', 'pensions', 'fraud', 'aml',
  'kyc', 'onboarding', 'identity', 'ledger', 'clearing', 'settlement',
  'reporting', 'risk', 'compliance', 'audit', 'billing', 'pricing', 'rewards',
  'loyalty', 'marketing', 'crm', 'support', 'messaging', 'notifications',
  'documents', 'statements', 'tax', 'collections', 'recoveries', 'credit',
  'scoring', 'analytics', 'data-platform', 'integration', 'channels',
  'mobile', 'web', 'branch', 'atm', 'open-banking', 'partners',
];
// prettier-ignore
const DOMAIN_NAMES = [
  'retail-banking', 'corporate-banking', 'markets', 'wealth-management',
  'insurance-services', 'group-functions',
];
const SYSTEM_SUFFIXES = ['core', 'services', 'data'];
// prettier-ignore
const COMPONENT_NOUNS = [
  'api', 'ledger', 'gateway', 'store', 'processor', 'scheduler', 'reconciler',
  'engine', 'service', 'worker', 'importer', 'exporter', 'registry',
  'catalogue', 'search', 'events', 'notifier', 'portal', 'hub', 'sync',
  'archive', 'orders', 'accounts', 'profiles', 'limits', 'rates', 'batch',
  'stream', 'cache', 'index', 'queue', 'bff', 'reports', 'audit-log',
  'config', 'workflow',
];

function checkOptions(options: SyntheticOrgOptions) {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${name} must be a whole number, got ${value}`);
    }
  }
  if (options.resources > 0 && options.accountRegions === 0) {
    throw new Error('resources need at least one account-region');
  }
}

function planTeams(entities: number): Pick<OrgPlan, 'teams' | 'domains'> {
  const teamCount = Math.min(
    TEAM_NAMES.length,
    Math.max(1, Math.ceil(entities / 20)),
  );
  // At least two domains when there are two teams, so grouping by domain shows something.
  const domainCount = Math.min(
    DOMAIN_NAMES.length,
    teamCount,
    Math.max(2, Math.ceil(teamCount / 8)),
  );
  const teams = TEAM_NAMES.slice(0, teamCount).map((name, t) => ({
    name,
    domain: DOMAIN_NAMES[t % domainCount],
    systems: SYSTEM_SUFFIXES.slice(0, 1 + (t % SYSTEM_SUFFIXES.length)).map(
      suffix => `${name}-${suffix}`,
    ),
  }));
  const domains = DOMAIN_NAMES.slice(0, domainCount).map((name, d) => ({
    name,
    owner: teams[d].name,
  }));
  return { teams, domains };
}

function uniqueName(base: string, used: Map<string, number>): string {
  const seen = used.get(base) ?? 0;
  used.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen + 1}`;
}

function planEntities(
  count: number,
  teams: TeamPlan[],
  workload: number[],
  random: Random,
): EntityPlan[] {
  const used = new Map<string, number>();
  const entities: EntityPlan[] = [];
  for (let i = 0; i < count; i++) {
    const team = pick(random, teams);
    const lifecycle = weighted<EntityPlan['lifecycle']>(random, [
      ['production', 0.85],
      ['experimental', 0.1],
      ['deprecated', 0.05],
    ]);
    // About 5% of production services hold data but never opted in.
    const annotated = lifecycle !== 'production' || random() >= 0.05;
    entities.push({
      name: uniqueName(`${team.name}-${pick(random, COMPONENT_NOUNS)}`, used),
      team: team.name,
      system: pick(random, team.systems),
      lifecycle,
      dataClass: weighted<Policy>(random, [
        ['transactions-db', 0.35],
        ['rewards-db', 0.15],
        ['default', 0.5],
      ]),
      home: workload.length > 0 ? pick(random, workload) : -1,
      annotated,
      withPolicy: random() < 0.8,
      withAccounts: random() < 0.1,
      withRegions: random() < 0.1,
      piiDays:
        random() < 0.04 ? pick(random, [30, 35, 90, 180, 365, 400]) : undefined,
      malformed:
        annotated && random() < 0.01 ? pick(random, MALFORMATIONS) : undefined,
      resources: [],
    });
  }
  return entities;
}

/** Mostly the entity's home account-region, sometimes another region of that account or anywhere. */
function placeResource(
  org: OrgPlan,
  entity: EntityPlan | undefined,
  workload: number[],
  random: Random,
): number {
  const roll = random();
  if (!entity || roll >= 0.95) return pick(random, workload);
  if (roll < 0.8) return entity.home;
  const home = org.accountRegions[entity.home];
  const siblings = org.accounts
    .find(a => a.accountId === home.accountId)!
    .accountRegions.filter(i => i !== home.index);
  return siblings.length > 0 ? pick(random, siblings) : home.index;
}

function resourceArn(
  ar: AccountRegionPlan,
  kind: ResourceKind,
  app: string,
  env: string,
  index: number,
): string {
  const prefix = `arn:aws:`;
  const where = `${ar.region}:${ar.accountId}`;
  const hex = index.toString(16).padStart(17, '0');
  switch (kind) {
    case 'RDS':
      return `${prefix}rds:${where}:db:${app}-${env}-${index}`;
    case 'Aurora':
      return `${prefix}rds:${where}:cluster:${app}-${env}-${index}`;
    case 'DynamoDB':
      return `${prefix}dynamodb:${where}:table/${app}-${env}-${index}`;
    case 'EFS':
      return `${prefix}elasticfilesystem:${where}:file-system/fs-${hex}`;
    case 'EBS':
      return `${prefix}ec2:${where}:volume/vol-${hex}`;
    default:
      // Bucket names are global, so the index keeps them unique.
      return `${prefix}s3:::${app}-${env}-${index}`;
  }
}

/**
 * Each entity owns at least one prod resource (its first); the rest go to
 * entities at random, skewed so some own many. A few at the end carry no tags.
 */
function planResources(org: OrgPlan, workload: number[], random: Random) {
  const { resources: count } = org.options;
  const entityCount = org.entities.length;
  const owned = Math.min(entityCount, count);
  const untagged = Math.min(count - owned, Math.round(count * 0.005));
  for (let index = 0; index < count; index++) {
    const tagged = index < count - untagged;
    let entity: EntityPlan | undefined;
    if (index < owned) entity = org.entities[index];
    else if (tagged && entityCount > 0) {
      entity = org.entities[Math.floor(entityCount * random() ** 1.5)];
    }
    const app = entity?.name ?? 'shared-infrastructure';
    const dataClass = entity?.dataClass ?? pick(random, POLICIES);
    const env = index < owned || random() < 0.75 ? 'prod' : 'staging';
    const accountRegion = placeResource(org, entity, workload, random);
    const kind = pick(random, KINDS_BY_POLICY[dataClass]);
    // About 10% of resources, the untagged ones included, are in no plan.
    const protectedByPlan = tagged && random() >= 0.095;
    const policy = protectedByPlan
      ? weighted<Policy>(random, [
          [dataClass, 0.95],
          [pick(random, POLICIES), 0.05],
        ])
      : undefined;
    const restoreCandidate =
      policy !== undefined && env === 'prod' && random() < 0.6;
    const resource: ResourcePlan = {
      index,
      arn: resourceArn(
        org.accountRegions[accountRegion],
        kind,
        app,
        env,
        index,
      ),
      kind,
      accountRegion,
      policy,
      points: 0,
      // Unencrypted EBS volumes give unencrypted snapshots.
      encrypted: kind !== 'EBS' || random() >= 0.2,
    };
    if (tagged) {
      resource.tags = { app, env };
      if (policy) resource.tags[POLICY_TAG] = policy;
      if (restoreCandidate) resource.tags[RESTORE_TESTING_TAG] = 'true';
    }
    org.resources.push(resource);
    entity?.resources.push(index);
    org.accountRegions[accountRegion].resources.push(index);
  }
}

/** Spreads exactly `total` points over the plan-covered resources, unevenly. */
function allocatePoints(org: OrgPlan, random: Random) {
  const total = org.options.recoveryPoints;
  const covered = org.resources.filter(r => r.policy !== undefined);
  if (total > 0 && covered.length === 0) {
    throw new Error(
      'recovery points need at least one resource in a backup plan; add resources',
    );
  }
  if (total < covered.length) {
    covered.slice(0, total).forEach(r => (r.points = 1));
    return;
  }
  const weights = covered.map(() => 200 + Math.floor(3000 * random() ** 2));
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const spare = total - covered.length;
  let assigned = 0;
  covered.forEach((r, i) => {
    r.points = 1 + Math.floor((spare * weights[i]) / weightSum);
    assigned += r.points;
  });
  // Flooring leaves a few points over (or, by rounding, a few too many).
  for (let i = 0; assigned < total; i++, assigned++) {
    covered[i % covered.length].points++;
  }
  for (let i = 0; assigned > total; i++) {
    const r = covered[i % covered.length];
    if (r.points > 1) {
      r.points--;
      assigned--;
    }
  }
}

function linkCopiesAndHolds(org: OrgPlan) {
  for (const resource of org.resources) {
    if (!resource.policy || resource.points === 0) continue;
    const rules =
      org.accountRegions[resource.accountRegion].rules[resource.policy];
    for (const rule of rules) {
      for (const copy of rule.copies) {
        const incoming = org.accountRegions[copy.accountRegion].incomingCopies;
        if (incoming[incoming.length - 1] !== resource.index) {
          incoming.push(resource.index);
        }
      }
    }
  }
  for (const ar of org.accountRegions) {
    if (!ar.setup.legalHold) continue;
    const candidates = ar.resources.filter(i => org.resources[i].points >= 2);
    if (candidates.length > 0) {
      const random = streamRandom(org.options.seed, STREAM.legalHold, ar.index);
      ar.legalHoldResource = pick(random, candidates);
    }
  }
}

/** Decides everything but the per-point details, which follow from it. */
export function planOrg(options: SyntheticOrgOptions): OrgPlan {
  checkOptions(options);
  const random = seededRandom(options.seed);
  const org: OrgPlan = {
    options,
    ...planAccounts(options, random),
    ...planTeams(options.entities),
    entities: [],
    resources: [],
  };
  for (const ar of org.accountRegions) ar.rules = planRules(org, ar);
  const workload = org.accountRegions
    .filter(ar => !ar.central)
    .map(ar => ar.index);
  org.entities = planEntities(options.entities, org.teams, workload, random);
  planResources(org, workload, random);
  allocatePoints(org, random);
  linkCopiesAndHolds(org);
  return org;
}
