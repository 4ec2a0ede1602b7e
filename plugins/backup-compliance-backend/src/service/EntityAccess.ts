import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ConditionalPolicyDecision,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import { BackupStore } from '../database/BackupStore';
import { admittedFrom, VisibleEntities } from './scorecard';

/**
 * Sets of conditions whose answers are kept at once. Each holds up to every entity's ref
 * (20 000 refs are about 1 MB), and lasts `conditionsTtlMs`: more rules than this within
 * it (an owner rule per user, say) ask the catalog again.
 */
const MOST_CONDITIONS_KEPT = 20;

/** Refs per request to the catalog, and requests to it at once for one list. */
const REFS_PER_REQUEST = 1000;
const REQUESTS_AT_ONCE = 4;

/** An answer still to come, with what settles it. */
type Pending = {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
};

function pending(): Pending {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // awaited by the requests; not an unhandled rejection meanwhile
  return { promise, resolve, reject };
}

/** What the catalog answered for one set of conditions, kept until `until`. */
type Admitted = {
  until: number;
  /** Each entity asked about: whether the conditions admit it. */
  readable: Map<string, boolean>;
  /**
   * Each entity being asked about, until the catalog answers: the requests that need it
   * meanwhile (a page's four, ten clients under one rule) wait for that answer instead of
   * asking the catalog about it again.
   */
  asking: Map<string, Promise<void>>;
  /** The last list of refs asked about, and those admitted, in its order. */
  last?: { refs: string[]; admitted: string[] };
  /**
   * Refs to ask about at the next turn of the event loop, by request, and each one's
   * answer: requests for different entities at once (ten callers each opening an
   * entity's page) ask the catalog together, in one request where each would have sent
   * its own. Each ref is answered with the request to the catalog that holds it.
   */
  queued?: { requests: string[][]; answers: Map<string, Pending> };
};

/** The same conditions admit the same entities, whoever they were decided for. */
function conditionsKey({
  pluginId,
  resourceType,
  conditions,
}: ConditionalPolicyDecision): string {
  return JSON.stringify({ pluginId, resourceType, conditions });
}

/**
 * What a caller may see, decided by the permission framework and the catalog with the
 * caller's own credentials: one place for the REST API and the actions agents call, so
 * that both answer a caller the same.
 */
export class EntityAccess {
  /**
   * What the catalog answered, per set of conditions: for each entity asked about, whether
   * the conditions admit it. Kept `conditionsTtlMs` from the first answer, then asked again.
   */
  private readonly admitted = new Map<string, Admitted>();

  constructor(
    private readonly options: {
      permissions: PermissionsService;
      catalog: CatalogService;
      store: BackupStore;
      /**
       * How long the entities a conditional `catalog.entity.read` decision admits are
       * kept, per set of conditions (`backupCompliance.catalogConditionsTtl`); 0 or
       * unset: the catalog is asked on every request.
       */
      conditionsTtlMs?: number;
      now?: () => number;
    },
  ) {}

  /** Throws a 403 unless the caller holds `permission`. */
  async authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${permission.name}`);
    }
  }

  /**
   * `entityRef` when the caller may read that entity in the catalog; a 404 otherwise, the
   * same as for an entity that does not exist. The permission framework decides: allowed
   * outright, an entity that opted in at the last cycle exists (one call where reading it
   * from the catalog took two), any other is looked up in the catalog; under conditions,
   * the catalog says whether they admit it (kept for the same conditions, as for lists).
   * `optedIn`, when given, says whether it opted in (read with what the caller reads
   * next, in one query).
   */
  async readableEntityRef(
    credentials: BackstageCredentials,
    entityRef: string,
    optedIn?: Promise<boolean>,
  ): Promise<string> {
    const { permissions, catalog, store } = this.options;
    const [[decision], isOptedIn] = await Promise.all([
      permissions.authorizeConditional(
        [{ permission: catalogEntityReadPermission }],
        { credentials },
      ),
      optedIn ?? store.getEntity(entityRef).then(Boolean),
    ]);
    let readable = false;
    if (decision.result === AuthorizeResult.ALLOW) {
      readable =
        isOptedIn ||
        !!(await catalog.getEntityByRef(entityRef, { credentials }));
    } else if (decision.result === AuthorizeResult.CONDITIONAL) {
      const admitted = await this.readableRefs(
        credentials,
        [entityRef],
        conditionsKey(decision as ConditionalPolicyDecision),
      );
      readable = admitted.length > 0;
    }
    if (!readable) {
      throw new NotFoundError(
        `No entity ${entityRef}, or you are not allowed to read it`,
      );
    }
    return entityRef;
  }

  /**
   * The entity refs among `refs` that the caller may read in the catalog, in their order:
   * one batched catalog request per 1 000 refs with the caller's credentials, four at
   * once, so every list, count, group, history point and export is computed from what the
   * caller may see. Under kept `conditions`, only refs not answered for yet are asked
   * about, and refs another request is asking about are waited for. With
   * `remember`, asked again about the same array of refs (a list the store keeps until
   * the verdicts change) under the same kept conditions, the same array as before: the
   * store keeps its answers for it.
   */
  private async readableRefs(
    credentials: BackstageCredentials,
    refs: string[],
    conditions?: string,
    remember = false,
  ): Promise<string[]> {
    const entry =
      conditions === undefined ? undefined : this.keptFor(conditions);
    if (entry?.last?.refs === refs) return entry.last.admitted;
    const readable = entry?.readable ?? new Map<string, boolean>();
    const answers = new Set<Promise<void>>();
    const unasked: string[] = [];
    for (const ref of refs) {
      if (readable.has(ref)) continue;
      const asking = entry?.asking.get(ref);
      if (asking) answers.add(asking);
      else unasked.push(ref);
    }
    if (unasked.length > 0) {
      answers.add(
        entry
          ? this.queue(entry, credentials, unasked)
          : this.ask(credentials, unasked, readable),
      );
    }
    await Promise.all(answers);
    // Every ref admitted: `refs` itself, which the store may know (the whole list of a
    // generation's verdicts, whose page it then reads without naming them); some: a list
    // that says which it was taken from, so the store can name those denied instead.
    const admittedOf = (admits: (ref: string) => boolean | undefined) => {
      const admitted = refs.filter(ref => admits(ref));
      return admitted.length === refs.length
        ? refs
        : admittedFrom(admitted, refs);
    };
    if (!entry) return admittedOf(ref => readable.get(ref));
    const admitted = admittedOf(ref => entry.readable.get(ref));
    if (remember) entry.last = { refs, admitted };
    return admitted;
  }

  /**
   * Asks the catalog whether the caller may read `refs`, into `readable`: one request per
   * 1 000 refs, four at once, each sent once the one before it in its lane is answered.
   * `answered`, when given, hears of each request's refs as it is answered (or fails:
   * then the refs after it in its lane fail too, unasked).
   */
  private async ask(
    credentials: BackstageCredentials,
    refs: string[],
    readable: Map<string, boolean>,
    answered?: (chunk: string[], failed?: { error: unknown }) => void,
  ): Promise<void> {
    const askAbout = async (chunk: string[]) => {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        {
          entityRefs: chunk,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      items.forEach((entity, j) => readable.set(chunk[j], !!entity));
    };
    const lanes: Array<Promise<void>> = [];
    for (let i = 0; i * REFS_PER_REQUEST < refs.length; i++) {
      const chunk = refs.slice(
        i * REFS_PER_REQUEST,
        (i + 1) * REFS_PER_REQUEST,
      );
      const lane = i % REQUESTS_AT_ONCE;
      lanes[lane] = (lanes[lane] ?? Promise.resolve()).then(() =>
        askAbout(chunk),
      );
      lanes[lane].then(
        () => answered?.(chunk),
        error => answered?.(chunk, { error }),
      );
    }
    await Promise.all(lanes);
  }

  /**
   * Queues `refs` to be asked about under kept conditions with the refs of every other
   * request in this turn of the event loop, with the credentials of the first (the same
   * conditions admit the same entities, whoever they were decided for). The refs of the
   * smallest requests are asked about first: one entity's page, asked at once with a
   * scorecard of 5 000, is answered with the first request to the catalog, not after the
   * fifth. Each ref is marked as being asked about until its answer, which every request
   * waiting for it gets, error included; the next request then asks again.
   */
  private queue(
    entry: Admitted,
    credentials: BackstageCredentials,
    refs: string[],
  ): Promise<void> {
    let queued = entry.queued;
    if (!queued) {
      const batch: NonNullable<Admitted['queued']> = {
        requests: [],
        answers: new Map(),
      };
      queued = entry.queued = batch;
      setImmediate(() => {
        entry.queued = undefined;
        const inOrder = [
          ...new Set(batch.requests.sort((a, b) => a.length - b.length).flat()),
        ];
        this.ask(credentials, inOrder, entry.readable, (chunk, failed) => {
          for (const ref of chunk) {
            entry.asking.delete(ref);
            const answer = batch.answers.get(ref)!;
            if (failed) answer.reject(failed.error);
            else answer.resolve();
          }
        }).catch(() => {}); // each error reaches the requests waiting for its refs
      });
    }
    queued.requests.push(refs);
    const waits = new Set<Promise<void>>();
    for (const ref of refs) {
      let answer = queued.answers.get(ref);
      if (!answer) {
        answer = pending();
        queued.answers.set(ref, answer);
        entry.asking.set(ref, answer.promise);
      }
      waits.add(answer.promise);
    }
    return Promise.all(waits).then(() => {});
  }

  /**
   * What the catalog answered for these conditions, while it is kept; a new, empty answer
   * when none is (or it is too old). None when nothing is kept.
   */
  private keptFor(conditions: string): Admitted | undefined {
    const ttl = this.options.conditionsTtlMs ?? 0;
    if (ttl <= 0) return undefined;
    const now = (this.options.now ?? Date.now)();
    for (const [key, { until }] of this.admitted) {
      if (until <= now) this.admitted.delete(key);
    }
    let entry = this.admitted.get(conditions);
    if (!entry) {
      // many distinct conditions (a rule per user): the oldest make room
      while (this.admitted.size >= MOST_CONDITIONS_KEPT) {
        this.admitted.delete(this.admitted.keys().next().value!);
      }
      entry = { until: now + ttl, readable: new Map(), asking: new Map() };
      this.admitted.set(conditions, entry);
    }
    return entry;
  }

  /**
   * The verdicts the caller may see. A caller whose catalog read is allowed outright (the
   * permission policy answers ALLOW, as it does with permissions off) sees every verdict,
   * and the scorecard is answered from SQL alone; a conditional answer is resolved by the
   * catalog, with the caller's credentials, for the `candidates` (by default the entities
   * that have a verdict). With `permission`, a 403 unless the caller also holds it.
   *
   * Both decisions are one request to the permission backend: each request costs a token
   * signed here and verified there, and an HTTP round trip. In the bank benchmark on
   * PostgreSQL, at 10 clients, the default, filtered and grouped scorecards served 147,
   * 221 and 167 requests a second asked this way, against 126, 141 and 109 with two
   * requests. The permission backend answers a basic permission among conditional ones
   * as it does alone (ALLOW or DENY; a policy's conditions for it are an error there);
   * the type of `authorizeConditional` names resource permissions only.
   */
  async visibleEntities(
    credentials: BackstageCredentials,
    candidates: () => Promise<string[]> = () =>
      this.options.store.listSnapshotRefs(),
    permission?: BasicPermission,
  ): Promise<VisibleEntities> {
    const requests: QueryPermissionRequest[] = [
      { permission: catalogEntityReadPermission },
    ];
    if (permission) {
      requests.push({ permission } as unknown as QueryPermissionRequest);
    }
    const [decision, held] =
      await this.options.permissions.authorizeConditional(requests, {
        credentials,
      });
    if (permission && held?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${permission.name}`);
    }
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result !== AuthorizeResult.CONDITIONAL) return [];
    return this.readableRefs(
      credentials,
      await candidates(),
      conditionsKey(decision as ConditionalPolicyDecision),
      true,
    );
  }
}
