import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  FactRetriever,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import type { ScorecardRow } from '@backup-compliance/backstage-plugin-common';

/**
 * The retriever's id: the key of its settings under `techInsights.factRetrievers` and
 * the `factIds` entry of checks on its facts.
 *
 * @public
 */
export const BACKUP_COMPLIANCE_FACT_RETRIEVER_ID =
  'backupComplianceFactRetriever';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const oneDecimal = (n: number) => Math.round(n * 10) / 10;

/**
 * One entity's facts from its scorecard row, at `now`. A fact whose data is missing (no
 * score, a resource without recovery points or without a successful test restore, no
 * waiver) is left out, never given a value that would pass a check.
 *
 * @public
 */
export function factsOf(row: ScorecardRow, now: Date): TechInsightFact {
  const { kind, namespace, name } = parseEntityRef(row.entityRef);
  const facts: TechInsightFact['facts'] = {
    backupComplianceLevel: row.level,
    backupCompliant: row.level === 'compliant',
    backupCheckStatuses: row.statuses,
    backupFailingChecks: row.failingChecks,
    backupEvaluatedAt: row.evaluatedAt,
  };
  if (row.score !== null) facts.backupComplianceScore = row.score;
  if (row.stalestBackupAt) {
    facts.newestRecoveryPointAgeHours = oneDecimal(
      (now.getTime() - Date.parse(row.stalestBackupAt)) / HOUR_MS,
    );
  }
  if (row.stalestRestoreTestAt) {
    facts.lastRestoreTestAgeDays = oneDecimal(
      (now.getTime() - Date.parse(row.stalestRestoreTestAt)) / DAY_MS,
    );
  }
  if (row.nextWaiverExpiry) {
    // a waiver applies through its expiry day (UTC)
    const today = Date.parse(now.toISOString().slice(0, 10));
    facts.daysUntilWaiverExpiry = Math.round(
      (Date.parse(row.nextWaiverExpiry) - today) / DAY_MS,
    );
  }
  return { entity: { kind, namespace, name }, facts };
}

/**
 * Publishes, for every entity the Backup Compliance backend plugin has judged, the
 * verdict of its last evaluation. It reads the plugin's own store through its REST API
 * (`GET /v1/scorecard/export?format=json`, as the retriever's service), never AWS: running
 * it costs no AWS calls and shows what the Backup tab shows.
 *
 * @public
 */
export const backupComplianceFactRetriever: FactRetriever = {
  id: BACKUP_COMPLIANCE_FACT_RETRIEVER_ID,
  version: '0.1.0',
  title: 'Backup compliance',
  description:
    'Backup compliance of each opted-in entity (DORA Art. 11-12): level, score, each check, how old its backups and test restores are at worst, and when a waiver expires',
  schema: {
    backupComplianceLevel: {
      type: 'string',
      description:
        'compliant, at-risk, non-compliant, misconfigured or unknown',
    },
    backupCompliant: {
      type: 'boolean',
      description: 'Whether the level is compliant',
    },
    backupComplianceScore: {
      type: 'integer',
      description:
        'Passed weight over applicable weight, 0 to 100; absent when no check applies',
    },
    backupCheckStatuses: {
      type: 'object',
      description:
        'Each check id and its status: pass, fail, warn, waived, unknown, or n/a where the policy does not ask for it',
    },
    backupFailingChecks: {
      type: 'set',
      description: 'The ids of the checks that fail',
    },
    backupEvaluatedAt: {
      type: 'string',
      description: 'When the verdict was computed (ISO 8601)',
    },
    newestRecoveryPointAgeHours: {
      type: 'float',
      description:
        "Hours since the newest recovery point of the entity's least recently backed-up resource; absent when a resource has none",
    },
    lastRestoreTestAgeDays: {
      type: 'float',
      description:
        "Days since the last successful test restore of the entity's least recently tested resource; absent when a resource has none",
    },
    daysUntilWaiverExpiry: {
      type: 'integer',
      description:
        'Days until the nearest expiry of a waiver in force (0: it expires today); absent without one',
    },
  },
  async handler({ discovery, auth }) {
    const baseUrl = await discovery.getBaseUrl('backup-compliance');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'backup-compliance',
    });
    const response = await fetch(`${baseUrl}/v1/scorecard/export?format=json`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const { items } = (await response.json()) as { items: ScorecardRow[] };
    const now = new Date();
    return items.map(row => factsOf(row, now));
  },
};
