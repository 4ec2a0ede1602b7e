import { createHash } from 'node:crypto';

/** The previous hash of a chain's first row. */
export const GENESIS = '0'.repeat(64);

/** A history row as stored: what its hash covers. */
export type HistoryRowContent = {
  entityRef: string;
  day: string;
  level: string;
  score: number | null;
  /** As stored: the JSON array of failing check ids. */
  failingChecks: string;
  /** ISO 8601, milliseconds, UTC. */
  evaluatedAt: string;
};

const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A row's hash: SHA-256 over the previous row's hash and the row's content, written as a
 * JSON array in a fixed order, so anyone can recompute it from the table.
 */
export function rowHash(prevHash: string, row: HistoryRowContent): string {
  return sha256(
    `${prevHash}\n${JSON.stringify([
      row.entityRef,
      row.day,
      row.level,
      row.score,
      row.failingChecks,
      row.evaluatedAt,
    ])}`,
  );
}

/**
 * A day's head: SHA-256 over the previous day's head and every entity's row hash of that
 * day, one `entityRef hash` line each, sorted by entity reference.
 */
export function dayHead(
  prevHead: string,
  rows: Array<{ entityRef: string; hash: string }>,
): string {
  const lines = [...rows]
    .sort(
      (a, b) =>
        Number(a.entityRef > b.entityRef) - Number(a.entityRef < b.entityRef),
    )
    .map(r => `${r.entityRef} ${r.hash}`);
  return sha256([prevHead, ...lines].join('\n'));
}
