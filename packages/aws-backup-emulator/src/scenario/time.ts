const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  // AWS's own tooling counts a year as 365 days (see AWS-BACKUP-API.md).
  y: 365 * 86_400_000,
};

const RELATIVE = /^([+-])(\d+)(s|m|h|d|w|y)$/;

/**
 * Resolves a scenario time: `now`, a relative offset (`-3d`, `-26h`, `-7y`,
 * `+10d`; m = minutes, y = 365 days) or an ISO-8601 date. Returns undefined when
 * the text is none of these.
 */
export function resolveTime(text: string, now: Date): Date | undefined {
  if (text === 'now') {
    return new Date(now.getTime());
  }
  const relative = RELATIVE.exec(text);
  if (relative) {
    const sign = relative[1] === '-' ? -1 : 1;
    return new Date(
      now.getTime() + sign * Number(relative[2]) * UNIT_MS[relative[3]],
    );
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

/** Fields whose values are times, in every AWS shape the emulator serves. */
export const TIME_FIELDS = new Set([
  'CreationDate',
  'CompletionDate',
  'LockDate',
  'LastBackupTime',
  'DeleteAt',
  'MoveToColdStorageAt',
  'LastExecutionDate',
  'DeletionDate',
  'StartBy',
  'ExpectedCompletionDate',
  'RecoveryPointCreationDate',
  'CreationTime',
  'LastExecutionTime',
  'LastUpdateTime',
  'CancellationDate',
  'RetainRecordUntil',
  'LastRestoreTime',
]);
