import { Entity } from '@backstage/catalog-model';
import {
  BACKUP_ACCOUNTS_ANNOTATION,
  BACKUP_PII_DELETION_DAYS_ANNOTATION,
  BACKUP_POLICY_ANNOTATION,
  BACKUP_REGIONS_ANNOTATION,
  BACKUP_RESOURCE_TAGS_ANNOTATION,
} from './annotations';

/**
 * What an entity's annotations ask for, once parsed and validated.
 *
 * @public
 */
export type BackupAnnotations = {
  /** Tags a resource must carry, all of them, to belong to the entity. */
  resourceTags: Record<string, string>;
  /** Policy named by the entity; undefined means "from the resource's policy tag, else default". */
  policy?: string;
  /** Account ids to look in; undefined means every configured account. */
  accounts?: string[];
  /** Regions to look in; undefined means every configured region. */
  regions?: string[];
  /** Days personal data lives before deletion. */
  piiDeletionDays?: number;
};

/**
 * One thing wrong with one annotation, worded for the person who edits the
 * entity's catalog file.
 *
 * @public
 */
export type BackupAnnotationProblem = {
  annotation: string;
  value: string;
  message: string;
};

/**
 * Result of {@link parseBackupAnnotations}: either the parsed annotations or
 * every problem found (all of them, not only the first).
 *
 * @public
 */
export type BackupAnnotationsParseResult =
  | { ok: true; annotations: BackupAnnotations }
  | { ok: false; problems: BackupAnnotationProblem[] };

/**
 * A correct example, shown next to problems so a reader can see the format.
 *
 * @public
 */
export const BACKUP_ANNOTATIONS_EXAMPLE = `metadata:
  annotations:
    ${BACKUP_RESOURCE_TAGS_ANNOTATION}: app=payments-ledger,env=prod
    ${BACKUP_POLICY_ANNOTATION}: transactions-db
    ${BACKUP_ACCOUNTS_ANNOTATION}: '111111111111,222222222222'
    ${BACKUP_REGIONS_ANNOTATION}: eu-central-1,eu-west-1
    ${BACKUP_PII_DELETION_DAYS_ANNOTATION}: '35'`;

// AWS tag limits: keys 1-128 characters, values 0-256, and the `aws:` prefix
// is reserved for AWS.
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;
const ACCOUNT_ID = /^\d{12}$/;
// Partition-agnostic region shape: eu-central-1, us-gov-west-1, cn-north-1.
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function splitList(value: string): string[] {
  return value
    .split(',')
    .map(part => part.trim())
    .filter(part => part.length > 0);
}

function parseTags(
  value: string,
  problem: (message: string) => void,
): Record<string, string> {
  const tags: Record<string, string> = {};
  const pairs = value.split(',').map(pair => pair.trim());
  if (pairs.every(pair => pair === '')) {
    problem('no tags given; expected key=value pairs separated by commas');
    return tags;
  }
  for (const pair of pairs) {
    if (pair === '') {
      problem('empty entry between commas');
      continue;
    }
    const eq = pair.indexOf('=');
    if (eq < 0) {
      problem(`"${pair}" is not a key=value pair`);
      continue;
    }
    const key = pair.slice(0, eq).trim();
    const tagValue = pair.slice(eq + 1).trim();
    if (!key) {
      problem(`"${pair}" has no tag key before "="`);
    } else if (key.length > MAX_TAG_KEY_LENGTH) {
      problem(
        `tag key "${key}" is longer than ${MAX_TAG_KEY_LENGTH} characters`,
      );
    } else if (tagValue.length > MAX_TAG_VALUE_LENGTH) {
      problem(
        `value of tag "${key}" is longer than ${MAX_TAG_VALUE_LENGTH} characters`,
      );
    } else if (key in tags && tags[key] !== tagValue) {
      problem(
        `tag "${key}" is given twice with different values ("${tags[key]}", "${tagValue}"); a resource carries one value per key`,
      );
    } else {
      tags[key] = tagValue;
    }
  }
  return tags;
}

/**
 * Parses and validates the backup annotations of one entity. Never throws:
 * problems are returned so one malformed entity cannot stop the others.
 *
 * @public
 */
export function parseBackupAnnotations(
  entity: Entity,
): BackupAnnotationsParseResult {
  const annotations = entity.metadata.annotations ?? {};
  const problems: BackupAnnotationProblem[] = [];
  const report = (annotation: string) => (message: string) =>
    problems.push({ annotation, value: annotations[annotation], message });

  const result: BackupAnnotations = { resourceTags: {} };

  const tagsValue = annotations[BACKUP_RESOURCE_TAGS_ANNOTATION];
  if (tagsValue === undefined) {
    problems.push({
      annotation: BACKUP_RESOURCE_TAGS_ANNOTATION,
      value: '',
      message: 'annotation is missing; it opts the entity in',
    });
  } else {
    result.resourceTags = parseTags(
      tagsValue,
      report(BACKUP_RESOURCE_TAGS_ANNOTATION),
    );
  }

  const policy = annotations[BACKUP_POLICY_ANNOTATION];
  if (policy !== undefined) {
    if (POLICY_NAME.test(policy.trim())) {
      result.policy = policy.trim();
    } else {
      report(BACKUP_POLICY_ANNOTATION)(
        `"${policy}" is not a policy name (letters, digits, ".", "_", "-"; at most 63 characters)`,
      );
    }
  }

  const accounts = annotations[BACKUP_ACCOUNTS_ANNOTATION];
  if (accounts !== undefined) {
    const ids = splitList(accounts);
    const bad = ids.filter(id => !ACCOUNT_ID.test(id));
    if (ids.length === 0) {
      report(BACKUP_ACCOUNTS_ANNOTATION)('no account ids given');
    } else if (bad.length > 0) {
      report(BACKUP_ACCOUNTS_ANNOTATION)(
        `${bad.map(id => `"${id}"`).join(', ')} ${
          bad.length === 1
            ? 'is not an AWS account id'
            : 'are not AWS account ids'
        } (12 digits)`,
      );
    } else {
      result.accounts = [...new Set(ids)];
    }
  }

  const regions = annotations[BACKUP_REGIONS_ANNOTATION];
  if (regions !== undefined) {
    const names = splitList(regions);
    const bad = names.filter(name => !REGION.test(name));
    if (names.length === 0) {
      report(BACKUP_REGIONS_ANNOTATION)('no regions given');
    } else if (bad.length > 0) {
      report(BACKUP_REGIONS_ANNOTATION)(
        `${bad.map(name => `"${name}"`).join(', ')} ${
          bad.length === 1 ? 'is not an AWS region' : 'are not AWS regions'
        } (such as eu-central-1)`,
      );
    } else {
      result.regions = [...new Set(names)];
    }
  }

  const piiDays = annotations[BACKUP_PII_DELETION_DAYS_ANNOTATION];
  if (piiDays !== undefined) {
    const trimmed = piiDays.trim();
    const days = Number(trimmed);
    if (!/^\d+$/.test(trimmed) || days < 1) {
      report(BACKUP_PII_DELETION_DAYS_ANNOTATION)(
        `"${piiDays}" is not a whole number of days (1 or more)`,
      );
    } else {
      result.piiDeletionDays = days;
    }
  }

  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, annotations: result };
}
