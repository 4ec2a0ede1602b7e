import { stableId, vaultArn } from '../scenario/ids';
import type { SyntheticOrgOptions } from './generate';
import {
  AccountPlan,
  AccountRegionPlan,
  AccountRegionSetup,
  CENTRAL_VAULT,
  CopyTarget,
  FIRST_ACCOUNT_ID,
  OrgPlan,
  Policy,
  RuleSpec,
  Tier,
  VaultLock,
} from './orgPlan';
import { between, Random, STREAM, streamRandom, weighted } from './random';

const REGIONS = ['eu-central-1', 'eu-west-1', 'eu-north-1'];

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
export function planAccounts(
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
export function planRules(
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
