import { Entity } from '@backstage/catalog-model';

/**
 * Opts an entity in: its AWS resources are those carrying all of these tags,
 * written `key=value,key2=value2`.
 *
 * @public
 */
export const BACKUP_RESOURCE_TAGS_ANNOTATION =
  'aws.amazon.com/backup-resource-tags';

/**
 * Names the policy (from `backupCompliance.policies`) the entity is judged by.
 *
 * @public
 */
export const BACKUP_POLICY_ANNOTATION = 'aws.amazon.com/backup-policy';

/**
 * Comma-separated AWS account ids to look in; default: every configured account.
 *
 * @public
 */
export const BACKUP_ACCOUNTS_ANNOTATION = 'aws.amazon.com/backup-accounts';

/**
 * Comma-separated AWS regions to look in; default: every configured region.
 *
 * @public
 */
export const BACKUP_REGIONS_ANNOTATION = 'aws.amazon.com/backup-regions';

/**
 * Days personal data lives before it is deleted; enables the
 * `retention-alignment` check.
 *
 * @public
 */
export const BACKUP_PII_DELETION_DAYS_ANNOTATION =
  'aws.amazon.com/backup-pii-deletion-days';

/**
 * Whether the entity opted in to backup compliance (carries the tags annotation).
 *
 * @public
 */
export function isBackupComplianceAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[BACKUP_RESOURCE_TAGS_ANNOTATION]?.trim(),
  );
}
