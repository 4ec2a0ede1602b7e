import { createHash } from 'node:crypto';

/** A UUID-shaped id that is the same for the same parts, run after run. */
export function stableId(...parts: Array<string | number>): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16,
  )}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** AWS Backup's resource type for a resource ARN (RDS, Aurora, DynamoDB, EFS, EBS, EC2, S3, ...). */
export function resourceTypeOfArn(arn: string): string {
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  switch (service) {
    case 'rds':
      return resource.startsWith('cluster:') ? 'Aurora' : 'RDS';
    case 'dynamodb':
      return 'DynamoDB';
    case 'elasticfilesystem':
      return 'EFS';
    case 'ec2':
      return resource.startsWith('volume/') ? 'EBS' : 'EC2';
    case 's3':
      return 'S3';
    case 'fsx':
      return 'FSx';
    case 'redshift':
      return 'Redshift';
    case 'storagegateway':
      return 'Storage Gateway';
    default:
      return service ?? 'unknown';
  }
}

/** The resource's own name: the last segment of its ARN. */
export function resourceNameOfArn(arn: string): string {
  const parts = arn.split(/[:/]/);
  return parts[parts.length - 1];
}

/**
 * The Tagging API's resource type of an ARN: `service` or `service:type`
 * (`rds:db`, `dynamodb:table`, `ec2:volume`, `s3`).
 */
export function taggingTypeOfArn(arn: string): {
  service: string;
  type?: string;
} {
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  const match = /^([^:/]+)[:/]/.exec(resource);
  return { service, type: match ? match[1] : undefined };
}

export function vaultArn(
  region: string,
  accountId: string,
  name: string,
): string {
  return `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;
}

/**
 * The ARN AWS gives a recovery point: the service's own snapshot for EBS and
 * EC2 (no account in the ARN), RDS and Aurora (and DocumentDB and Neptune,
 * which AWS Backup lists as Aurora-like clusters), AWS Backup's own otherwise
 * (DynamoDB with advanced backup features, EFS, S3, ...).
 */
export function recoveryPointArnFor(
  resourceType: string,
  region: string,
  accountId: string,
  id: string,
): string {
  const hex = id.replace(/-/g, '').slice(0, 17);
  switch (resourceType) {
    case 'EBS':
      return `arn:aws:ec2:${region}::snapshot/snap-${hex}`;
    case 'EC2':
      return `arn:aws:ec2:${region}::image/ami-${hex}`;
    case 'RDS':
      return `arn:aws:rds:${region}:${accountId}:snapshot:awsbackup:job-${id}`;
    case 'Aurora':
    case 'DocumentDB':
    case 'Neptune':
      return `arn:aws:rds:${region}:${accountId}:cluster-snapshot:awsbackup:job-${id}`;
    default:
      return `arn:aws:backup:${region}:${accountId}:recovery-point:${id}`;
  }
}
