import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { RestoreTestsChart } from './RestoreTestsChart';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'rewards-catalog' },
  spec: {},
};

const test = (day: string, validationStatus: string) => ({
  resourceArn:
    'arn:aws:elasticfilesystem:eu-central-1:222222222222:file-system/fs-1',
  restoreJobId: `job-${day}`,
  createdAt: `${day}T05:00:00Z`,
  completedAt: `${day}T05:40:00Z`,
  minutes: 40,
  status: 'COMPLETED',
  validationStatus,
  validationMessage: null,
});

async function renderChart(restoreTests: ReturnType<typeof test>[]) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [backupComplianceApiRef, mockBackupComplianceApi({ restoreTests })],
      ]}
    >
      <EntityProvider entity={entity}>
        <RestoreTestsChart />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('RestoreTestsChart', () => {
  it('counts the test restores it charts', async () => {
    await renderChart([
      test('2026-10-24', 'SUCCESSFUL'),
      test('2026-11-23', 'FAILED'),
    ]);
    expect(
      await screen.findByText('Restore tests over time (2)'),
    ).toBeInTheDocument();
  });

  it('says when there is no test restore', async () => {
    await renderChart([]);
    expect(
      await screen.findByText(/No test restore of these resources/),
    ).toBeInTheDocument();
  });
});
