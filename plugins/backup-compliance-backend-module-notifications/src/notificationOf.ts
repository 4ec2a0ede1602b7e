import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { BackupComplianceChange } from '@backup-compliance/backstage-plugin-node';

/** Longest description sent: the Backup tab has the rest. */
const MAX_DESCRIPTION = 1_000;

const SEVERITY: Record<string, NotificationSeverity> = {
  'non-compliant': 'high',
  misconfigured: 'high',
  unknown: 'normal',
  'at-risk': 'normal',
  compliant: 'low',
};

const nameOf = (entityRef: string) => entityRef.split('/').pop() ?? entityRef;

const clip = (text: string) =>
  text.length <= MAX_DESCRIPTION
    ? text
    : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;

/**
 * The notification for one change: to the entity's owners (the notifications backend
 * resolves a component to the members of its owning group), linking to its Backup tab.
 * Level changes of one entity share a scope, so the newest replaces the older ones in the
 * owners' inbox; each waiver has its own.
 *
 * @public
 */
export function notificationOf(
  change: BackupComplianceChange,
): NotificationSendOptions {
  const name = nameOf(change.entityRef);
  const recipients = { type: 'entity' as const, entityRef: change.entityRef };
  const topic = 'Backup compliance';
  if (change.kind === 'waiver-expiring') {
    const [check] = change.checks;
    const when =
      change.daysLeft === 0
        ? 'today'
        : `in ${change.daysLeft} day${change.daysLeft === 1 ? '' : 's'}`;
    return {
      recipients,
      payload: {
        title: `${name}: the waiver for ${
          check?.title ?? change.waiver.check
        } expires ${when} (${change.waiver.expires})`,
        description: clip(
          `Approved by ${change.waiver.approvedBy}: "${
            change.waiver.reason
          }". After it expires the check counts again${
            check ? `: ${check.explanation}` : '.'
          }`,
        ),
        link: change.link,
        severity: change.daysLeft <= 3 ? 'high' : 'normal',
        topic,
        scope: `backup-compliance:${change.entityRef}:waiver:${change.waiver.check}`,
      },
    };
  }
  const description =
    change.kind === 'recovered'
      ? `Was ${change.from}; it meets its backup policy again.`
      : `Was ${change.from}. ${change.checks
          .map(c => `${c.title}: ${c.explanation}`)
          .join(' ')}`;
  return {
    recipients,
    payload: {
      title:
        change.kind === 'recovered'
          ? `${name}: backups compliant again`
          : `${name}: backups now ${change.to}`,
      description: clip(description),
      link: change.link,
      severity: SEVERITY[change.to] ?? 'normal',
      topic,
      scope: `backup-compliance:${change.entityRef}:level`,
    },
  };
}
