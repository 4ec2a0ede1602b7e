import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { seededRandom } from '../faults';
import { stableId, vaultArn } from '../scenario/ids';

/** Sizes and seed of a synthetic org; the same options always give the same org. */
export type SyntheticOrgOptions = {
  /** Components in the catalog (Groups, Systems and Domains come on top). */
  entities: number;
  /** Tagged AWS resources, spread over the workload account-regions. */
  resources: number;
  /** Account-regions in the scenario, the central backup account's included. */
  accountRegions: number;
  /** Recovery points in total, copies in other vaults included. */
  recoveryPoints: number;
  seed: number;
};

type Json = Record<string, unknown>;

/** A synthetic org in memory: Backstage catalog entities and an emulator scenario. */
export type SyntheticOrg = {
  catalog: Json[];
  scenario: { Description: string; Accounts: Json[] };
};

const REGIONS = ['eu-central-1', 'eu-west-1', 'eu-north-1'];
const FIRST_ACCOUNT_ID = 100_000_000_001;
const CENTRAL_VAULT = 'central-vault';
const DAY = 1440; // minutes; every age below is in minutes before load time
// AWS lists backup and copy jobs of the last 30 days only.
const JOB_HISTORY = 30 * DAY;
const GIB = 1_073_741_824;

const POLICIES = ['transactions-db', 'rewards-db', 'default'] as const;
type Policy = (typeof POLICIES)[number];

const ANNOTATIONS = {
  tags: 'aws.amazon.com/backup-resource-tags',
  policy: 'aws.amazon.com/backup-policy',
  accounts: 'aws.amazon.com/backup-accounts',
  regions: 'aws.amazon.com/backup-regions',
  piiDays: 'aws.amazon.com/backup-pii-deletion-days',
};
const POLICY_TAG = 'backup-policy';
const RESTORE_TESTING_TAG = 'restore-testing-candidate';
const RESTORE_TESTING_PLAN = 'weekly_restore_tests';

const RESOURCE_KINDS = [
  'RDS',
  'Aurora',
  'DynamoDB',
  'EFS',
  'EBS',
  'S3',
] as const;
type ResourceKind = (typeof RESOURCE_KINDS)[number];
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

type Random = () => number;

function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function weighted<T>(random: Random, choices: Array<[T, number]>): T {
  let roll = random();
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1][0];
}

// Independent streams per resource and per account-region let one
// account-region be generated without generating the others first.
const STREAM = { accountRegion: 1, legalHold: 2, points: 3, jobs: 4 };

function streamRandom(seed: number, stream: number, index: number): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(index + 1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return seededRandom(h >>> 0);
}

/** A relative scenario time `minutes` before load. */
function ago(minutes: number): string {
  return `-${Math.max(1, Math.round(minutes))}m`;
}

type Tier = 'daily' | 'monthly' | 'yearly';
type VaultLock = 'compliance' | 'governance' | 'none';

type CopyTarget = {
  accountRegion: number;
  vaultName: string;
  vaultArn: string;
  deleteAfterDays: number;
};

type RuleSpec = {
  name: Tier;
  cron: string;
  deleteAfterDays: number;
  vaultName: string;
  planId: string;
  copies: CopyTarget[];
};

/** What varies between account-regions: where each one is right or wrong. */
type AccountRegionSetup = {
  transactionsLock: VaultLock;
  rewardsLock: VaultLock;
  rewardsCustomerKey: boolean;
  minRetentionDays: number;
  lockAgeDays: number;
  transactionsYearly: boolean;
  rewardsYearlyDays: number;
  crossRegionCopy: boolean;
  centralCopy: boolean;
  restoreTesting: boolean;
  legalHold: boolean;
};

type AccountPlan = {
  accountId: string;
  name: string;
  accountRegions: number[];
};

type AccountRegionPlan = {
  index: number;
  accountId: string;
  region: string;
  central: boolean;
  setup: AccountRegionSetup;
  rules: Record<Policy, RuleSpec[]>;
  resources: number[];
  /** Resources elsewhere whose copies land in this account-region's vaults. */
  incomingCopies: number[];
  legalHoldResource?: number;
};

type Malformation =
  | 'tags-colon'
  | 'tags-empty-entry'
  | 'policy-name'
  | 'accounts-short'
  | 'regions-city'
  | 'pii-words';
const MALFORMATIONS: Malformation[] = [
  'tags-colon',
  'tags-empty-entry',
  'policy-name',
  'accounts-short',
  'regions-city',
  'pii-words',
];

type EntityPlan = {
  name: string;
  team: string;
  system: string;
  lifecycle: 'production' | 'experimental' | 'deprecated';
  dataClass: Policy;
  home: number;
  annotated: boolean;
  withPolicy: boolean;
  withAccounts: boolean;
  withRegions: boolean;
  piiDays?: number;
  malformed?: Malformation;
  resources: number[];
};

type ResourcePlan = {
  index: number;
  arn: string;
  kind: ResourceKind;
  accountRegion: number;
  tags?: Record<string, string>;
  /** The plan that selects it; undefined for unprotected resources. */
  policy?: Policy;
  points: number;
  encrypted: boolean;
};

type TeamPlan = { name: string; domain: string; systems: string[] };

type OrgPlan = {
  options: SyntheticOrgOptions;
  accounts: AccountPlan[];
  accountRegions: AccountRegionPlan[];
  domains: Array<{ name: string; owner: string }>;
  teams: TeamPlan[];
  entities: EntityPlan[];
  resources: ResourcePlan[];
};

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

function planAccountRegionSetup(
  random: Random,
  first: boolean,
): AccountRegionSetup {
  return {
    transactionsLock: weighted<VaultLock>(random, [
      ['compliance', 0.85],
      ['governance', 0.08],
      ['none', 0.07],
    ]),
    rewardsLock: weighted<VaultLock>(random, [
      ['governance', 0.6],
      ['compliance', 0.3],
      ['none', 0.1],
    ]),
    rewardsCustomerKey: random() < 0.8,
    minRetentionDays: random() < 0.8 ? 30 : 7,
    lockAgeDays: between(random, 30, 900),
    transactionsYearly: random() < 0.95,
    rewardsYearlyDays: random() < 0.9 ? 3650 : 2555,
    crossRegionCopy: random() < 0.9,
    centralCopy: random() < 0.9,
    restoreTesting: random() < 0.9,
    // The first account-region always has one, so small orgs show a hold too.
    legalHold: first || random() < 0.15,
  };
}

/**
 * Accounts of one to three regions each; with three accounts or more, the
 * first is a central backup account that only receives copies.
 */
function planAccounts(
  options: SyntheticOrgOptions,
  random: Random,
): Pick<OrgPlan, 'accounts' | 'accountRegions'> {
  const sizes: number[] = [];
  for (let left = options.accountRegions; left > 0; ) {
    const size = Math.min(left, between(random, 1, 3));
    sizes.push(size);
    left -= size;
  }
  const hasCentral = sizes.length >= 3;
  const accounts: AccountPlan[] = [];
  const accountRegions: AccountRegionPlan[] = [];
  sizes.forEach((size, a) => {
    const central = hasCentral && a === 0;
    const accountId = String(FIRST_ACCOUNT_ID + a);
    const firstRegion = between(random, 0, REGIONS.length - 1);
    const account: AccountPlan = {
      accountId,
      name: central ? 'backup-vault' : `workload-${String(a).padStart(3, '0')}`,
      accountRegions: [],
    };
    for (let k = 0; k < size; k++) {
      const index = accountRegions.length;
      account.accountRegions.push(index);
      accountRegions.push({
        index,
        accountId,
        region: REGIONS[(firstRegion + k) % REGIONS.length],
        central,
        setup: planAccountRegionSetup(
          streamRandom(options.seed, STREAM.accountRegion, index),
          index === (hasCentral ? sizes[0] : 0),
        ),
        rules: { 'transactions-db': [], 'rewards-db': [], default: [] },
        resources: [],
        incomingCopies: [],
      });
    }
    accounts.push(account);
  });
  return { accounts, accountRegions };
}

function copyTarget(
  target: AccountRegionPlan,
  vaultName: string,
  deleteAfterDays: number,
): CopyTarget {
  return {
    accountRegion: target.index,
    vaultName,
    vaultArn: vaultArn(target.region, target.accountId, vaultName),
    deleteAfterDays,
  };
}

function planId(seed: number, ar: AccountRegionPlan, policy: Policy): string {
  return stableId('synthetic', seed, ar.accountId, ar.region, 'plan', policy);
}

/** Backup rules of each policy's plan in one account-region, copy targets resolved. */
function planRules(
  org: OrgPlan,
  ar: AccountRegionPlan,
): Record<Policy, RuleSpec[]> {
  const { setup } = ar;
  const account = org.accounts.find(a => a.accountId === ar.accountId)!;
  const sibling = account.accountRegions
    .map(i => org.accountRegions[i])
    .find(other => other.index !== ar.index);
  const centrals = org.accountRegions.filter(other => other.central);
  const central =
    centrals.find(other => other.region === ar.region) ?? centrals[0];
  const crossRegion = (vaultName: string, days: number) =>
    setup.crossRegionCopy && sibling
      ? [copyTarget(sibling, vaultName, days)]
      : [];
  const toCentral = (days: number) =>
    setup.centralCopy && central
      ? [copyTarget(central, CENTRAL_VAULT, days)]
      : [];
  type RuleRow = [Tier, string, number, CopyTarget[]];
  const plan = (policy: Policy, vaultName: string, rows: RuleRow[]) =>
    rows.map(
      ([name, cron, deleteAfterDays, copies]): RuleSpec => ({
        name,
        cron,
        deleteAfterDays,
        vaultName,
        planId: planId(org.options.seed, ar, policy),
        copies,
      }),
    );
  const tx = 'transactions-vault';
  const rw = 'rewards-vault';
  const rewardsYears = setup.rewardsYearlyDays;
  const transactionsYearly: RuleRow[] = setup.transactionsYearly
    ? [['yearly', 'cron(0 5 1 1 ? *)', 2555, toCentral(2555)]]
    : [];
  return {
    'transactions-db': plan('transactions-db', tx, [
      ['daily', 'cron(0 3 * * ? *)', 30, crossRegion(tx, 30)],
      ['monthly', 'cron(0 4 1 * ? *)', 365, toCentral(365)],
      ...transactionsYearly,
    ]),
    'rewards-db': plan('rewards-db', rw, [
      ['daily', 'cron(30 2 * * ? *)', 30, toCentral(30)],
      ['monthly', 'cron(30 3 1 * ? *)', 365, []],
      ['yearly', 'cron(30 4 1 1 ? *)', rewardsYears, toCentral(rewardsYears)],
    ]),
    default: plan('default', 'Default', [
      ['daily', 'cron(0 1 * * ? *)', 30, []],
      ['monthly', 'cron(0 2 1 * ? *)', 365, []],
    ]),
  };
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
function planOrg(options: SyntheticOrgOptions): OrgPlan {
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

type PointSlot = {
  ordinal: number;
  rule: RuleSpec;
  ageMinutes: number;
  sizeBytes: number;
  status?: 'PARTIAL' | 'EXPIRED';
  /** Set on copies: the point lives in the copy target's vault. */
  copy?: CopyTarget;
};

/** How many points of a tier its retention keeps. */
function tierCapacity(rule: RuleSpec): number {
  if (rule.name === 'daily') return rule.deleteAfterDays;
  if (rule.name === 'monthly') return Math.floor(rule.deleteAfterDays / 30);
  return Math.floor(rule.deleteAfterDays / 365);
}

/**
 * A resource's points, newest tiers first, so any count gives a believable
 * history: dailies with a few monthlies and yearlies mixed in, each followed by
 * its copies; points past every tier's retention are EXPIRED dailies. Pure in
 * (seed, resource), so a copy's target account-region can regenerate them.
 */
function pointSlots(org: OrgPlan, resource: ResourcePlan): PointSlot[] {
  const random = streamRandom(org.options.seed, STREAM.points, resource.index);
  const rules =
    org.accountRegions[resource.accountRegion].rules[resource.policy!];
  // About 7% are stale: the last successful backup is more than a day old.
  const newest =
    random() < 0.93
      ? between(random, 30, 1400)
      : between(random, 1500, 10 * DAY);
  const monthlyStart = newest + between(random, 0, 29) * DAY;
  const yearlyStart = newest + between(random, 0, 364) * DAY;
  const baseSize = between(random, 1, 2000) * (GIB / 8);
  const slots: PointSlot[] = [];
  const count = resource.points;
  const add = (rule: RuleSpec, age: number, status?: PointSlot['status']) => {
    const sizeBytes = Math.round(baseSize * (0.9 + 0.2 * random()));
    const partial = !status && random() < 0.01;
    slots.push({
      ordinal: slots.length,
      rule,
      ageMinutes: age,
      sizeBytes,
      status: partial ? 'PARTIAL' : status,
    });
    if (status) return;
    for (const copy of rule.copies) {
      if (slots.length >= count) return;
      slots.push({
        ordinal: slots.length,
        rule,
        ageMinutes: Math.max(1, age - between(random, 60, 240)),
        sizeBytes,
        copy,
      });
    }
  };
  const schedule = [
    { tier: 'daily', every: 1, start: newest, spacing: DAY },
    { tier: 'monthly', every: 3, start: monthlyStart, spacing: 30 * DAY },
    { tier: 'yearly', every: 8, start: yearlyStart, spacing: 365 * DAY },
  ].flatMap(({ tier, ...timing }) => {
    const rule = rules.find(r => r.name === tier);
    return rule ? [{ rule, capacity: tierCapacity(rule), ...timing }] : [];
  });
  for (let round = 0; slots.length < count; round++) {
    const live = schedule.filter(t => round / t.every < t.capacity);
    if (live.length === 0) add(rules[0], newest + round * DAY, 'EXPIRED');
    for (const t of live) {
      if (round % t.every === 0 && slots.length < count) {
        add(t.rule, t.start + (round / t.every) * t.spacing);
      }
    }
  }
  slots.length = count;
  return slots;
}

function createdBy(rule: RuleSpec): Json {
  return {
    BackupPlanId: rule.planId,
    BackupRuleName: rule.name,
    BackupRuleCron: rule.cron,
  };
}

function homeVaultArn(org: OrgPlan, resource: ResourcePlan, vaultName: string) {
  const ar = org.accountRegions[resource.accountRegion];
  return vaultArn(ar.region, ar.accountId, vaultName);
}

function heldPointArn(org: OrgPlan, resource: ResourcePlan, slot: PointSlot) {
  const ar = org.accountRegions[resource.accountRegion];
  const id = stableId(
    'synthetic',
    org.options.seed,
    resource.index,
    slot.ordinal,
  );
  return `arn:aws:backup:${ar.region}:${ar.accountId}:recovery-point:${id}`;
}

function recoveryPoint(
  org: OrgPlan,
  resource: ResourcePlan,
  slot: PointSlot,
  recoveryPointArn: string | undefined,
): Json {
  const point: Json = { ResourceArn: resource.arn };
  if (recoveryPointArn) point.RecoveryPointArn = recoveryPointArn;
  point.CreationDate = ago(slot.ageMinutes);
  if (slot.status) point.Status = slot.status;
  point.BackupSizeInBytes = slot.sizeBytes;
  if (!resource.encrypted) point.IsEncrypted = false;
  point.Lifecycle = {
    DeleteAfterDays: slot.copy?.deleteAfterDays ?? slot.rule.deleteAfterDays,
  };
  point.CreatedBy = createdBy(slot.rule);
  if (slot.copy) {
    point.SourceBackupVaultArn = homeVaultArn(
      org,
      resource,
      slot.rule.vaultName,
    );
  }
  return point;
}

function failedBackupJob(
  resource: ResourcePlan,
  rule: RuleSpec,
  ageMinutes: number,
  random: Random,
): Json {
  const [State, StatusMessage] = weighted<[string, string]>(random, [
    [['FAILED', 'Insufficient privileges to perform this action.'], 0.5],
    [
      ['FAILED', 'The resource is in a state that does not allow a backup.'],
      0.2,
    ],
    [['EXPIRED', 'Backup job did not start within the start window.'], 0.2],
    [['ABORTED', 'Backup job was aborted: completion window exceeded.'], 0.1],
  ]);
  return {
    ResourceArn: resource.arn,
    BackupVaultName: rule.vaultName,
    State,
    StatusMessage,
    CreationDate: ago(ageMinutes),
    CompletionDate: ago(ageMinutes - between(random, 1, 60)),
    CreatedBy: createdBy(rule),
  };
}

/**
 * Jobs of the newest daily points, plus failures: every missed day of a stale
 * resource, and now and then a failure that a later success repaired.
 */
function backupJobs(
  resource: ResourcePlan,
  own: PointSlot[],
  random: Random,
): Json[] {
  const dailies = own.filter(s => s.rule.name === 'daily' && !s.status);
  const jobs: Json[] = [];
  for (const slot of dailies.slice(0, 2)) {
    if (slot.ageMinutes > JOB_HISTORY) break;
    jobs.push({
      ResourceArn: resource.arn,
      BackupVaultName: slot.rule.vaultName,
      State: 'COMPLETED',
      BackupSizeInBytes: slot.sizeBytes,
      CreationDate: ago(slot.ageMinutes),
      CompletionDate: ago(slot.ageMinutes - between(random, 5, 90)),
      CreatedBy: createdBy(slot.rule),
    });
  }
  const newest = dailies[0];
  if (!newest) return jobs;
  const missedDays = Math.min(10, Math.floor(newest.ageMinutes / DAY));
  for (let day = 1; day <= missedDays; day++) {
    const age = newest.ageMinutes - day * DAY + between(random, 0, 30);
    jobs.push(failedBackupJob(resource, newest.rule, age, random));
  }
  if (missedDays === 0 && random() < 0.05) {
    jobs.push(
      failedBackupJob(resource, newest.rule, newest.ageMinutes + 600, random),
    );
  }
  return jobs;
}

function copyJobs(
  org: OrgPlan,
  resource: ResourcePlan,
  copies: PointSlot[],
  random: Random,
): Json[] {
  const jobs: Json[] = [];
  for (const slot of copies) {
    if (slot.ageMinutes > JOB_HISTORY) continue;
    jobs.push({
      ResourceArn: resource.arn,
      SourceBackupVaultArn: homeVaultArn(org, resource, slot.rule.vaultName),
      DestinationBackupVaultArn: slot.copy!.vaultArn,
      State: 'COMPLETED',
      BackupSizeInBytes: slot.sizeBytes,
      CreationDate: ago(slot.ageMinutes + between(random, 10, 60)),
      CompletionDate: ago(slot.ageMinutes),
      CreatedBy: createdBy(slot.rule),
    });
  }
  const newest = copies[0];
  if (newest && newest.ageMinutes + DAY <= JOB_HISTORY && random() < 0.03) {
    jobs.push({
      ResourceArn: resource.arn,
      SourceBackupVaultArn: homeVaultArn(org, resource, newest.rule.vaultName),
      DestinationBackupVaultArn: newest.copy!.vaultArn,
      State: 'FAILED',
      StatusMessage: 'Access denied to the destination vault key.',
      CreationDate: ago(newest.ageMinutes + DAY),
      CompletionDate: ago(newest.ageMinutes + DAY - 5),
      CreatedBy: createdBy(newest.rule),
    });
  }
  return jobs;
}

function restoreTestingPlanArn(org: OrgPlan, ar: AccountRegionPlan): string {
  const id = stableId('synthetic', org.options.seed, ar.accountId, ar.region);
  const name = `${RESTORE_TESTING_PLAN}-${id.slice(0, 6)}`;
  return `arn:aws:backup:${ar.region}:${ar.accountId}:restore-testing-plan:${name}`;
}

/** Test restores of the last 60 days: mostly validated, some failed or timed out, some slow. */
function restoreTestJobs(
  org: OrgPlan,
  ar: AccountRegionPlan,
  resource: ResourcePlan,
  random: Random,
): Json[] {
  if (!ar.setup.restoreTesting || !resource.tags?.[RESTORE_TESTING_TAG]) {
    return [];
  }
  const count = weighted(random, [
    [0, 0.1],
    [1, 0.7],
    [2, 0.2],
  ]);
  const jobs: Json[] = [];
  for (let n = 0; n < count; n++) {
    const age = between(random, 60, 60 * DAY);
    const duration = weighted(random, [
      [between(random, 10, 120), 0.8],
      [between(random, 121, 600), 0.2],
    ]);
    const status = weighted(random, [
      ['COMPLETED', 0.92],
      ['FAILED', 0.05],
      ['ABORTED', 0.03],
    ]);
    const job: Json = {
      SourceResourceArn: resource.arn,
      CreatedResourceArn: `${resource.arn}-restore-test-${n + 1}`,
      Status: status,
      BackupSizeInBytes: between(random, 1, 500) * GIB,
      CreationDate: ago(age),
      CompletionDate: ago(age - duration),
      RecoveryPointCreationDate: ago(age + between(random, 60, 7 * DAY)),
      CreatedBy: { RestoreTestingPlanArn: restoreTestingPlanArn(org, ar) },
    };
    if (status === 'COMPLETED') {
      const validation = weighted<string | undefined>(random, [
        ['SUCCESSFUL', 0.85],
        ['FAILED', 0.07],
        ['TIMED_OUT', 0.05],
        [undefined, 0.03],
      ]);
      if (validation) job.ValidationStatus = validation;
      if (validation === 'FAILED') {
        job.ValidationStatusMessage = 'Validation script exited with code 1.';
      }
      job.DeletionStatus = 'SUCCESSFUL';
    } else {
      job.StatusMessage =
        status === 'FAILED'
          ? 'Restore failed: the subnet group does not exist.'
          : 'Restore was cancelled.';
    }
    jobs.push(job);
  }
  return jobs;
}

function legalHold(
  org: OrgPlan,
  ar: AccountRegionPlan,
  resource: ResourcePlan,
  arns: string[],
): Json {
  const random = streamRandom(org.options.seed, STREAM.legalHold, ar.index);
  const caseNumber = between(random, 1, 999);
  const subject = resource.tags?.app ?? resource.arn;
  const hold: Json = {
    Title: `Case ${caseNumber}`,
    Description: `Preserve backups of ${subject} for case ${caseNumber}`,
    Status: random() < 0.8 ? 'ACTIVE' : 'CANCELED',
    CreationDate: `-${between(random, 10, 400)}d`,
    RecoveryPointArns: arns,
  };
  if (hold.Status === 'CANCELED') {
    hold.CancellationDate = `-${between(random, 1, 9)}d`;
    hold.RetainRecordUntil = '+365d';
  }
  return hold;
}

function vault(
  org: OrgPlan,
  ar: AccountRegionPlan,
  name: string,
  lock: VaultLock,
  customerKey: boolean,
): Json {
  const doc: Json = { BackupVaultName: name, CreationDate: '-900d' };
  if (customerKey) {
    const key = stableId(
      'synthetic',
      org.options.seed,
      ar.accountId,
      ar.region,
      name,
    );
    doc.EncryptionKeyArn = `arn:aws:kms:${ar.region}:${ar.accountId}:key/${key}`;
    doc.EncryptionKeyType = 'CUSTOMER_MANAGED_KMS_KEY';
  } else {
    doc.EncryptionKeyType = 'AWS_OWNED_KMS_KEY';
  }
  doc.Locked = lock !== 'none';
  // Governance mode has no lock date; compliance mode's date has passed.
  if (lock === 'compliance') doc.LockDate = `-${ar.setup.lockAgeDays}d`;
  if (lock !== 'none') {
    doc.MinRetentionDays = ar.setup.minRetentionDays;
    doc.MaxRetentionDays = 3650;
  }
  return doc;
}

function vaults(org: OrgPlan, ar: AccountRegionPlan): Json[] {
  if (ar.central) return [vault(org, ar, CENTRAL_VAULT, 'compliance', true)];
  const { setup } = ar;
  return [
    vault(org, ar, 'transactions-vault', setup.transactionsLock, true),
    vault(
      org,
      ar,
      'rewards-vault',
      setup.rewardsLock,
      setup.rewardsCustomerKey,
    ),
    vault(org, ar, 'Default', 'none', false),
  ];
}

function backupPlans(ar: AccountRegionPlan): Json[] {
  if (ar.central) return [];
  return POLICIES.map(policy => ({
    BackupPlanId: ar.rules[policy][0].planId,
    BackupPlanName: `${policy}-plan`,
    CreationDate: '-700d',
    Rules: ar.rules[policy].map(rule => ({
      RuleName: rule.name,
      TargetBackupVaultName: rule.vaultName,
      ScheduleExpression: rule.cron,
      StartWindowMinutes: 60,
      CompletionWindowMinutes: 1440,
      Lifecycle: { DeleteAfterDays: rule.deleteAfterDays },
      ...(rule.copies.length > 0
        ? {
            CopyActions: rule.copies.map(copy => ({
              DestinationBackupVaultArn: copy.vaultArn,
              Lifecycle: { DeleteAfterDays: copy.deleteAfterDays },
            })),
          }
        : {}),
    })),
    Selections: [
      {
        SelectionName: `tagged-${policy}`,
        ListOfTags: [
          {
            ConditionType: 'STRINGEQUALS',
            ConditionKey: POLICY_TAG,
            ConditionValue: policy,
          },
        ],
      },
    ],
  }));
}

function restoreTestingPlans(org: OrgPlan, ar: AccountRegionPlan): Json[] {
  if (ar.central || !ar.setup.restoreTesting) return [];
  return [
    {
      RestoreTestingPlanName: RESTORE_TESTING_PLAN,
      RestoreTestingPlanArn: restoreTestingPlanArn(org, ar),
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      StartWindowHours: 24,
      CreationTime: '-400d',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: ['*'],
        RecoveryPointTypes: ['SNAPSHOT'],
        SelectionWindowDays: 7,
      },
      Selections: RESOURCE_KINDS.map(kind => ({
        RestoreTestingSelectionName: `${kind.toLowerCase()}_candidates`,
        ProtectedResourceType: kind,
        ProtectedResourceConditions: {
          StringEquals: [
            { Key: `aws:ResourceTag/${RESTORE_TESTING_TAG}`, Value: 'true' },
          ],
        },
        ValidationWindowHours: 4,
      })),
    },
  ];
}

/** Running totals of what was generated, for the summary. */
type Counts = {
  recoveryPoints: number;
  backupJobs: number;
  copyJobs: number;
  restoreJobs: number;
  legalHolds: number;
};

/** One account-region of the scenario: its own resources' data and the copies it receives. */
function accountRegionDocument(
  org: OrgPlan,
  index: number,
  counts: Counts,
): Json {
  const ar = org.accountRegions[index];
  const pointsByVault = new Map<string, Json[]>();
  const addPoint = (vaultName: string, point: Json) => {
    const list = pointsByVault.get(vaultName) ?? [];
    list.push(point);
    pointsByVault.set(vaultName, list);
  };
  const jobs = {
    backup: [] as Json[],
    copy: [] as Json[],
    restore: [] as Json[],
  };
  const holds: Json[] = [];
  for (const r of ar.resources) {
    const resource = org.resources[r];
    if (!resource.policy || resource.points === 0) continue;
    const slots = pointSlots(org, resource);
    const own = slots.filter(s => !s.copy);
    // The oldest points are the ones a case is about.
    const held =
      ar.legalHoldResource === r ? new Set(own.slice(-5)) : undefined;
    const heldArns: string[] = [];
    for (const slot of own) {
      const arn = held?.has(slot)
        ? heldPointArn(org, resource, slot)
        : undefined;
      if (arn) heldArns.push(arn);
      addPoint(slot.rule.vaultName, recoveryPoint(org, resource, slot, arn));
    }
    const random = streamRandom(org.options.seed, STREAM.jobs, r);
    jobs.backup.push(...backupJobs(resource, own, random));
    jobs.copy.push(
      ...copyJobs(
        org,
        resource,
        slots.filter(s => s.copy),
        random,
      ),
    );
    jobs.restore.push(...restoreTestJobs(org, ar, resource, random));
    if (heldArns.length > 0) holds.push(legalHold(org, ar, resource, heldArns));
  }
  for (const r of ar.incomingCopies) {
    const resource = org.resources[r];
    for (const slot of pointSlots(org, resource)) {
      if (slot.copy?.accountRegion !== index) continue;
      addPoint(
        slot.copy.vaultName,
        recoveryPoint(org, resource, slot, undefined),
      );
    }
  }
  const backupVaults = vaults(org, ar).map(v => ({
    ...v,
    RecoveryPoints: pointsByVault.get(v.BackupVaultName as string) ?? [],
  }));
  for (const v of backupVaults) {
    counts.recoveryPoints += v.RecoveryPoints.length;
  }
  counts.backupJobs += jobs.backup.length;
  counts.copyJobs += jobs.copy.length;
  counts.restoreJobs += jobs.restore.length;
  counts.legalHolds += holds.length;
  return {
    Region: ar.region,
    Resources: ar.resources.map(r => {
      const { arn, tags } = org.resources[r];
      return tags ? { ResourceARN: arn, Tags: tags } : { ResourceARN: arn };
    }),
    BackupVaults: backupVaults,
    BackupPlans: backupPlans(ar),
    BackupJobs: jobs.backup,
    CopyJobs: jobs.copy,
    RestoreJobs: jobs.restore,
    RestoreTestingPlans: restoreTestingPlans(org, ar),
    LegalHolds: holds,
  };
}

function describeOrg(options: SyntheticOrgOptions): string {
  const { entities, resources, accountRegions, recoveryPoints, seed } = options;
  return (
    `Synthetic org (emulator generate --seed ${seed}): ${entities} components, ` +
    `${resources} resources, ${accountRegions} account-regions, ` +
    `${recoveryPoints} recovery points. Times are relative to load time.`
  );
}

function accountHeader(account: AccountPlan): Json {
  return { AccountId: account.accountId, Name: account.name, Regions: [] };
}

/**
 * The scenario as JSON text, one account-region at a time, so the full-size
 * org never sits in memory at once; the text equals JSON.stringify of
 * `generateSyntheticOrg(...).scenario`.
 */
function* scenarioJsonChunks(org: OrgPlan, counts: Counts): Generator<string> {
  const description = JSON.stringify(describeOrg(org.options));
  yield `{"Description":${description},"Accounts":[`;
  for (const [a, account] of org.accounts.entries()) {
    // Regions is the header's last field: drop its closing `]}` and fill it.
    const header = JSON.stringify(accountHeader(account)).slice(0, -2);
    yield a > 0 ? `,${header}` : header;
    for (const [k, index] of account.accountRegions.entries()) {
      const region = JSON.stringify(accountRegionDocument(org, index, counts));
      yield k > 0 ? `,${region}` : region;
    }
    yield ']}';
  }
  yield ']}';
}

function componentAnnotations(
  org: OrgPlan,
  entity: EntityPlan,
): Record<string, string> | undefined {
  if (!entity.annotated) return undefined;
  const prod = entity.resources
    .map(i => org.resources[i])
    .filter(r => r.tags?.env === 'prod')
    .map(r => org.accountRegions[r.accountRegion]);
  const accounts = [...new Set(prod.map(ar => ar.accountId))].sort();
  const regions = [...new Set(prod.map(ar => ar.region))].sort();
  const annotations: Record<string, string> = {
    [ANNOTATIONS.tags]: `app=${entity.name},env=prod`,
  };
  if (entity.withPolicy) annotations[ANNOTATIONS.policy] = entity.dataClass;
  if (entity.withAccounts && accounts.length > 0) {
    annotations[ANNOTATIONS.accounts] = accounts.join(',');
  }
  if (entity.withRegions && regions.length > 0) {
    annotations[ANNOTATIONS.regions] = regions.join(',');
  }
  if (entity.piiDays) annotations[ANNOTATIONS.piiDays] = String(entity.piiDays);
  if (entity.malformed) malform(annotations, entity, accounts[0]);
  return annotations;
}

/** The mistakes people make when typing annotations by hand. */
function malform(
  annotations: Record<string, string>,
  entity: EntityPlan,
  account: string | undefined,
) {
  switch (entity.malformed) {
    case 'tags-colon':
      annotations[ANNOTATIONS.tags] = `app:${entity.name},env:prod`;
      break;
    case 'tags-empty-entry':
      annotations[ANNOTATIONS.tags] = `app=${entity.name},,env=prod`;
      break;
    case 'policy-name':
      annotations[ANNOTATIONS.policy] = `${entity.dataClass} (7 years)`;
      break;
    case 'accounts-short':
      // Two digits lost in copy and paste.
      annotations[ANNOTATIONS.accounts] = (
        account ?? String(FIRST_ACCOUNT_ID)
      ).slice(0, 10);
      break;
    case 'regions-city':
      annotations[ANNOTATIONS.regions] = 'frankfurt';
      break;
    default:
      annotations[ANNOTATIONS.piiDays] = `${entity.piiDays ?? 30} days`;
  }
}

const API_VERSION = 'backstage.io/v1alpha1';
const ORGANIZATION = 'synthetic-bank';

function catalogEntities(org: OrgPlan): Json[] {
  const domains = org.domains.map(domain => ({
    apiVersion: API_VERSION,
    kind: 'Domain',
    metadata: { name: domain.name },
    spec: { owner: domain.owner },
  }));
  const root = {
    apiVersion: API_VERSION,
    kind: 'Group',
    metadata: { name: ORGANIZATION, title: 'Synthetic Bank' },
    spec: { type: 'organization', children: org.teams.map(t => t.name) },
  };
  const teams = org.teams.map(team => ({
    apiVersion: API_VERSION,
    kind: 'Group',
    metadata: { name: team.name },
    spec: { type: 'team', parent: ORGANIZATION, children: [] },
  }));
  const systems = org.teams.flatMap(team =>
    team.systems.map(system => ({
      apiVersion: API_VERSION,
      kind: 'System',
      metadata: { name: system },
      spec: { owner: team.name, domain: team.domain },
    })),
  );
  const components = org.entities.map(entity => {
    const annotations = componentAnnotations(org, entity);
    return {
      apiVersion: API_VERSION,
      kind: 'Component',
      metadata: { name: entity.name, ...(annotations ? { annotations } : {}) },
      spec: {
        type: 'service',
        lifecycle: entity.lifecycle,
        owner: entity.team,
        system: entity.system,
      },
    };
  });
  return [...domains, root, ...teams, ...systems, ...components];
}

/** Renders catalog entities as one multi-document catalog file. */
export function syntheticCatalogYaml(
  options: SyntheticOrgOptions,
  entities: Json[],
): string {
  const header = `# ${describeOrg(options)} Regenerate rather than edit.\n`;
  // lineWidth 0: long annotation values stay on one line.
  return (
    header +
    entities.map(e => `---\n${stringify(e, { lineWidth: 0 })}`).join('')
  );
}

function emptyCounts(): Counts {
  return {
    recoveryPoints: 0,
    backupJobs: 0,
    copyJobs: 0,
    restoreJobs: 0,
    legalHolds: 0,
  };
}

/** Builds a synthetic org in memory: catalog entities and the scenario (small sizes; tests). */
export function generateSyntheticOrg(
  options: SyntheticOrgOptions,
): SyntheticOrg {
  const org = planOrg(options);
  const counts = emptyCounts();
  return {
    catalog: catalogEntities(org),
    scenario: {
      Description: describeOrg(org.options),
      Accounts: org.accounts.map(account => ({
        ...accountHeader(account),
        Regions: account.accountRegions.map(i =>
          accountRegionDocument(org, i, counts),
        ),
      })),
    },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/**
 * Writes `catalog.yaml` and `scenario.json` for a synthetic org into `outDir`
 * and returns a one-paragraph summary. The scenario is written one
 * account-region at a time, so memory stays modest at any size.
 */
export async function writeSyntheticOrg(
  outDir: string,
  options: SyntheticOrgOptions,
): Promise<string> {
  const started = Date.now();
  const org = planOrg(options);
  await mkdir(outDir, { recursive: true });
  const catalog = catalogEntities(org);
  const catalogFile = join(outDir, 'catalog.yaml');
  await writeFile(catalogFile, syntheticCatalogYaml(options, catalog));
  const scenarioFile = join(outDir, 'scenario.json');
  const counts = emptyCounts();
  const handle = await open(scenarioFile, 'w');
  try {
    for (const chunk of scenarioJsonChunks(org, counts)) {
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  const [catalogSize, scenarioSize] = await Promise.all(
    [catalogFile, scenarioFile].map(async file => (await stat(file)).size),
  );
  const systems = org.teams.reduce((n, t) => n + t.systems.length, 0);
  const unprotected = org.resources.filter(r => r.points === 0).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return [
    `Wrote ${catalogFile} (${megabytes(catalogSize)}):`,
    `${options.entities} components owned by ${org.teams.length} teams`,
    `in ${systems} systems and ${org.domains.length} domains.`,
    `Wrote ${scenarioFile} (${megabytes(scenarioSize)}):`,
    `${org.accounts.length} accounts, ${org.accountRegions.length} account-regions,`,
    `${org.resources.length} resources (${unprotected} without backups),`,
    `${counts.recoveryPoints} recovery points, ${counts.backupJobs} backup jobs,`,
    `${counts.copyJobs} copy jobs, ${counts.restoreJobs} test restore jobs,`,
    `${counts.legalHolds} legal holds; seed ${options.seed}, in ${seconds} s.`,
  ].join(' ');
}
