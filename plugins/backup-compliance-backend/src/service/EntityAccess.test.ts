import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PermissionCondition,
} from '@backstage/plugin-permission-common';
import { BackupStore } from '../database/BackupStore';
import { conditionalCatalogRead } from '../__testUtils__/conditionalCatalogRead';
import { waitUntil } from '../__testUtils__/waitUntil';
import { EntityAccess } from './EntityAccess';
import { candidatesOf } from './scorecard';

const refs = ['a', 'b', 'c', 'd'].map(n => `component:default/${n}`);
const ownedBy = (team: string) => ({
  rule: 'IS_ENTITY_OWNER',
  resourceType: 'catalog-entity',
  params: { claims: [`group:default/${team}`] },
});

/** A permission policy that makes `catalog.entity.read` conditional on each user's rule. */
const ruling = (ruleOf: (userEntityRef: string) => PermissionCondition) =>
  ({
    authorizeConditional: conditionalCatalogRead(credentials =>
      ruleOf(credentials.principal.userEntityRef),
    ),
  } as any);

/**
 * A permission policy that answers each user's `catalog.entity.read` with their team's
 * rule, and a catalog that applies those rules: each entity readable by the teams listed.
 */
function setUp(conditionsTtlMs?: number) {
  const teamOf: Record<string, string> = {
    'user:default/ann': 'payments',
    'user:default/bob': 'payments',
    'user:default/eve': 'cards',
  };
  const readers = new Map<string, string[]>([
    [refs[0], ['payments']],
    [refs[1], ['payments', 'cards']],
    [refs[2], ['cards']],
    [refs[3], ['payments']],
  ]);
  const asked: string[][] = [];
  let clock = 1_000_000;
  const access = new EntityAccess({
    permissions: ruling(user => ownedBy(teamOf[user])),
    catalog: {
      getEntitiesByRefs: async ({ entityRefs }: any, { credentials }: any) => {
        asked.push(entityRefs);
        const team = teamOf[credentials.principal.userEntityRef];
        return {
          items: entityRefs.map((ref: string) =>
            readers.get(ref)?.includes(team)
              ? { kind: 'Component' }
              : undefined,
          ),
        };
      },
    } as any,
    store: {} as BackupStore,
    conditionsTtlMs,
    now: () => clock,
  });
  const readableBy = (user: string, ref: string) =>
    access.readableEntityRef(
      mockCredentials.user(`user:default/${user}`),
      ref,
      Promise.resolve(true),
    );
  const visibleTo = (user: string, candidates = refs) =>
    access.visibleEntities(
      mockCredentials.user(`user:default/${user}`),
      async () => candidates,
    );
  return {
    visibleTo,
    readableBy,
    asked,
    readers,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('EntityAccess under a conditional catalog policy', () => {
  it('keeps what the catalog answered for the same conditions, whoever asks, until it is too old', async () => {
    const { visibleTo, asked, readers, advance } = setUp(10_000);
    expect(await visibleTo('ann')).toEqual([refs[0], refs[1], refs[3]]);
    expect(asked).toEqual([refs]);
    // bob has ann's rule: answered from what the catalog said for it
    expect(await visibleTo('bob')).toEqual([refs[0], refs[1], refs[3]]);
    // eve's rule is another: the catalog is asked, and answers for her
    expect(await visibleTo('eve')).toEqual([refs[1], refs[2]]);
    expect(asked).toEqual([refs, refs]);
    // an entity not asked about yet is asked about, alone
    const more = [...refs, 'component:default/e'];
    readers.set(more[4], ['payments']);
    expect(await visibleTo('ann', more)).toEqual([
      refs[0],
      refs[1],
      refs[3],
      more[4],
    ]);
    expect(asked[2]).toEqual([more[4]]);

    // the catalog changes: seen once the answer is older than the time kept
    readers.set(refs[0], ['cards']);
    advance(9_999);
    expect(await visibleTo('ann')).toEqual([refs[0], refs[1], refs[3]]);
    expect(asked).toHaveLength(3);
    advance(1);
    expect(await visibleTo('ann')).toEqual([refs[1], refs[3]]);
    expect(asked).toHaveLength(4);
  });

  it('answers the same list of candidates with the same list, while the conditions are kept', async () => {
    const { visibleTo, asked, advance } = setUp(10_000);
    const candidates = [...refs];
    const first = await visibleTo('ann', candidates);
    expect(await visibleTo('bob', candidates)).toBe(first);
    // another list with the same refs: the same entities, in a list of its own
    const again = await visibleTo('ann', [...refs]);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(asked).toHaveLength(1);
    advance(10_000);
    expect(await visibleTo('ann', candidates)).not.toBe(first);
    expect(asked).toHaveLength(2);
  });

  it('answers the candidates themselves when the conditions admit every one, kept or not', async () => {
    for (const ttl of [10_000, 0]) {
      const { visibleTo, readers } = setUp(ttl);
      const candidates = [refs[0], refs[1], refs[3]];
      // the store knows its own list: every one of it admitted, its page needs no list
      expect(await visibleTo('ann', candidates)).toBe(candidates);
      readers.set(refs[3], ['cards']);
      const fewer = await visibleTo('ann', [...candidates]);
      expect(fewer).toEqual(ttl ? candidates : [refs[0], refs[1]]);
      const denied = await visibleTo('eve', candidates);
      expect(denied).toEqual([refs[1], refs[3]]);
      expect(denied).not.toBe(candidates);
      // some admitted: the list says which it was taken from
      expect(candidatesOf(denied as string[])).toBe(candidates);
    }
  });

  it('asks the catalog once for requests that need the same answers at once, four requests of 1 000 at a time', async () => {
    const many = Array.from(
      { length: 4500 },
      (_, i) => `component:default/e${i}`,
    );
    let asked = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    let failing = false;
    const access = new EntityAccess({
      permissions: ruling(() => ownedBy('payments')),
      catalog: {
        getEntitiesByRefs: async ({ entityRefs }: any) => {
          asked++;
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await new Promise(resolve => setImmediate(resolve));
          inFlight--;
          if (failing) throw new Error('catalog unavailable');
          return {
            items: entityRefs.map((ref: string) =>
              ref.endsWith('7') ? undefined : { kind: 'Component' },
            ),
          };
        },
      } as any,
      store: {} as BackupStore,
      conditionsTtlMs: 10_000,
    });
    const visibleTo = (user: string, candidates: string[]) =>
      access.visibleEntities(
        mockCredentials.user(`user:default/${user}`),
        async () => candidates,
      );
    const expected = many.filter(ref => !ref.endsWith('7'));
    // a page's requests and other users under the same rule, at once
    const answers = await Promise.all([
      visibleTo('ann', many),
      visibleTo('bob', many),
      visibleTo('ann', many.slice(0, 2000)),
    ]);
    expect(answers).toEqual([expected, expected, expected.slice(0, 1800)]);
    expect(asked).toBe(5);
    expect(mostInFlight).toBe(4);

    // an error reaches every request waiting for the answer; the next asks again
    failing = true;
    const more = ['component:default/x1', 'component:default/x2'];
    const failed = await Promise.allSettled([
      visibleTo('ann', more),
      visibleTo('bob', more),
    ]);
    expect(failed.map(f => f.status)).toEqual(['rejected', 'rejected']);
    expect(asked).toBe(6);
    failing = false;
    expect(await visibleTo('ann', more)).toEqual(more);
    expect(asked).toBe(7);
  });

  it("answers one entity's question with the first request to the catalog when a list of thousands is asked at once", async () => {
    const many = Array.from(
      { length: 4500 },
      (_, i) => `component:default/e${i}`,
    );
    const one = 'component:default/payments-ledger';
    // each request to the catalog waits until the test answers it
    const requests: Array<{ refs: string[]; answer: () => void }> = [];
    const access = new EntityAccess({
      permissions: ruling(() => ownedBy('payments')),
      catalog: {
        getEntitiesByRefs: ({ entityRefs }: any) =>
          new Promise(resolve =>
            requests.push({
              refs: entityRefs,
              answer: () =>
                resolve({
                  items: entityRefs.map(() => ({ kind: 'Component' })),
                }),
            }),
          ),
      } as any,
      store: {} as BackupStore,
      conditionsTtlMs: 10_000,
    });
    const settled: string[] = [];
    // the scorecard's list and an entity's page, in the same turn of the event loop
    const list = access
      .visibleEntities(
        mockCredentials.user('user:default/ann'),
        async () => many,
      )
      .then(visible => {
        settled.push('list');
        return visible;
      });
    const page = access
      .readableEntityRef(
        mockCredentials.user('user:default/bob'),
        one,
        Promise.resolve(true),
      )
      .then(ref => {
        settled.push('page');
        return ref;
      });
    await waitUntil(async () => requests.length === 4);
    // the smallest request's entity first, with the list's first 999
    expect(requests.map(r => r.refs.length)).toEqual([1000, 1000, 1000, 1000]);
    expect(requests[0].refs.slice(0, 2)).toEqual([one, many[0]]);
    requests[0].answer();
    await expect(page).resolves.toBe(one);
    expect(settled).toEqual(['page']);
    // the list waits for every request of its own: the fifth is sent when a lane frees
    for (const request of requests.slice(1)) request.answer();
    await waitUntil(async () => requests.length === 5);
    expect(requests[4].refs).toHaveLength(501);
    requests[4].answer();
    await expect(list).resolves.toEqual(many);
    expect(settled).toEqual(['page', 'list']);
  });

  it("fails the requests waiting for a refused request's entities, and those after it in its lane unasked, then asks again", async () => {
    const many = Array.from(
      { length: 4500 },
      (_, i) => `component:default/e${i}`,
    );
    const one = 'component:default/payments-ledger';
    const requests: Array<{
      refs: string[];
      answer: () => void;
      refuse: () => void;
    }> = [];
    const access = new EntityAccess({
      permissions: ruling(() => ownedBy('payments')),
      catalog: {
        getEntitiesByRefs: ({ entityRefs }: any) =>
          new Promise((resolve, reject) =>
            requests.push({
              refs: entityRefs,
              answer: () =>
                resolve({
                  items: entityRefs.map(() => ({ kind: 'Component' })),
                }),
              refuse: () => reject(new Error('catalog unavailable')),
            }),
          ),
      } as any,
      store: {} as BackupStore,
      conditionsTtlMs: 10_000,
    });
    const list = access.visibleEntities(
      mockCredentials.user('user:default/ann'),
      async () => many,
    );
    const page = access.readableEntityRef(
      mockCredentials.user('user:default/bob'),
      one,
      Promise.resolve(true),
    );
    await waitUntil(async () => requests.length === 4);
    // the first request, the page's, is refused; the three others are answered
    requests[0].refuse();
    for (const request of requests.slice(1)) request.answer();
    await expect(page).rejects.toThrow('catalog unavailable');
    await expect(list).rejects.toThrow('catalog unavailable');
    // the list's last 501, in the refused request's lane, were not asked about
    expect(requests).toHaveLength(4);
    // what was answered is kept; what was not is asked again
    const again = access.visibleEntities(
      mockCredentials.user('user:default/ann'),
      async () => many,
    );
    await waitUntil(async () => requests.length === 6);
    expect(requests.slice(4).flatMap(r => r.refs)).toEqual([
      ...many.slice(0, 999),
      ...many.slice(3999),
    ]);
    requests[4].answer();
    requests[5].answer();
    await expect(again).resolves.toEqual(many);
  });

  it('keeps the answers for 20 rules at most: the oldest make room', async () => {
    let asked = 0;
    const access = new EntityAccess({
      // a rule per user, as an owner rule with each user's claims is
      permissions: ruling(user => ownedBy(user)),
      catalog: {
        getEntitiesByRefs: async ({ entityRefs }: any) => {
          asked++;
          return { items: entityRefs.map(() => ({ kind: 'Component' })) };
        },
      } as any,
      store: {} as BackupStore,
      conditionsTtlMs: 10_000,
    });
    const visibleTo = (n: number) =>
      access.visibleEntities(
        mockCredentials.user(`user:default/u${n}`),
        async () => refs,
      );
    for (let n = 0; n <= 20; n++) await visibleTo(n);
    expect(asked).toBe(21);
    await visibleTo(20);
    expect(asked).toBe(21);
    await visibleTo(0);
    expect(asked).toBe(22);
  });

  it('asks the catalog on every request when nothing is kept', async () => {
    const { visibleTo, asked } = setUp(0);
    await visibleTo('ann');
    await visibleTo('ann');
    expect(asked).toEqual([refs, refs]);
    const unset = setUp(undefined);
    await unset.visibleTo('ann');
    await unset.visibleTo('bob');
    expect(unset.asked).toHaveLength(2);
  });

  it('asks the catalog once for requests about different entities at once under the same conditions', async () => {
    const { readableBy, asked } = setUp(10_000);
    // ten callers opening entity pages: ann and bob under one rule, eve under another
    const answers = await Promise.allSettled([
      readableBy('ann', refs[0]),
      readableBy('bob', refs[1]),
      readableBy('eve', refs[1]),
      readableBy('ann', refs[2]),
      readableBy('eve', refs[3]),
      readableBy('bob', refs[0]),
    ]);
    expect(
      answers.map(a => (a.status === 'fulfilled' ? a.value : 'denied')),
    ).toEqual([refs[0], refs[1], refs[1], 'denied', 'denied', refs[0]]);
    // one request per rule, each entity asked about once
    expect(asked).toEqual([
      [refs[0], refs[1], refs[2]],
      [refs[1], refs[3]],
    ]);
  });

  it('answers whether one entity may be read from what the catalog said for the same conditions', async () => {
    const { visibleTo, readableBy, asked } = setUp(10_000);
    await expect(readableBy('eve', refs[2])).resolves.toBe(refs[2]);
    await expect(readableBy('eve', refs[0])).rejects.toThrow(
      `No entity ${refs[0]}, or you are not allowed to read it`,
    );
    expect(asked).toEqual([[refs[2]], [refs[0]]]);
    // the scorecard's list for eve's rule asks only about the others
    expect(await visibleTo('eve')).toEqual([refs[1], refs[2]]);
    expect(asked[2]).toEqual([refs[1], refs[3]]);
    await expect(readableBy('eve', refs[1])).resolves.toBe(refs[1]);
    expect(asked).toHaveLength(3);
  });
});

describe('EntityAccess under other decisions', () => {
  const withDecision = (result: AuthorizeResult) => {
    const looked: string[] = [];
    const access = new EntityAccess({
      permissions: {
        authorizeConditional: async (requests: any[]) =>
          requests.map(() => ({ result })),
      } as any,
      catalog: {
        getEntityByRef: async (ref: string) => {
          looked.push(ref);
          return ref === refs[0] ? { kind: 'Component' } : undefined;
        },
      } as any,
      store: {} as BackupStore,
      conditionsTtlMs: 10_000,
    });
    const readable = (ref: string, optedIn: boolean) =>
      access.readableEntityRef(
        mockCredentials.user(),
        ref,
        Promise.resolve(optedIn),
      );
    return { readable, looked };
  };

  it('reads an entity allowed outright: one that opted in without the catalog, another if the catalog has it', async () => {
    const { readable, looked } = withDecision(AuthorizeResult.ALLOW);
    await expect(readable(refs[1], true)).resolves.toBe(refs[1]);
    expect(looked).toEqual([]);
    await expect(readable(refs[0], false)).resolves.toBe(refs[0]);
    await expect(readable(refs[2], false)).rejects.toThrow('No entity');
    expect(looked).toEqual([refs[0], refs[2]]);
  });

  it('reads no entity when denied, without asking the catalog', async () => {
    const { readable, looked } = withDecision(AuthorizeResult.DENY);
    await expect(readable(refs[0], true)).rejects.toThrow(
      `No entity ${refs[0]}, or you are not allowed to read it`,
    );
    expect(looked).toEqual([]);
  });
});
