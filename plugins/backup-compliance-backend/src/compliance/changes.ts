import { parseEntityRef } from '@backstage/catalog-model';
import type {
  CheckResult,
  ComplianceLevel,
} from '@backup-compliance/backstage-plugin-common';
import type { BackupComplianceChange } from '@backup-compliance/backstage-plugin-node';
import type { NotificationSettings } from '../config/readBackupComplianceConfig';
import type { EntityComplianceSnapshot } from './evaluateEntity';

const DAY_MS = 86_400_000;

/** How bad a level is: getting worse is moving up. */
const SEVERITY: Record<ComplianceLevel, number> = {
  compliant: 0,
  'at-risk': 1,
  unknown: 1,
  misconfigured: 2,
  'non-compliant': 3,
};

/** The path of an entity's Backup tab in the portal. */
export function backupTabPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  // as the catalog's entity routes write it: kind and namespace in lower case
  return `/catalog/${encodeURIComponent(
    namespace.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/backup`;
}

/** A check that counts and does not pass: fail, warn or unknown. */
export const notPassing = (c: CheckResult) =>
  !c.informational &&
  !c.notApplicable &&
  (c.status === 'fail' || c.status === 'warn' || c.status === 'unknown');

/**
 * What the owners should hear of in a batch of new verdicts, against the verdicts they
 * replace (`previous`: level and when it was judged). A level that got worse into one of
 * `settings.levels`, a level back to compliant, a waiver in force that expires within
 * `settings.waiverExpiryDays`. A first verdict is no change: installing the plugin does
 * not tell every owner at once.
 *
 * Each change's id names the verdict it moved away from (or the waiver and its expiry),
 * so judging the same verdicts again, on any replica, gives the same ids.
 */
export function changesOf(options: {
  snapshots: EntityComplianceSnapshot[];
  previous: Map<string, { level: ComplianceLevel; evaluatedAt: string }>;
  settings: NotificationSettings;
  titleOf: (checkId: string) => string;
  now: Date;
}): BackupComplianceChange[] {
  const { snapshots, previous, settings, titleOf, now } = options;
  const today = Date.parse(now.toISOString().slice(0, 10));
  const changes: BackupComplianceChange[] = [];
  for (const snapshot of snapshots) {
    const { entityRef, level, evaluatedAt } = snapshot;
    const base = { entityRef, link: backupTabPath(entityRef), evaluatedAt };
    const before = previous.get(entityRef);
    if (before && before.level !== level) {
      const worse =
        SEVERITY[level] > SEVERITY[before.level] &&
        settings.levels.includes(level);
      const recovered =
        level === 'compliant' &&
        before.level !== 'compliant' &&
        settings.recovered;
      if (worse || recovered) {
        changes.push({
          ...base,
          id: `${worse ? 'worse' : 'recovered'}|${entityRef}|${
            before.level
          }>${level}|${before.evaluatedAt}`,
          kind: worse ? 'worse' : 'recovered',
          from: before.level,
          to: level,
          checks: worse
            ? snapshot.checks.filter(notPassing).map(c => ({
                checkId: c.checkId,
                title: titleOf(c.checkId),
                explanation: c.explanation,
              }))
            : [],
        });
      }
    }
    if (settings.waiverExpiryDays > 0) {
      for (const check of snapshot.checks) {
        const waiver = check.waiver;
        if (!waiver) continue;
        const daysLeft = Math.round(
          (Date.parse(waiver.expires) - today) / DAY_MS,
        );
        if (daysLeft < 0 || daysLeft > settings.waiverExpiryDays) continue;
        changes.push({
          ...base,
          id: `waiver-expiring|${entityRef}|${waiver.check}|${waiver.expires}`,
          kind: 'waiver-expiring',
          waiver,
          daysLeft,
          checks: [
            {
              checkId: check.checkId,
              title: titleOf(check.checkId),
              explanation: check.explanation,
            },
          ],
        });
      }
    }
  }
  return changes;
}
