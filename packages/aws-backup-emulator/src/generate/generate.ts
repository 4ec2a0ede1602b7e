import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { catalogEntities } from './catalog';
import { Json } from './orgPlan';
import { planOrg } from './planOrg';
import {
  accountHeader,
  accountRegionDocument,
  describeOrg,
  emptyCounts,
  scenarioJsonChunks,
} from './scenarioDocuments';

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

/** A synthetic org in memory: Backstage catalog entities and an emulator scenario. */
export type SyntheticOrg = {
  catalog: Json[];
  scenario: { Description: string; Accounts: Json[] };
};

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

/**
 * The accounts of a synthetic org, with their regions and the access key ids the emulator
 * knows them by: what a backend's `aws.accounts` needs, without generating the data.
 */
export function syntheticOrgAccounts(
  options: SyntheticOrgOptions,
): Array<{ accountId: string; accessKeyId: string; regions: string[] }> {
  const org = planOrg(options);
  return org.accounts.map(account => ({
    accountId: account.accountId,
    accessKeyId: `AKID${account.accountId}`,
    regions: account.accountRegions.map(i => org.accountRegions[i].region),
  }));
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
