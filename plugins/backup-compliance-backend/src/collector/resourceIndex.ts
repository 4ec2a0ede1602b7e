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

/** Whether the ascending list holds `id`. */
function contains(list: number[], id: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (list[middle] === id) return true;
    if (list[middle] < id) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

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
    const [smallest, ...others] = lists;
    const accounts = query.accounts ? new Set(query.accounts) : undefined;
    const regions = query.regions ? new Set(query.regions) : undefined;
    // Posting lists are ascending (built in resource order): each id of the smallest
    // is looked up in the others by binary search, so a tag shared by thousands of
    // resources (env=prod) costs a few steps per candidate, never a copy.
    return smallest
      .filter(i => others.every(list => contains(list, i)))
      .map(i => this.resources[i])
      .filter(
        r =>
          (!accounts || accounts.has(r.accountId)) &&
          (!regions || regions.has(r.region)),
      );
  }
}
