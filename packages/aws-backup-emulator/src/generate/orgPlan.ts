import type { SyntheticOrgOptions } from './generate';

export type Json = Record<string, unknown>;

export const FIRST_ACCOUNT_ID = 100_000_000_001;
export const CENTRAL_VAULT = 'central-vault';

export const POLICIES = ['transactions-db', 'rewards-db', 'default'] as const;
export type Policy = (typeof POLICIES)[number];

export const POLICY_TAG = 'backup-policy';
export const RESTORE_TESTING_TAG = 'restore-testing-candidate';

export const RESOURCE_KINDS = [
  'RDS',
  'Aurora',
  'DynamoDB',
  'EFS',
  'EBS',
  'S3',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export type Tier = 'daily' | 'monthly' | 'yearly';
export type VaultLock = 'compliance' | 'governance' | 'none';

export type CopyTarget = {
  accountRegion: number;
  vaultName: string;
  vaultArn: string;
  deleteAfterDays: number;
};

export type RuleSpec = {
  name: Tier;
  cron: string;
  deleteAfterDays: number;
  vaultName: string;
  planId: string;
  copies: CopyTarget[];
};

/** What varies between account-regions: where each one is right or wrong. */
export type AccountRegionSetup = {
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

export type AccountPlan = {
  accountId: string;
  name: string;
  accountRegions: number[];
};

export type AccountRegionPlan = {
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

export type Malformation =
  | 'tags-colon'
  | 'tags-empty-entry'
  | 'policy-name'
  | 'accounts-short'
  | 'regions-city'
  | 'pii-words';
export const MALFORMATIONS: Malformation[] = [
  'tags-colon',
  'tags-empty-entry',
  'policy-name',
  'accounts-short',
  'regions-city',
  'pii-words',
];

export type EntityPlan = {
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

export type ResourcePlan = {
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

export type TeamPlan = { name: string; domain: string; systems: string[] };

export type OrgPlan = {
  options: SyntheticOrgOptions;
  accounts: AccountPlan[];
  accountRegions: AccountRegionPlan[];
  domains: Array<{ name: string; owner: string }>;
  teams: TeamPlan[];
  entities: EntityPlan[];
  resources: ResourcePlan[];
};

/**
 * A rule's lifecycle: yearly points move to cold storage after 90 days where they are
 * kept long enough for it (AWS asks 90 days in cold storage at least).
 */
export function lifecycleOf(tier: string, deleteAfterDays: number): Json {
  return tier === 'yearly' && deleteAfterDays >= 180
    ? { DeleteAfterDays: deleteAfterDays, MoveToColdStorageAfterDays: 90 }
    : { DeleteAfterDays: deleteAfterDays };
}
