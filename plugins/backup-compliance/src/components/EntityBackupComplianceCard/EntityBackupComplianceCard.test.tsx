import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { EntityBackupComplianceCard } from './EntityBackupComplianceCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'card-transactions',
    annotations: {
      'aws.amazon.com/backup-resource-tags': 'app=card-transactions',
    },
  },
  spec: {},
};

const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

async function renderCard(api = mockBackupComplianceApi()) {
  await renderInTestApp(
    <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityBackupComplianceCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityBackupComplianceCard', () => {
  it('summarises level, score, failing checks, newest backup and last restore test', async () => {
    await renderCard(
      mockBackupComplianceApi({
        compliance: {
          entityRef: 'component:default/card-transactions',
          evaluatedAt: hoursAgo(1),
          level: 'non-compliant',
          score: 94,
          policies: ['transactions-db'],
          problems: [],
          resources: [],
          staleAccountRegions: [],
          checks: [
            {
              checkId: 'backup-jobs-healthy',
              status: 'fail',
              resources: [],
              facts: [],
              explanation: 'failed',
              remediation: 'fix',
              dora: ['12(2)'],
              policies: ['transactions-db'],
            },
            {
              // informational: never a failure of the service
              checkId: 'organization-policy',
              status: 'fail',
              resources: [],
              facts: [],
              explanation: 'drift',
              remediation: 'fix',
              dora: [],
              policies: ['transactions-db'],
            },
            {
              checkId: 'restore-tested',
              status: 'pass',
              resources: [],
              facts: [
                {
                  label: 'Latest test restore',
                  value: hoursAgo(5 * 24),
                  source: 'ListRestoreJobs',
                },
              ],
              explanation: 'ok',
              remediation: 'fix',
              dora: ['11(6)(a)'],
              policies: ['transactions-db'],
            },
          ],
        },
        resources: {
          entityRef: 'component:default/card-transactions',
          optedIn: true,
          resources: [
            {
              resourceArn: 'arn:a',
              accountId: '1',
              region: 'eu-central-1',
              tags: {},
              stale: false,
              lastBackupTime: hoursAgo(20),
            },
          ],
        },
      }),
    );
    expect(await screen.findByText('Non-compliant')).toBeInTheDocument();
    expect(screen.getByText('94 %')).toBeInTheDocument();
    expect(screen.getByText('1: Backup jobs healthy')).toBeInTheDocument();
    expect(screen.getByText('20 h ago')).toBeInTheDocument();
    expect(screen.getByText('5 d ago')).toBeInTheDocument();
    expect(
      screen.getByText('Open the Backup tab').closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/card-transactions/backup',
    );
  });

  it('says when the entity has not been evaluated yet', async () => {
    await renderCard();
    expect(await screen.findByText(/Not evaluated yet/)).toBeInTheDocument();
  });
});
