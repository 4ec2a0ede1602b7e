import {
  DescribePolicyCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import { CollectedOrganizationPolicy } from './judgeOrganizationPolicies';

async function all<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

const TARGET_TYPES = new Set(['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT']);

/**
 * Reads the organization's backup policies (`BACKUP_POLICY`) from the management
 * account or a delegated administrator: each document, its targets, and the
 * accounts the targets resolve to (a root or unit: every account below it).
 */
export async function collectOrganization(
  client: OrganizationsClient,
): Promise<CollectedOrganizationPolicy[]> {
  const paging = { client, pageSize: 20 };
  const accountsBelow = new Map<string, Promise<string[]>>();
  const resolve = (parentId: string): Promise<string[]> => {
    let found = accountsBelow.get(parentId);
    if (!found) {
      found = (async () => {
        const [accounts, units] = await Promise.all([
          all(
            paginateListAccountsForParent(paging, { ParentId: parentId }),
            p => p.Accounts,
          ),
          all(
            paginateListOrganizationalUnitsForParent(paging, {
              ParentId: parentId,
            }),
            p => p.OrganizationalUnits,
          ),
        ]);
        const below = await Promise.all(units.map(u => resolve(u.Id!)));
        return [
          ...accounts.filter(a => a.Status !== 'SUSPENDED').map(a => a.Id!),
          ...below.flat(),
        ];
      })();
      accountsBelow.set(parentId, found);
    }
    return found;
  };

  const summaries = await all(
    paginateListPolicies(paging, { Filter: 'BACKUP_POLICY' }),
    p => p.Policies,
  );
  return Promise.all(
    summaries.map(async summary => {
      const [{ Policy }, targets] = await Promise.all([
        client.send(new DescribePolicyCommand({ PolicyId: summary.Id })),
        all(
          paginateListTargetsForPolicy(paging, { PolicyId: summary.Id }),
          p => p.Targets,
        ),
      ]);
      let content: unknown;
      try {
        content = JSON.parse(Policy?.Content ?? '{}');
      } catch (error) {
        throw new Error(
          `Backup policy ${summary.Name} (${summary.Id}) is not valid JSON: ${
            (error as Error).message
          }`,
        );
      }
      const accounts = await Promise.all(
        targets.map(t =>
          t.Type === 'ACCOUNT' ? [t.TargetId!] : resolve(t.TargetId!),
        ),
      );
      return {
        id: summary.Id!,
        name: summary.Name ?? summary.Id!,
        description: summary.Description || undefined,
        arn: summary.Arn,
        targets: targets
          .filter(t => TARGET_TYPES.has(t.Type ?? ''))
          .map(t => ({
            id: t.TargetId!,
            name: t.Name,
            type: t.Type as 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT',
          })),
        accounts: [...new Set(accounts.flat())].sort(),
        content,
      };
    }),
  );
}
