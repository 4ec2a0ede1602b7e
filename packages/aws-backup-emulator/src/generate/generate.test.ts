import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseScenario } from '../scenario/loadScenario';
import {
  generateSyntheticOrg,
  SyntheticOrg,
  SyntheticOrgOptions,
  syntheticCatalogYaml,
  writeSyntheticOrg,
} from './generate';

const SMALL: SyntheticOrgOptions = {
  entities: 120,
  resources: 400,
  accountRegions: 9,
  recoveryPoints: 6000,
  seed: 7,
};

// Enough entities that the rarer annotation variants (1%, 4%) all show up.
const VARIED: SyntheticOrgOptions = {
  entities: 1500,
  resources: 2000,
  accountRegions: 12,
  recoveryPoints: 8000,
  seed: 3,
};

const TAGS = 'aws.amazon.com/backup-resource-tags';

type Json = Record<string, any>;

function regionsOf(org: SyntheticOrg): Array<Json & { AccountId: string }> {
  return org.scenario.Accounts.flatMap((account: Json) =>
    account.Regions.map((region: Json) => ({
      ...region,
      AccountId: account.AccountId,
    })),
  );
}

function pointsOf(region: Json): Json[] {
  return region.BackupVaults.flatMap((vault: Json) => vault.RecoveryPoints);
}

function ofKind(org: SyntheticOrg, kind: string): Json[] {
  return org.catalog.filter(entity => entity.kind === kind);
}

/** The annotation's tags, or undefined when they are not `key=value` pairs. */
function wellFormedTags(value: string): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  for (const pair of value.split(',').map(p => p.trim())) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tags;
}

describe('generateSyntheticOrg', () => {
  it.each([
    ['a small org', SMALL],
    ['one account-region', { ...SMALL, accountRegions: 1 }],
    ['fewer points than resources', { ...SMALL, recoveryPoints: 50 }],
    ['fewer resources than entities', { ...SMALL, resources: 80 }],
    [
      'more points than any history holds',
      { ...SMALL, resources: 3, entities: 2, recoveryPoints: 500 },
    ],
  ])(
    'creates exactly the requested counts for %s',
    (_name, options: SyntheticOrgOptions) => {
      const org = generateSyntheticOrg(options);
      const regions = regionsOf(org);
      expect(ofKind(org, 'Component')).toHaveLength(options.entities);
      expect(regions).toHaveLength(options.accountRegions);
      expect(regions.flatMap(r => r.Resources)).toHaveLength(options.resources);
      expect(regions.flatMap(pointsOf)).toHaveLength(options.recoveryPoints);
    },
  );

  it('gives identical output for the same seed and different output for another', () => {
    const first = JSON.stringify(generateSyntheticOrg(SMALL));
    expect(JSON.stringify(generateSyntheticOrg(SMALL))).toBe(first);
    expect(
      JSON.stringify(generateSyntheticOrg({ ...SMALL, seed: 8 })),
    ).not.toBe(first);
  });

  it.each([
    ['a small org', SMALL],
    ['a varied org', VARIED],
  ])(
    'builds a scenario that passes the emulator’s loader for %s',
    (_name, options) => {
      const { scenario } = generateSyntheticOrg(options);
      const loaded = parseScenario(scenario);
      const regions = loaded.accounts.flatMap(a => [...a.regions.values()]);
      expect(regions.reduce((n, r) => n + r.recoveryPoints.length, 0)).toBe(
        options.recoveryPoints,
      );
    },
  );

  it('uses only relative times, so the output does not depend on today', () => {
    const text = JSON.stringify(generateSyntheticOrg(SMALL).scenario);
    expect(text).not.toMatch(/"\d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/"CreationDate":"-\d+m"/);
  });

  it('gives every opted-in entity with well-formed tags at least one matching resource', () => {
    const org = generateSyntheticOrg(VARIED);
    const resources = regionsOf(org).flatMap(r => r.Resources);
    const byApp = new Map<string, Json[]>();
    for (const resource of resources) {
      const app = resource.Tags?.app;
      if (app) byApp.set(app, [...(byApp.get(app) ?? []), resource]);
    }
    const optedIn = ofKind(org, 'Component').filter(
      e => e.metadata.annotations?.[TAGS],
    );
    const wellFormed = optedIn.filter(e =>
      wellFormedTags(e.metadata.annotations[TAGS]),
    );
    expect(wellFormed.length).toBeLessThan(optedIn.length);
    const unmatched = wellFormed.filter(entity => {
      const tags = wellFormedTags(entity.metadata.annotations[TAGS])!;
      return !(byApp.get(tags.app) ?? []).some(resource =>
        Object.entries(tags).every(([k, v]) => resource.Tags[k] === v),
      );
    });
    expect(unmatched.map(e => e.metadata.name)).toEqual([]);
  });

  it('mixes annotation variants the way a real catalog does', () => {
    const components = ofKind(generateSyntheticOrg(VARIED), 'Component');
    const share = (test: (annotations: Json) => boolean) =>
      components.filter(c => test(c.metadata.annotations ?? {})).length /
      components.length;
    expect(share(a => !a[TAGS])).toBeGreaterThan(0.02);
    expect(share(a => !a[TAGS])).toBeLessThan(0.08);
    expect(share(a => a['aws.amazon.com/backup-policy'])).toBeGreaterThan(0.6);
    expect(share(a => a['aws.amazon.com/backup-accounts'])).toBeGreaterThan(
      0.04,
    );
    expect(share(a => a['aws.amazon.com/backup-regions'])).toBeGreaterThan(
      0.04,
    );
    expect(
      share(a => a['aws.amazon.com/backup-pii-deletion-days']),
    ).toBeGreaterThan(0.02);
    const production = components.filter(
      c => c.spec.lifecycle === 'production',
    );
    expect(production.length / components.length).toBeGreaterThan(0.75);
  });

  it('names entities as Backstage allows and refers only to existing groups, systems and domains', () => {
    const org = generateSyntheticOrg(VARIED);
    const names = (kind: string) =>
      new Set(ofKind(org, kind).map(e => e.metadata.name));
    const groups = names('Group');
    const systems = names('System');
    const domains = names('Domain');
    for (const entity of org.catalog as Json[]) {
      expect(entity.metadata.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(entity.metadata.name.length).toBeLessThanOrEqual(63);
    }
    expect(names('Component').size).toBe(VARIED.entities);
    expect(groups.size).toBeGreaterThan(50);
    for (const component of ofKind(org, 'Component')) {
      expect(groups.has(component.spec.owner)).toBe(true);
      expect(systems.has(component.spec.system)).toBe(true);
    }
    for (const system of ofKind(org, 'System')) {
      expect(domains.has(system.spec.domain)).toBe(true);
    }
  });

  it('holds only recovery points that exist in the hold’s own account-region', () => {
    const regions = regionsOf(generateSyntheticOrg(VARIED));
    const holds = regions.flatMap(r => r.LegalHolds);
    expect(holds.length).toBeGreaterThan(0);
    for (const region of regions) {
      const arns = new Set(pointsOf(region).map(p => p.RecoveryPointArn));
      for (const hold of region.LegalHolds) {
        expect(hold.RecoveryPointArns.length).toBeGreaterThan(0);
        for (const arn of hold.RecoveryPointArns) {
          expect(arns.has(arn)).toBe(true);
          // EBS and EC2 snapshots have no account in their ARN.
          expect(arn).toMatch(
            new RegExp(`:${region.Region}:(${region.AccountId})?:`),
          );
        }
      }
    }
  });

  it('records each recovery point under a rule of its plan, with that rule’s retention', () => {
    const regions = regionsOf(generateSyntheticOrg(SMALL));
    const rules = new Map<string, Json>();
    for (const rule of regions.flatMap(r =>
      r.BackupPlans.flatMap((plan: Json) =>
        plan.Rules.map((x: Json) => ({ ...x, planId: plan.BackupPlanId })),
      ),
    )) {
      rules.set(`${rule.planId}/${rule.RuleName}`, rule);
    }
    for (const point of regions.flatMap(pointsOf)) {
      const { BackupPlanId, BackupRuleName, BackupRuleCron } = point.CreatedBy;
      const rule = rules.get(`${BackupPlanId}/${BackupRuleName}`)!;
      expect(rule.ScheduleExpression).toBe(BackupRuleCron);
      const retentions = [
        rule.Lifecycle.DeleteAfterDays,
        ...(rule.CopyActions ?? []).map(
          (c: Json) => c.Lifecycle.DeleteAfterDays,
        ),
      ];
      expect(retentions).toContain(point.Lifecycle.DeleteAfterDays);
    }
  });

  it('shows the states a compliance check has to tell apart', () => {
    const regions = regionsOf(generateSyntheticOrg(VARIED));
    const states = (items: Json[], field: string) =>
      new Set(items.map(item => item[field]));
    const vaults = regions.flatMap(r => r.BackupVaults);
    expect(vaults.some(v => v.Locked && v.LockDate)).toBe(true);
    expect(vaults.some(v => v.Locked && !v.LockDate)).toBe(true);
    expect(vaults.some(v => !v.Locked)).toBe(true);
    expect(states(vaults, 'EncryptionKeyType')).toEqual(
      new Set(['CUSTOMER_MANAGED_KMS_KEY', 'AWS_OWNED_KMS_KEY']),
    );
    const backupJobStates = states(
      regions.flatMap(r => r.BackupJobs),
      'State',
    );
    for (const state of ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED']) {
      expect(backupJobStates).toContain(state);
    }
    const restores = regions.flatMap(r => r.RestoreJobs);
    for (const status of ['SUCCESSFUL', 'FAILED', 'TIMED_OUT']) {
      expect(states(restores, 'ValidationStatus')).toContain(status);
    }
    expect(restores.every(r => r.CreatedBy.RestoreTestingPlanArn)).toBe(true);
    expect(regions.flatMap(r => r.CopyJobs).length).toBeGreaterThan(0);
    // Features real estates use: an air-gapped central vault, yearly points in cold storage.
    expect(
      vaults.filter(v => v.VaultType === 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT'),
    ).not.toHaveLength(0);
    const points = regions.flatMap(pointsOf);
    const yearly = points.filter(p => p.CreatedBy.BackupRuleName === 'yearly');
    expect(yearly).not.toHaveLength(0);
    expect(
      yearly.every(p => p.Lifecycle.MoveToColdStorageAfterDays === 90),
    ).toBe(true);
    expect(
      points
        .filter(p => p.CreatedBy.BackupRuleName !== 'yearly')
        .some(p => p.Lifecycle.MoveToColdStorageAfterDays !== undefined),
    ).toBe(false);
    // and the emulator accepts what it generates
    expect(() =>
      parseScenario(generateSyntheticOrg(VARIED).scenario),
    ).not.toThrow();
  });

  it('leaves about a tenth of the resources without backups', () => {
    const regions = regionsOf(generateSyntheticOrg(VARIED));
    const backedUp = new Set(regions.flatMap(pointsOf).map(p => p.ResourceArn));
    const resources = regions.flatMap(r => r.Resources);
    const share =
      resources.filter(r => !backedUp.has(r.ResourceARN)).length /
      resources.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
    expect(resources.some(r => !r.Tags)).toBe(true);
  });

  it('rejects resources without an account-region to put them in', () => {
    expect(() => generateSyntheticOrg({ ...SMALL, accountRegions: 0 })).toThrow(
      /account-region/,
    );
  });
});

describe('writeSyntheticOrg', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synthetic-org-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same catalog and scenario it builds in memory', async () => {
    const summary = await writeSyntheticOrg(join(dir, 'out'), SMALL);
    const org = generateSyntheticOrg(SMALL);
    const scenario = await readFile(join(dir, 'out', 'scenario.json'), 'utf8');
    const catalog = await readFile(join(dir, 'out', 'catalog.yaml'), 'utf8');
    expect(scenario).toBe(JSON.stringify(org.scenario));
    expect(catalog).toBe(syntheticCatalogYaml(SMALL, org.catalog));
    expect(parseAllDocuments(catalog).map(document => document.toJS())).toEqual(
      org.catalog,
    );
    expect(summary).toContain(`${SMALL.recoveryPoints} recovery points`);
  });
});
