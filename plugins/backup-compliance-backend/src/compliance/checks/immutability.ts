import { ResourceCheck } from '../types';
import { fact, notApplicable, sourcePoints, usablePoints } from './util';

export const encryptedCheck: ResourceCheck = (resource, policy) => {
  const points = usablePoints(resource.points);
  if (points.length === 0) {
    return {
      status: 'unknown',
      facts: [
        fact(
          'Completed recovery points',
          0,
          'ListRecoveryPointsByBackupVault: Status',
          resource.arn,
        ),
      ],
      explanation: 'No recovery point to inspect.',
    };
  }
  const unencrypted = points.filter(p => p.IsEncrypted === false);
  const facts = [
    fact(
      'Recovery points inspected',
      points.length,
      'ListRecoveryPointsByBackupVault',
      resource.arn,
    ),
    fact(
      'Not encrypted',
      unencrypted.length,
      'ListRecoveryPointsByBackupVault: IsEncrypted',
      resource.arn,
    ),
  ];
  if (unencrypted.length > 0) {
    return {
      status: 'fail',
      facts,
      explanation: `${unencrypted.length} of ${points.length} recovery points are not encrypted.`,
    };
  }
  // AWS left the flag out: encryption cannot be confirmed, so no pass.
  const unreported = points.filter(p => p.IsEncrypted === undefined);
  if (unreported.length > 0) {
    return {
      status: 'unknown',
      facts,
      explanation: `AWS did not report whether ${unreported.length} of ${points.length} recovery points are encrypted.`,
    };
  }
  if (policy.encryption !== 'customer-managed') {
    return {
      status: 'pass',
      facts,
      explanation: `All ${points.length} recovery points are encrypted.`,
    };
  }
  const unknownKey = points.filter(p => !p.EncryptionKeyType);
  const awsOwned = points.filter(
    p => p.EncryptionKeyType === 'AWS_OWNED_KMS_KEY',
  );
  facts.push(
    fact(
      'With an AWS-owned key',
      awsOwned.length,
      'ListRecoveryPointsByBackupVault: EncryptionKeyType',
      resource.arn,
    ),
  );
  if (awsOwned.length > 0) {
    return {
      status: 'fail',
      facts,
      explanation: `Policy ${policy.name} requires customer-managed KMS keys; ${awsOwned.length} of ${points.length} points use an AWS-owned key.`,
    };
  }
  if (unknownKey.length > 0) {
    return {
      status: 'unknown',
      facts,
      explanation: `AWS did not report the key type of ${unknownKey.length} points, so customer-managed encryption cannot be confirmed.`,
    };
  }
  return {
    status: 'pass',
    facts,
    explanation: `All ${points.length} points are encrypted with customer-managed KMS keys.`,
  };
};

type LockMode = 'compliance' | 'compliance-cooling-off' | 'governance' | 'none';

export const vaultLockCheck: ResourceCheck = (resource, policy, { now }) => {
  if (policy.vaultLock === 'none') {
    return notApplicable(`Policy ${policy.name} requires no Vault Lock.`);
  }
  const points = usablePoints(sourcePoints(resource.points, resource));
  // The vaults holding its points, then those holding its copies elsewhere:
  // a copy that can be deleted early is no immutable copy.
  const vaultArns = [
    ...new Set(
      [...points, ...usablePoints(resource.points)]
        .map(p => p.BackupVaultArn)
        .filter((a): a is string => !!a),
    ),
  ];
  const source = new Set(points.map(p => p.BackupVaultArn));
  if (points.length === 0) {
    return {
      status: 'unknown',
      facts: [
        fact(
          'Completed recovery points',
          0,
          'ListRecoveryPointsByBackupVault: Status',
          resource.arn,
        ),
      ],
      explanation: 'No recovery point, so no vault to inspect.',
    };
  }
  const facts = [];
  const problems: string[] = [];
  let warn = false;
  const uncollected: string[] = [];
  for (const arn of vaultArns) {
    const vault = resource.vaults.get(arn);
    if (!vault) {
      uncollected.push(arn);
      continue;
    }
    const airGapped = vault.VaultType === 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT';
    let mode: LockMode = 'none';
    if (airGapped) {
      mode = 'compliance'; // immutable by design: AWS locks it in compliance mode
    } else if (vault.Locked && vault.LockDate) {
      mode =
        vault.LockDate.getTime() <= now.getTime()
          ? 'compliance'
          : 'compliance-cooling-off';
    } else if (vault.Locked) {
      mode = 'governance';
    }
    const name = source.has(arn)
      ? vault.BackupVaultName
      : `${vault.BackupVaultName} (copies, ${vault.accountId}/${vault.region})`;
    facts.push(
      fact(
        `Vault ${name} lock`,
        airGapped ? 'compliance (logically air-gapped vault)' : mode,
        airGapped
          ? 'ListBackupVaults: VaultType'
          : 'ListBackupVaults: Locked, LockDate',
        resource.arn,
      ),
      fact(
        `Vault ${name} lock date`,
        vault.LockDate,
        'ListBackupVaults: LockDate',
        resource.arn,
      ),
      fact(
        `Vault ${name} minimum retention`,
        vault.MinRetentionDays,
        'ListBackupVaults: MinRetentionDays',
        resource.arn,
      ),
    );
    if (mode === 'none') {
      problems.push(`vault ${name} has no Vault Lock`);
    } else if (policy.vaultLock === 'compliance' && mode === 'governance') {
      problems.push(
        `vault ${name} is locked in governance mode, which privileged users can remove; compliance mode is required`,
      );
    } else if (
      policy.vaultLock === 'compliance' &&
      mode === 'compliance-cooling-off'
    ) {
      warn = true;
      problems.push(
        `vault ${name} enters compliance mode on ${vault
          .LockDate!.toISOString()
          .slice(0, 10)}; until then the lock can still be removed`,
      );
    }
    const minimum = policy.retention.dailyDays;
    if (
      mode !== 'none' &&
      minimum > 0 &&
      (vault.MinRetentionDays ?? 0) < minimum
    ) {
      problems.push(
        `vault ${name} allows deleting points after ${
          vault.MinRetentionDays ?? 0
        } d, less than the ${minimum} d daily retention`,
      );
    }
  }
  const hard = problems.length > 0 && !(warn && problems.length === 1);
  if (problems.length === 0 && uncollected.length > 0) {
    return {
      status: 'unknown',
      facts,
      explanation: `Vault ${uncollected.join(
        ', ',
      )} holding its points was not collected, so its lock cannot be confirmed.`,
    };
  }
  if (problems.length === 0) {
    return {
      status: 'pass',
      facts,
      explanation: `Every vault holding its points${
        vaultArns.length > source.size ? ' and copies' : ''
      } is locked in ${policy.vaultLock} mode.`,
    };
  }
  const explanation = `${problems.join('; ')}.`;
  return {
    status: hard ? 'fail' : 'warn',
    facts,
    explanation: explanation[0].toUpperCase() + explanation.slice(1),
  };
};
