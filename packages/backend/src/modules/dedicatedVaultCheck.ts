import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  backupComplianceChecksExtensionPoint,
  CustomCheck,
} from '@backup-compliance/backstage-plugin-node';

/**
 * An example of a bank's own rule: recovery points must not sit in AWS
 * Backup's shared `Default` vault, which no team owns and no one locks.
 */
export const dedicatedVaultCheck: CustomCheck = {
  definition: {
    id: 'dedicated-vault',
    title: 'Dedicated backup vault',
    description:
      "Recovery points sit in a vault of their own, not AWS Backup's shared Default vault.",
    theme: 'immutability-encryption',
    dora: ['12(3)'],
    remediation:
      "Point the backup plan's rules at a dedicated, locked vault and let the Default vault's points expire.",
    weight: 1,
  },
  evaluate: resource => {
    const inDefault = resource.points.filter(
      p => p.BackupVaultName === 'Default',
    );
    const facts = [
      {
        label: 'Recovery points in the Default vault',
        value: inDefault.length,
        source: 'ListRecoveryPointsByBackupVault: BackupVaultName',
        resourceArn: resource.arn,
      },
    ];
    if (resource.points.length === 0) {
      return {
        status: 'unknown',
        facts,
        explanation: 'No recovery point to inspect.',
      };
    }
    if (inDefault.length > 0) {
      return {
        status: 'fail',
        facts,
        explanation: `${inDefault.length} of ${resource.points.length} recovery points sit in the shared Default vault.`,
      };
    }
    return {
      status: 'pass',
      facts,
      explanation: 'Every recovery point sits in a dedicated vault.',
    };
  },
};

/** Registers {@link dedicatedVaultCheck} with the Backup Compliance plugin. */
export const backupComplianceModuleDedicatedVault = createBackendModule({
  pluginId: 'backup-compliance',
  moduleId: 'dedicated-vault-check',
  register(env) {
    env.registerInit({
      deps: { checks: backupComplianceChecksExtensionPoint },
      async init({ checks }) {
        checks.addCheck(dedicatedVaultCheck);
      },
    });
  },
});
