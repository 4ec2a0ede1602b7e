import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  serializeError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  backupComplianceCollectionRefreshPermission,
  backupComplianceCollectionReadPermission,
  backupComplianceScorecardReadPermission,
  BackupComplianceHealth,
  BackupRegister,
  CheckDefinition,
  HistoryVerification,
  isBackupComplianceAvailable,
  PoliciesResponse,
  RestoreTest,
  Scorecard,
} from '@backup-compliance/backstage-plugin-common';
import express from 'express';
import { RefreshLimitError, RefreshRequests } from './RefreshRequests';
import { BackupComplianceConfig } from '../config/readBackupComplianceConfig';
import { BackupStore } from '../database/BackupStore';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { EntityAccess } from './EntityAccess';
import { registerCsv, registerEntryOf, registerHtml } from './register';
import {
  parseScorecardQuery,
  parseWholeNumber,
  toCsv,
  VisibleEntities,
} from './scorecard';
import { gunzipSync } from 'node:zlib';

const DAY_MS = 86_400_000;

export async function createRouter(options: {
  logger: LoggerService;
  config: BackupComplianceConfig;
  store: BackupStore;
  refreshRequests: RefreshRequests;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  /** What each caller may see (shared with the actions). */
  access: EntityAccess;
  checks: () => CheckDefinition[];
}): Promise<express.Router> {
  const { config, store, refreshRequests, httpAuth, catalog, access } = options;
  // Typed from src/schema/openapi.yaml; requests are validated against it.
  const router = await createOpenApiRouter();

  // The catalog's own rules for the three parts of an entity reference: a `/` (from
  // %2F), an emoji or a control character is a 400 naming the part, never the
  // catalog's raw error from deeper down.
  const validators = makeValidator();
  function validEntityPath(
    params: { namespace?: string; kind?: string; name?: string },
    context = '',
  ) {
    const parts = [
      ['namespace', validators.isValidNamespace],
      ['kind', validators.isValidKind],
      ['name', validators.isValidEntityName],
    ] as const;
    for (const [part, isValid] of parts) {
      if (!isValid(params[part])) {
        throw new InputError(
          `${context}${part} is not a valid entity ${part} (letters, digits and -_. only, at most 63 characters), got ${JSON.stringify(
            params[part],
          )}`,
        );
      }
    }
    return {
      namespace: params.namespace!,
      kind: params.kind!,
      name: params.name!,
    };
  }

  async function authorize(req: express.Request, permission: BasicPermission) {
    await access.authorize(await httpAuth.credentials(req), permission);
  }

  /** The entity as the caller may read it in the catalog; undefined when not. */
  async function readableEntity(req: express.Request, entityRef: string) {
    return catalog.getEntityByRef(entityRef, {
      credentials: await httpAuth.credentials(req),
    });
  }

  // Entity data only for callers who may read the entity in the catalog (EntityAccess).
  async function readableEntityRef(req: express.Request) {
    return access.readableEntityRef(
      await httpAuth.credentials(req),
      stringifyEntityRef(validEntityPath(req.params)),
    );
  }

  function days(req: express.Request, fallback: number) {
    return (
      parseWholeNumber('days', req.query.days, 1, config.historyRetainDays) ??
      fallback
    );
  }

  const knownCheckIds = () => options.checks().map(c => c.id);

  const sinceDay = (n: number) =>
    new Date(Date.now() - (n - 1) * DAY_MS).toISOString().slice(0, 10);

  router.get('/health', (_req, res) => {
    const health: BackupComplianceHealth = { status: 'ok' };
    res.json(health);
  });

  router.get('/v1/checks', (_req, res) => {
    res.json({ items: options.checks() });
  });

  router.get('/v1/policies', async (req, res) => {
    await authorize(req, backupComplianceCollectionReadPermission);
    const organization = config.organization
      ? await store.getOrganization()
      : undefined;
    const verdicts = organization?.verdicts ?? [];
    const body: PoliciesResponse = {
      items: [...config.policies.values()].map(policy => ({
        ...policy,
        organizationPolicies: verdicts
          .filter(v => v.implements.includes(policy.name))
          .map(v => v.id),
      })),
      organization: {
        configured: !!config.organization,
        ...(config.organization
          ? { accountId: config.organization.accountId }
          : {}),
        ...(organization?.collectedAt
          ? { collectedAt: organization.collectedAt.toISOString() }
          : {}),
        ...(organization?.error ? { error: organization.error } : {}),
        ...(organization?.attemptedAt
          ? { attemptedAt: organization.attemptedAt.toISOString() }
          : {}),
      },
      organizationPolicies: verdicts,
    };
    res.json(body);
  });

  router.get('/v1/history/verify', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await access.authorize(
      credentials,
      backupComplianceCollectionReadPermission,
    );
    const result = await store.verifyHistory();
    // The chains cover every entity; a mismatch names its entity only to a caller who
    // may read it in the catalog.
    if (result.firstMismatch) {
      const { entityRef } = result.firstMismatch;
      const readable = await access
        .readableEntityRef(credentials, entityRef)
        .then(
          () => true,
          () => false,
        );
      if (!readable) {
        result.firstMismatch = {
          ...result.firstMismatch,
          entityRef: '(an entity you may not read in the catalog)',
        };
      }
    }
    const answer: HistoryVerification = result;
    res.json(answer);
  });

  router.get('/v1/collection', async (req, res) => {
    await authorize(req, backupComplianceCollectionReadPermission);
    const limit = parseWholeNumber('limit', req.query.limit, 1, 1000) ?? 100;
    const cycleId =
      typeof req.query.cycleId === 'string' ? req.query.cycleId : undefined;
    res.json({
      enabled: config.enabled,
      ...(config.enabled
        ? {}
        : {
            message:
              'Collection is off: set backupCompliance.regions and aws.accounts (or backupCompliance.accounts) in app-config.yaml.',
          }),
      accounts: config.accounts,
      regions: config.regions,
      accountRegions: await store.getAccountRegionStates(),
      cycles: await store.listCycles({ limit: 20 }),
      pendingRequests: (await store.pendingRefreshRequests()).length,
      runs: await store.listRuns({ cycleId, limit }),
    });
  });

  router.post('/v1/collection/refresh', async (req, res) => {
    await authorize(req, backupComplianceCollectionRefreshPermission);
    const { principal } = (await httpAuth.credentials(req)) as {
      principal: { type: string; userEntityRef?: string; subject?: string };
    };
    if (!config.enabled) {
      throw new ServiceUnavailableError(
        'Collection is off: set backupCompliance.regions and aws.accounts in app-config.yaml',
      );
    }
    const rawRef = req.body?.entityRef;
    let entityRef: string | undefined;
    if (rawRef !== undefined) {
      if (typeof rawRef !== 'string') {
        throw new InputError(
          'entityRef must be a string such as component:default/payments-ledger',
        );
      }
      let parts;
      try {
        parts = parseEntityRef(rawRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw new InputError(
          `entityRef "${rawRef}" is not an entity reference: ${
            (error as Error).message
          }`,
        );
      }
      entityRef = stringifyEntityRef(
        validEntityPath(parts, `entityRef "${rawRef}": `),
      );
      // Only an entity the caller may read and that opted in can be refreshed.
      const entity = await readableEntity(req, entityRef);
      if (!entity || !isBackupComplianceAvailable(entity)) {
        throw new NotFoundError(
          `${entityRef} is not an entity that opted in to backup compliance (aws.amazon.com/backup-resource-tags), or you are not allowed to read it`,
        );
      }
    }
    try {
      res.status(202).json(
        await refreshRequests.request({
          entityRef,
          requestedBy:
            principal.userEntityRef ??
            `${principal.type}:${principal.subject ?? 'unknown'}`,
        }),
      );
    } catch (error) {
      if (!(error instanceof RefreshLimitError)) throw error;
      res
        .status(429)
        .set('Retry-After', String(error.retryAfterSeconds))
        .json({
          error: serializeError(error),
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 429 },
        });
    }
  });

  router.get('/v1/collection/refresh/:requestId', async (req, res) => {
    await authorize(req, backupComplianceCollectionRefreshPermission);
    const answer = await refreshRequests.status(req.params.requestId);
    if (!answer) {
      throw new NotFoundError(`No refresh request ${req.params.requestId}`);
    }
    res.json(answer);
  });

  /** A day as `YYYY-MM-DD`, one that exists and is not after today (UTC); 400 otherwise. */
  function parseDay(name: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    const text = typeof value === 'string' ? value : '';
    const today = new Date().toISOString().slice(0, 10);
    const valid =
      /^\d{4}-\d{2}-\d{2}$/.test(text) &&
      new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
    if (!valid || text > today) {
      throw new InputError(
        `${name} must be a day written YYYY-MM-DD, not after today (${today}), got ${JSON.stringify(
          value,
        )}`,
      );
    }
    return text;
  }

  // The verdict as stored: its gzipped JSON as is to a caller that takes gzip (a browser,
  // fetch), unzipped for one that does not; neither parsed nor compressed again. For an
  // entity that opted in, one query reads the verdict and says it opted in, beside the
  // permission decision.
  router.get('/v1/entities/:namespace/:kind/:name', async (req, res) => {
    const asOf = parseDay('asOf', req.query.asOf);
    const ref = stringifyEntityRef(validEntityPath(req.params));
    const credentials = await httpAuth.credentials(req);
    // awaited by the access check, which fails for the caller on its errors too
    const stored = store.getOptedInSnapshotGzip(ref, asOf);
    const entityRef = await access.readableEntityRef(
      credentials,
      ref,
      stored.then(s => s.optedIn),
    );
    const { optedIn, gzipped: optedInGzip } = await stored;
    const gzipped = optedIn
      ? optedInGzip
      : await store.getSnapshotGzip(entityRef, asOf);
    if (!gzipped) {
      throw new NotFoundError(
        asOf
          ? `${entityRef} has no verdict on or before ${asOf}: it was not judged then, or that day is older than the history kept (backupCompliance.history.retainDays: ${config.historyRetainDays})`
          : `${entityRef} has no verdict: it is not opted in (aws.amazon.com/backup-resource-tags), or no collection cycle has run since it was`,
      );
    }
    // the bytes of the JSON its schema describes, which the typed response cannot say
    const raw = res as unknown as express.Response;
    raw.vary('Accept-Encoding');
    raw.type('application/json');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      raw.set('Content-Encoding', 'gzip');
      raw.send(gzipped);
    } else {
      raw.send(gunzipSync(gzipped));
    }
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/history',
    async (req, res) => {
      const entityRef = await readableEntityRef(req);
      const n = days(req, 90);
      res.json({
        entityRef,
        days: n,
        items: await store.listHistory({ entityRef, sinceDay: sinceDay(n) }),
      });
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/evidence',
    async (req, res) => {
      const entityRef = await readableEntityRef(req);
      const asOf = parseDay('asOf', req.query.asOf);
      const snapshot = asOf
        ? await store.getSnapshotAsOf(entityRef, asOf)
        : await store.getSnapshot(entityRef);
      if (!snapshot) {
        throw new NotFoundError(
          asOf
            ? `${entityRef} has no verdict on or before ${asOf}, so there is no evidence of that day to file`
            : `${entityRef} has no verdict yet, so there is no evidence to file`,
        );
      }
      const collection = await store.getAccountRegionStates(snapshot.resources);
      const catalogue = new Map(options.checks().map(c => [c.id, c]));
      const name = entityRef.replace(/[^a-z0-9-]+/gi, '_');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="backup-evidence-${name}-${snapshot.evaluatedAt.slice(
          0,
          10,
        )}.json"`,
      );
      res.json({
        generatedAt: new Date().toISOString(),
        ...(asOf ? { asOf } : {}),
        entityRef,
        evaluatedAt: snapshot.evaluatedAt,
        level: snapshot.level,
        score: snapshot.score,
        problems: snapshot.problems,
        policies: snapshot.policies
          .map(p => config.policies.get(p))
          .filter(Boolean),
        waivers: config.waivers.filter(w => w.entity === entityRef),
        // the entity's newest history row and the newest daily head: a later
        // GET /v1/history/verify shows the history these were part of is unchanged
        historyChain: await store.historyChainOf(entityRef),
        resources: snapshot.resources,
        collection,
        staleAccountRegions: snapshot.staleAccountRegions,
        checks: snapshot.checks.map(c => ({
          ...c,
          title: catalogue.get(c.checkId)?.title,
        })),
      });
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/restore-tests',
    async (req, res) => {
      const entityRef = await readableEntityRef(req);
      const arns = (await store.listEntityResources(entityRef)).map(
        m => m.resourceArn,
      );
      const jobs = await store.listObjects('restore_job', {
        resourceArns: arns,
      });
      const time = (value: unknown) =>
        value ? new Date(value as string).getTime() : undefined;
      const items = jobs
        .map(j => j.data)
        .filter(j => j.CreatedBy?.RestoreTestingPlanArn)
        .map((j): RestoreTest => {
          const created = time(j.CreationDate);
          const completed = time(j.CompletionDate);
          return {
            resourceArn: j.SourceResourceArn,
            restoreJobId: j.RestoreJobId,
            createdAt: j.CreationDate,
            completedAt: j.CompletionDate,
            minutes:
              created && completed
                ? Math.round((completed - created) / 60_000)
                : null,
            status: j.Status,
            validationStatus: j.ValidationStatus ?? null,
            validationMessage: j.ValidationStatusMessage ?? null,
          };
        })
        .sort((a, b) => (time(a.createdAt) ?? 0) - (time(b.createdAt) ?? 0));
      res.json({ entityRef, items });
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/resources',
    async (req, res) => {
      const entityRef = await readableEntityRef(req);
      const optIn = await store.getEntity(entityRef);
      const mapping = await store.listEntityResources(entityRef);
      const arns = mapping.map(m => m.resourceArn);
      const [resources, protectedResources, states] = await Promise.all([
        store.listObjects('resource', { resourceArns: arns }),
        store.listObjects('protected_resource', { resourceArns: arns }),
        store.getAccountRegionStates(mapping),
      ]);
      const key = (accountId: string, region: string, arn: string) =>
        `${accountId}/${region}/${arn}`;
      const tagsOf = new Map(
        resources.map(r => [key(r.accountId, r.region, r.key), r.data.tags]),
      );
      const protectionOf = new Map(
        protectedResources.map(p => [
          key(p.accountId, p.region, p.key),
          p.data,
        ]),
      );
      const stateOf = new Map(
        states.map(s => [`${s.accountId}/${s.region}`, s]),
      );
      res.json({
        entityRef,
        optedIn: Boolean(optIn),
        annotations: optIn?.annotations,
        problems: optIn?.problems,
        resources: mapping.map(m => {
          const protection = protectionOf.get(
            key(m.accountId, m.region, m.resourceArn),
          );
          const state = stateOf.get(`${m.accountId}/${m.region}`);
          return {
            resourceArn: m.resourceArn,
            accountId: m.accountId,
            region: m.region,
            tags: tagsOf.get(key(m.accountId, m.region, m.resourceArn)) ?? {},
            resourceType: protection?.ResourceType,
            lastBackupTime: protection?.LastBackupTime,
            collectedAt: state?.lastSuccessStartedAt,
            stale: state?.stale ?? false,
          };
        }),
      });
    },
  );

  /** The caller's catalog view, once it holds the scorecard permission (a 403 otherwise). */
  async function scorecardReader(
    req: express.Request,
    candidates?: () => Promise<string[]>,
  ): Promise<VisibleEntities> {
    return access.visibleEntities(
      await httpAuth.credentials(req),
      candidates,
      backupComplianceScorecardReadPermission,
    );
  }

  /**
   * The day a scorecard answers for: none (now), or with `asOf` the newest evaluated on
   * or before it (`null`: none was), and the caller's view of the entities of that day.
   */
  async function scorecardOf(req: express.Request) {
    const asOf = parseDay('asOf', req.query.asOf);
    if (!asOf) return { day: undefined, visible: await scorecardReader(req) };
    const day = (await store.lastEvaluatedDay(asOf)) ?? null;
    const visible = await scorecardReader(req, async () =>
      day ? store.scorecardRefsOf(day) : [],
    );
    return { day, visible };
  }

  router.get('/v1/scorecard', async (req, res) => {
    const { day, visible } = await scorecardOf(req);
    const query = parseScorecardQuery(
      { ...(req.query as Record<string, unknown>), asOf: undefined },
      knownCheckIds(),
    );
    const result = await store.queryScorecard(
      query,
      day === null ? [] : visible,
      day ?? undefined,
    );
    const answer: Scorecard = {
      ...result,
      page: query.page,
      pageSize: query.pageSize,
    };
    res.json(answer);
  });

  router.get('/v1/scorecard/history', async (req, res) => {
    const n = days(req, 90);
    const since = sinceDay(n);
    res.json({
      days: n,
      items: await store.historySummary(
        since,
        await scorecardReader(req, () => store.listHistoryRefs(since)),
      ),
    });
  });

  router.get('/v1/register', async (req, res) => {
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'csv' && format !== 'html') {
      throw new InputError(`format must be json, csv or html, got "${format}"`);
    }
    const today = new Date().toISOString().slice(0, 10);
    const asOf = parseDay('asOf', req.query.asOf) ?? today;
    const day = await store.lastEvaluatedDay(asOf);
    const visible = await scorecardReader(req, async () => {
      const refs: string[] = [];
      if (day) {
        for await (const page of store.snapshotsOfDay(day, 'all', 1000)) {
          refs.push(...page.map(s => s.entityRef));
        }
      }
      return refs;
    });
    const catalogInfo = new Map(
      (await store.listEntities()).map(e => [e.entityRef, e.catalog]),
    );
    const checks = options.checks();
    const services = [];
    if (day) {
      for await (const page of store.snapshotsOfDay(day, visible)) {
        services.push(
          ...page.map(s =>
            registerEntryOf(s, catalogInfo.get(s.entityRef), checks),
          ),
        );
      }
    }
    const head = day ? await store.historyHeadOf(day) : undefined;
    const register: BackupRegister = {
      asOf,
      ...(day ? { day } : {}),
      generatedAt: new Date().toISOString(),
      ...(head ? { historyHead: head } : {}),
      services,
    };
    if (format === 'json') {
      res.json(register);
    } else if (format === 'csv') {
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="backup-compliance-register-${asOf}.csv"`,
      );
      res.type('text/csv').send(registerCsv(register) as unknown as undefined);
    } else {
      res
        .type('text/html')
        .send(registerHtml(register) as unknown as undefined);
    }
  });

  router.get('/v1/scorecard/export', async (req, res) => {
    const { day, visible } = await scorecardOf(req);
    const format = req.query.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') {
      throw new InputError(`format must be csv or json, got "${format}"`);
    }
    const query = parseScorecardQuery(
      {
        ...(req.query as Record<string, unknown>),
        page: undefined,
        pageSize: undefined,
        asOf: undefined,
      },
      knownCheckIds(),
    );
    const { items: rows } = await store.queryScorecard(
      { ...query, all: true },
      day === null ? [] : visible,
      day ?? undefined,
    );
    const named =
      parseDay('asOf', req.query.asOf) ?? new Date().toISOString().slice(0, 10);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="backup-compliance-${named}.${format}"`,
    );
    if (format === 'json') {
      res.json({
        exportedAt: new Date().toISOString(),
        ...(req.query.asOf ? { asOf: named, day: day ?? null } : {}),
        items: rows,
      });
    } else {
      // The typed router only models JSON bodies; the spec declares text/csv too.
      res.type('text/csv').send(toCsv(rows) as unknown as undefined);
    }
  });

  return router;
}
