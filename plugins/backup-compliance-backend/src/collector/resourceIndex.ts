import { TaggedResource } from './types';

export type IndexedResource = TaggedResource & {
  accountId: string;
  region: string;
};

export type EntityResourceQuery = {
  entityRef: string;
  resourceTags: Record<string, string>;
  accounts?: string[];
  regions?: string[];
};

const posting = (key: string, value: string) => `${key}\u0000${value}`;

/**
 * An inverted index from `key=value` to resources, so matching an entity costs
 * the size of its smallest posting list, not a scan of every resource.
 */
export class ResourceIndex {
  private readonly postings = new Map<string, number[]>();

  constructor(private readonly resources: IndexedResource[]) {
    resources.forEach((resource, i) => {
      for (const [key, value] of Object.entries(resource.tags)) {
        const id = posting(key, value);
        const list = this.postings.get(id);
        if (list) list.push(i);
        else this.postings.set(id, [i]);
      }
    });
  }

  /** Resources carrying all the entity's tags, within its accounts and regions. */
  match(query: EntityResourceQuery): IndexedResource[] {
    const lists = Object.entries(query.resourceTags).map(
      ([key, value]) => this.postings.get(posting(key, value)) ?? [],
    );
    if (lists.length === 0 || lists.some(list => list.length === 0)) {
      return [];
    }
    lists.sort((a, b) => a.length - b.length);
    const others = lists.slice(1).map(list => new Set(list));
    const accounts = query.accounts ? new Set(query.accounts) : undefined;
    const regions = query.regions ? new Set(query.regions) : undefined;
    return lists[0]
      .filter(i => others.every(set => set.has(i)))
      .map(i => this.resources[i])
      .filter(
        r =>
          (!accounts || accounts.has(r.accountId)) &&
          (!regions || regions.has(r.region)),
      );
  }
}
