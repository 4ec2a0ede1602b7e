import { BackupPolicy } from '../../config/readPolicies';
import { EvaluationContext, ResourceCheck, ResourceEvidence } from '../types';
import { pointRetentionDays } from './retention';
import {
  fact,
  HOUR_MS,
  humanAge,
  humanDays,
  notApplicable,
  ruleOfPoint,
  usablePoints,
} from './util';

function vaultLocation(
  arn: string | undefined,
): { region: string; accountId: string } | undefined {
  const parts = arn?.split(':');
  return parts && parts.length >= 5
    ? { region: parts[3], accountId: parts[4] }
    : undefined;
}

const kept = (days: number | undefined) =>
  days === undefined ? Infinity : days;
const daysText = (days: number) =>
  Number.isFinite(days) ? humanDays(days) : 'forever';

/**
 * Copies kept shorter than the policy's `copies.retention` asks: the copy actions
 * of the rules (each copy action has a lifecycle of its own), then the copies found.
 */
function shortCopies(
  resource: ResourceEvidence,
  policy: BackupPolicy,
  elsewhere: (location?: { region: string; accountId: string }) => boolean,
): string[] {
  const wanted = (sourceDays: number) =>
    policy.copies.retention === 'same-as-source'
      ? sourceDays
      : Math.min(policy.copies.retention, sourceDays);
  const problems: string[] = [];
  for (const { planName, rule } of resource.rules) {
    const source = kept(rule.Lifecycle?.DeleteAfterDays);
    for (const action of rule.CopyActions ?? []) {
      const location = vaultLocation(action.DestinationBackupVaultArn);
      const copy = kept(action.Lifecycle?.DeleteAfterDays);
      if (elsewhere(location) && copy < wanted(source)) {
        problems.push(
          `rule ${planName}/${rule.RuleName} keeps its copies to ${
            location!.accountId
          }/${location!.region} ${daysText(copy)}, its points ${daysText(
            source,
          )}`,
        );
      }
    }
  }
  const copies = usablePoints(resource.points).filter(p => elsewhere(p));
  const short = copies.filter(p => {
    const rule = ruleOfPoint(p, resource.rules);
    return (
      rule &&
      pointRetentionDays(p) < wanted(kept(rule.rule.Lifecycle?.DeleteAfterDays))
    );
  });
  if (short.length > 0) {
    problems.push(
      `${short.length} of ${copies.length} copies expire before the points they copy`,
    );
  }
  return problems;
}

function copyCheck(kind: 'region' | 'account'): ResourceCheck {
  return (
    resource: ResourceEvidence,
    policy: BackupPolicy,
    { now, collected }: EvaluationContext,
  ) => {
    const required =
      kind === 'region'
        ? policy.copies.crossRegion
        : policy.copies.crossAccount;
    if (!required) {
      return notApplicable(
        `Policy ${policy.name} requires no cross-${kind} copy.`,
      );
    }
    const elsewhere = (location?: { region: string; accountId: string }) =>
      !!location &&
      (kind === 'region'
        ? location.region !== resource.region
        : location.accountId !== resource.accountId);
    const rpoMs = policy.rpoHours * HOUR_MS;
    const jobs = resource.copyJobs
      .filter(
        j =>
          j.State === 'COMPLETED' &&
          elsewhere(vaultLocation(j.DestinationBackupVaultArn)),
      )
      .sort(
        (a, b) =>
          (b.CompletionDate?.getTime() ?? 0) -
          (a.CompletionDate?.getTime() ?? 0),
      );
    const copies = usablePoints(resource.points).filter(p => elsewhere(p));
    const newestJob = jobs[0]?.CompletionDate ?? jobs[0]?.CreationDate;
    const newestCopy = copies[0]?.CreationDate;
    const newest = [newestJob, newestCopy]
      .filter((d): d is Date => !!d)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    const facts = [
      fact(
        `Newest completed copy job to another ${kind}`,
        newestJob,
        'ListCopyJobs: State, DestinationBackupVaultArn, CompletionDate',
        resource.arn,
      ),
      fact(
        `Newest recovery point in another ${kind}`,
        newestCopy,
        'ListRecoveryPointsByBackupVault: CreationDate (other vaults)',
        resource.arn,
      ),
      fact('RPO', `${policy.rpoHours} h`, `policy ${policy.name}: rpoHours`),
      fact(
        'Copies must keep',
        policy.copies.retention === 'same-as-source'
          ? 'as long as the points they copy'
          : `${humanDays(policy.copies.retention)} (or as long as the source)`,
        `policy ${policy.name}: copies.retention`,
      ),
    ];
    const short = shortCopies(resource, policy, elsewhere);
    if (short.length > 0) {
      facts.push(
        fact(
          'Copies kept too short',
          short.join('; '),
          'GetBackupPlan: Rules[].CopyActions[].Lifecycle; ListRecoveryPointsByBackupVault: CalculatedLifecycle',
          resource.arn,
        ),
      );
    }
    const shortText =
      short.length > 0
        ? `; but ${short.join(
            '; ',
          )}, so the copy does not protect what the source keeps`
        : '';
    if (newest && now.getTime() - newest.getTime() <= rpoMs) {
      return {
        status: short.length > 0 ? 'fail' : 'pass',
        facts,
        explanation: `A copy in another ${kind} is ${humanAge(
          now.getTime() - newest.getTime(),
        )} old, within the RPO${shortText}.`,
      };
    }
    if (newest) {
      return {
        status: 'fail',
        facts,
        explanation: `The newest copy in another ${kind} is ${humanAge(
          now.getTime() - newest.getTime(),
        )} old, older than the ${policy.rpoHours} h RPO${shortText}.`,
      };
    }
    // Copies land in vaults we may not have read: say so instead of failing blindly.
    const destinations = resource.rules
      .flatMap(r => r.rule.CopyActions ?? [])
      .map(c => c.DestinationBackupVaultArn);
    const unread = destinations
      .map(vaultLocation)
      .filter(
        l => elsewhere(l) && !collected.has(`${l!.accountId}/${l!.region}`),
      );
    if (unread.length > 0) {
      return {
        status: 'unknown',
        facts,
        explanation: `The plan copies to ${unread
          .map(l => `${l!.accountId}/${l!.region}`)
          .join(
            ', ',
          )}, which has not been collected, and no completed copy job shows it arrived.`,
      };
    }
    return {
      status: 'fail',
      facts,
      explanation: destinations.some(d => elsewhere(vaultLocation(d)))
        ? `The plan has a copy action to another ${kind}, but no completed copy exists.`
        : `No copy to another ${kind} exists and no backup rule has a copy action to one.`,
    };
  };
}

export const crossRegionCopyCheck = copyCheck('region');
export const crossAccountCopyCheck = copyCheck('account');
