import {
  COMPLIANCE_LEVELS,
  ComplianceLevel,
  Scorecard,
  ScorecardRow,
} from '@backup-compliance/backstage-plugin-common';
import { InputError } from '@backstage/errors';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import { VerdictRow } from '../database/BackupStore';

export type ScorecardQuery = {
  groupBy?: 'owner' | 'system' | 'domain';
  level?: ComplianceLevel[];
  check?: string;
  /** `spec.owner` as the entities write it; several: any of them (the spellings of one owner). */
  owner?: string | string[];
  q?: string;
  sort: 'entity' | 'score' | 'level' | 'owner';
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
};

const LEVELS: readonly ComplianceLevel[] = COMPLIANCE_LEVELS;
const SORTS = ['entity', 'score', 'level', 'owner'] as const;
const GROUPS = ['owner', 'system', 'domain'] as const;

const single = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${name} must be given once`);
  return value;
};

/**
 * A whole number in decimal digits within [min, max], or undefined when absent. `Number()`
 * alone would take `0x10`, `1e2`, ` 7 ` or `+3`: a caller who sends those meant something
 * else, so they are a 400 naming the parameter.
 */
export function parseWholeNumber(
  name: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  const text = single(value, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]{1,9}$/.test(text) || n < min || n > max) {
    throw new InputError(
      `${name} must be a whole number from ${min} to ${max} in decimal digits, got "${text}"`,
    );
  }
  return n;
}

/**
 * Reads and validates the scorecard's query string; a bad parameter is a 400 naming it.
 * `knownChecks`, when given, are the ids `check` may name (built-in and module checks).
 */
export function parseScorecardQuery(
  query: Record<string, unknown>,
  knownChecks?: string[],
): ScorecardQuery {
  const groupBy = single(query.groupBy, 'groupBy');
  if (
    groupBy !== undefined &&
    !(GROUPS as readonly string[]).includes(groupBy)
  ) {
    throw new InputError(
      `groupBy must be one of ${GROUPS.join(', ')}, got "${groupBy}"`,
    );
  }
  const levelText = single(query.level, 'level');
  const level = levelText?.split(',').map(l => l.trim()) as
    | ComplianceLevel[]
    | undefined;
  const badLevel = level?.find(l => !LEVELS.includes(l));
  if (badLevel !== undefined) {
    throw new InputError(
      `level must be among ${LEVELS.join(', ')}, got "${badLevel}"`,
    );
  }
  const sort = single(query.sort, 'sort') ?? 'level';
  if (!(SORTS as readonly string[]).includes(sort)) {
    throw new InputError(
      `sort must be one of ${SORTS.join(', ')}, got "${sort}"`,
    );
  }
  const order = single(query.order, 'order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new InputError(`order must be asc or desc, got "${order}"`);
  }
  const integer = (name: string, fallback: number, max: number) =>
    parseWholeNumber(name, query[name], 1, max) ?? fallback;
  const check = single(query.check, 'check');
  if (check !== undefined && knownChecks && !knownChecks.includes(check)) {
    throw new InputError(
      `check must be one of the known check ids (${knownChecks.join(
        ', ',
      )}), got "${check}"`,
    );
  }
  return {
    groupBy: groupBy as ScorecardQuery['groupBy'],
    level,
    check,
    owner: single(query.owner, 'owner'),
    q: single(query.q, 'q')?.toLowerCase(),
    sort: sort as ScorecardQuery['sort'],
    order,
    page: integer('page', 1, 100_000),
    pageSize: integer('pageSize', 50, 1000),
  };
}

/** The brief the store keeps beside each snapshot, so the scorecard need not parse snapshots. */
export function verdictRowOf(snapshot: EntityComplianceSnapshot): VerdictRow {
  const { resources } = snapshot;
  const today = snapshot.evaluatedAt.slice(0, 10);
  return {
    ...stalest(
      'stalestBackupAt',
      resources.map(r => r.summary?.newestPointAt),
    ),
    ...stalest(
      'stalestRestoreTestAt',
      resources.map(r => r.summary?.lastSuccessfulRestoreTestAt),
    ),
    ...earliest(
      'nextWaiverExpiry',
      snapshot.checks.flatMap(c =>
        c.waiver && c.waiver.expires >= today ? [c.waiver.expires] : [],
      ),
    ),
    entityRef: snapshot.entityRef,
    evaluatedAt: snapshot.evaluatedAt,
    level: snapshot.level,
    score: snapshot.score,
    policies: snapshot.policies,
    statuses: Object.fromEntries(
      snapshot.checks.map(c => [c.checkId, c.notApplicable ? 'n/a' : c.status]),
    ),
    informational: snapshot.checks
      .filter(c => c.informational)
      .map(c => c.checkId),
  };
}

/** The earliest of ISO times or days that sort as text, under `key`; none: nothing. */
function earliest<K extends string>(
  key: K,
  values: string[],
): Partial<Record<K, string>> {
  if (values.length === 0) return {};
  return { [key]: values.reduce((a, b) => (b < a ? b : a)) } as Partial<
    Record<K, string>
  >;
}

/**
 * The earliest of one time per resource: the stalest resource's. When a resource has
 * none, no time says how stale it is, and there is none.
 */
function stalest<K extends string>(
  key: K,
  perResource: Array<string | undefined>,
): Partial<Record<K, string>> {
  if (perResource.some(t => t === undefined)) return {};
  return earliest(key, perResource as string[]);
}

/**
 * What the store answers for `GET /v1/scorecard`: the answer without the paging the
 * router adds.
 */
export type ScorecardResult = Omit<Scorecard, 'page' | 'pageSize'>;

/** The entities a caller may see: all of them, or these (the catalog's answer). */
export type VisibleEntities = 'all' | string[];

/** Each list of entities a caller may see, and the list the catalog admitted it from. */
const admittedLists = new WeakMap<string[], string[]>();

/**
 * `admitted`, remembered as the part of `candidates` that the catalog admitted (in their
 * order), the others denied: the store knows its own lists of candidates, and reads
 * among those the few denied instead of naming the many admitted.
 */
export function admittedFrom(admitted: string[], candidates: string[]) {
  if (admitted !== candidates) admittedLists.set(admitted, candidates);
  return admitted;
}

/** The list `admitted` was admitted from ({@link admittedFrom}), if known. */
export function candidatesOf(admitted: string[]): string[] | undefined {
  return admittedLists.get(admitted);
}

/** A level's place in the default order: failures first. */
export const levelRank = (level: ComplianceLevel) => LEVELS.indexOf(level);

/**
 * One CSV cell. Cells a spreadsheet would read as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or carriage return) get a leading apostrophe.
 */
export function csvCell(value: unknown): string {
  let text = Array.isArray(value) ? value.join(' ') : String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS: Array<keyof ScorecardRow> = [
  'entityRef',
  'title',
  'owner',
  'system',
  'domain',
  'lifecycle',
  'policies',
  'level',
  'score',
  'failingChecks',
  'evaluatedAt',
];

export function toCsv(rows: ScorecardRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(CSV_COLUMNS.map(c => csvCell(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
