import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import backupCompliancePlugin from '@backup-compliance/backstage-plugin-backend';
import { ResourceEvidence } from '@backup-compliance/backstage-plugin-node';
import request from 'supertest';
import {
  backupComplianceModuleDedicatedVault,
  dedicatedVaultCheck,
} from './dedicatedVaultCheck';

function resource(vaults: string[]): ResourceEvidence {
  return {
    arn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
    accountId: '111111111111',
    region: 'eu-central-1',
    tags: {},
    stale: false,
    points: vaults.map((name, i) => ({
      RecoveryPointArn: `rp-${i}`,
      BackupVaultName: name,
      accountId: '111111111111',
      region: 'eu-central-1',
    })),
    vaults: new Map(),
    rules: [],
    backupJobs: [],
    copyJobs: [],
    restoreTests: [],
    restoreTestingSelections: [],
    legalHolds: [],
  };
}

const policy = {} as any;
const context = {
  now: new Date(),
  collected: new Set<string>(),
  restoreHistoryDays: 30,
};

describe('dedicatedVaultCheck', () => {
  it.each([
    [['payments-vault', 'payments-vault-dr'], 'pass'],
    [['payments-vault', 'Default'], 'fail'],
    [[], 'unknown'],
  ])('judges points in %j as %s', (vaults, status) => {
    expect(
      dedicatedVaultCheck.evaluate(resource(vaults), policy, context).status,
    ).toBe(status);
  });

  it('is registered in the plugin through the extension point', async () => {
    const { server } = await startTestBackend({
      features: [
        backupCompliancePlugin,
        backupComplianceModuleDedicatedVault,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const response = await request(server).get(
      '/api/backup-compliance/v1/checks',
    );
    expect(response.body.items.map((c: { id: string }) => c.id)).toContain(
      'dedicated-vault',
    );
  });
});
