import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  backupComplianceScorecardReadPermission,
  CheckDefinition,
  COMPLIANCE_LEVELS,
} from '@backup-compliance/backstage-plugin-common';
import { BackupStore } from '../database/BackupStore';
import { EntityAccess } from './EntityAccess';
import { backupTabPath, notPassing } from '../compliance/changes';

const LEVELS = COMPLIANCE_LEVELS;

/** At most this many entities in one answer: an agent asks for the next page. */
const PAGE_SIZE = 100;

const validators = makeValidator();

/** An entity reference as a person writes it, `kind:namespace/name`, checked part by part. */
function entityRefOf(text: string, defaultKind: string): string {
  const invalid = (why: string) =>
    new InputError(
      `"${text}" is not an entity reference (kind:namespace/name, for example component:default/payments-api): ${why}`,
    );
  let ref;
  try {
    ref = parseEntityRef(text.trim(), {
      defaultKind,
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (!validators.isValidKind(ref.kind))
    throw invalid(`bad kind "${ref.kind}"`);
  if (!validators.isValidNamespace(ref.namespace)) {
    throw invalid(`bad namespace "${ref.namespace}"`);
  }
  if (!validators.isValidEntityName(ref.name)) {
    throw invalid(`bad name "${ref.name}"`);
  }
  return stringifyEntityRef(ref);
}

/**
 * Every way an entity's `spec.owner` can name this owner: the kind defaults to group and
 * the namespace to the entity's own (default here), so `payments`, `group:payments`,
 * `default/payments` and `group:default/payments` are one group.
 */
function ownerSpellings(ownerRef: string): string[] {
  const { kind, namespace, name } = parseEntityRef(ownerRef);
  const spellings = [`${kind}:${namespace}/${name}`];
  if (namespace === 'default') spellings.push(`${kind}:${name}`);
  if (kind === 'group') {
    spellings.push(`${namespace}/${name}`);
    if (namespace === 'default') spellings.push(name);
  }
  return spellings;
}

/**
 * Registers the plugin's actions with Backstage's actions registry, which the MCP
 * actions backend offers to AI agents. Each answers with the caller's credentials as the
 * REST API does: an entity the caller may not read in the catalog is not found, and a
 * list holds only what the caller may read.
 */
export function registerActions(options: {
  actionsRegistry: ActionsRegistryService;
  store: BackupStore;
  access: EntityAccess;
  checks: () => CheckDefinition[];
}) {
  const { actionsRegistry, store, access, checks } = options;
  const titleOf = (checkId: string) =>
    checks().find(c => c.id === checkId)?.title ?? checkId;

  actionsRegistry.register({
    name: 'get-backup-verdict',
    title: 'Get the backup compliance verdict of a service',
    description:
      'The backup compliance verdict of one catalog entity, from the last collection of AWS Backup: its level (compliant, at-risk, non-compliant, misconfigured or unknown), its score, and each check it does not pass with the explanation, the remediation and the DORA articles (Regulation (EU) 2022/2554) behind it. The entity must opt in with the aws.amazon.com/backup-resource-tags annotation. Answers only for entities the caller may read in the catalog.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'The entity, as kind:namespace/name; the kind defaults to component and the namespace to default (payments-api is component:default/payments-api)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          level: z.enum(LEVELS),
          score: z
            .number()
            .nullable()
            .describe('Passed weight over applicable weight, 0 to 100'),
          evaluatedAt: z.string().describe('When the verdict was computed'),
          policies: z.array(z.string()),
          problems: z
            .array(z.string())
            .describe('Why the entity is misconfigured, when it is'),
          staleAccountRegions: z
            .array(z.string())
            .describe('Account-regions whose last collection failed'),
          notPassing: z.array(
            z.object({
              checkId: z.string(),
              title: z.string(),
              status: z.enum(['fail', 'warn', 'unknown']),
              explanation: z.string(),
              remediation: z.string(),
              dora: z.array(z.string()),
              resources: z.array(z.string()),
            }),
          ),
          backupTab: z
            .string()
            .describe("The path of the entity's Backup tab in Backstage"),
        }),
    },
    examples: [
      {
        title: 'The verdict of the payments service',
        input: { entityRef: 'component:default/payments-api' },
      },
    ],
    action: async ({ input, credentials }) => {
      const entityRef = await access.readableEntityRef(
        credentials,
        entityRefOf(input.entityRef, 'component'),
      );
      const snapshot = await store.getSnapshot(entityRef);
      if (!snapshot) {
        throw new NotFoundError(
          `${entityRef} has no verdict: it is not opted in (aws.amazon.com/backup-resource-tags), or no collection cycle has run since it was`,
        );
      }
      return {
        output: {
          entityRef,
          level: snapshot.level,
          score: snapshot.score,
          evaluatedAt: snapshot.evaluatedAt,
          policies: snapshot.policies,
          problems: snapshot.problems,
          staleAccountRegions: snapshot.staleAccountRegions,
          notPassing: snapshot.checks.filter(notPassing).map(c => ({
            checkId: c.checkId,
            title: titleOf(c.checkId),
            status: c.status as 'fail' | 'warn' | 'unknown',
            explanation: c.explanation,
            remediation: c.remediation,
            dora: c.dora,
            resources: c.resources,
          })),
          backupTab: backupTabPath(entityRef),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-non-compliant-entities',
    title: 'List the services of an owner that fail backup compliance',
    description:
      'The catalog entities an owner (a group or user) owns whose backup compliance level is non-compliant, or any levels asked for, worst score first, with the checks each fails. Needs the scorecard permission, and lists only entities the caller may read in the catalog.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .min(1)
            .describe(
              'The owner, as the entities name it in spec.owner: a group or user reference (group:default/payments; the kind defaults to group)',
            ),
          levels: z
            .array(z.enum(LEVELS))
            .min(1)
            .optional()
            .describe('Levels to list; non-compliant when not given'),
          page: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(`Page of ${PAGE_SIZE} entities, from 1`),
        }),
      output: z =>
        z.object({
          owner: z.string(),
          levels: z.array(z.enum(LEVELS)),
          total: z.number().describe('Entities that match, on every page'),
          page: z.number(),
          pageSize: z.number(),
          items: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string().optional(),
              level: z.enum(LEVELS),
              score: z.number().nullable(),
              failingChecks: z.array(z.string()),
              evaluatedAt: z.string(),
              backupTab: z.string(),
            }),
          ),
        }),
    },
    examples: [
      {
        title: 'What the payments team must fix',
        input: { owner: 'group:default/payments' },
      },
    ],
    action: async ({ input, credentials }) => {
      const owner = entityRefOf(input.owner, 'group');
      const levels = input.levels ?? ['non-compliant'];
      const page = input.page ?? 1;
      const visible = await access.visibleEntities(
        credentials,
        undefined,
        backupComplianceScorecardReadPermission,
      );
      const result = await store.queryScorecard(
        {
          owner: ownerSpellings(owner),
          level: levels,
          sort: 'score',
          order: 'asc',
          page,
          pageSize: PAGE_SIZE,
        },
        visible,
      );
      return {
        output: {
          owner,
          levels,
          total: result.total,
          page,
          pageSize: PAGE_SIZE,
          items: result.items.map(row => ({
            entityRef: row.entityRef,
            ...(row.title ? { title: row.title } : {}),
            level: row.level,
            score: row.score,
            failingChecks: row.failingChecks,
            evaluatedAt: row.evaluatedAt,
            backupTab: backupTabPath(row.entityRef),
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'explain-backup-check',
    title: 'Explain a backup compliance check',
    description:
      'What one backup compliance check judges, why (the DORA articles, Regulation (EU) 2022/2554), how much it weighs in the score and how to remedy a failure. Without a check id, lists every check.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          checkId: z
            .string()
            .optional()
            .describe(
              'The check id, as a verdict names it (recovery-point-fresh, vault-lock, …)',
            ),
        }),
      output: z =>
        z.object({
          checks: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              description: z.string(),
              theme: z.string(),
              dora: z.array(z.string()),
              remediation: z.string(),
              weight: z.number(),
              informational: z.boolean(),
            }),
          ),
        }),
    },
    examples: [
      { title: 'What vault-lock asks for', input: { checkId: 'vault-lock' } },
    ],
    action: async ({ input }) => {
      const all = checks();
      const chosen = input.checkId
        ? all.filter(c => c.id === input.checkId)
        : all;
      if (chosen.length === 0) {
        throw new InputError(
          `No check "${input.checkId}"; the checks are ${all
            .map(c => c.id)
            .join(', ')}`,
        );
      }
      return {
        output: {
          checks: chosen.map(c => ({
            id: c.id,
            title: c.title,
            description: c.description,
            theme: c.theme,
            dora: c.dora,
            remediation: c.remediation,
            weight: c.weight,
            informational: !!c.informational,
          })),
        },
      };
    },
  });
}
