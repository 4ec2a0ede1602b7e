import { EntityPlan, FIRST_ACCOUNT_ID, Json, OrgPlan } from './orgPlan';

const ANNOTATIONS = {
  tags: 'aws.amazon.com/backup-resource-tags',
  policy: 'aws.amazon.com/backup-policy',
  accounts: 'aws.amazon.com/backup-accounts',
  regions: 'aws.amazon.com/backup-regions',
  piiDays: 'aws.amazon.com/backup-pii-deletion-days',
};

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

export function catalogEntities(org: OrgPlan): Json[] {
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
