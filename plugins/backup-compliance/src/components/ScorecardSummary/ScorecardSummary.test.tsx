import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { ScorecardSummary } from './ScorecardSummary';

const component = (
  name: string,
  lifecycle: string,
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle, owner: 'payments' },
});

describe('ScorecardSummary', () => {
  it('shows services opted in, share compliant, failing checks and production components not opted in', async () => {
    const api = mockBackupComplianceApi({
      scorecard: {
        totalEntities: 4,
        total: 4,
        page: 1,
        pageSize: 1,
        levels: { compliant: 1, 'non-compliant': 3 },
        failingChecks: { 'retention-yearly': 2, 'vault-lock': 1 },
        items: [],
      },
      orgHistory: [
        {
          day: '2026-11-26',
          entities: 4,
          levels: { compliant: 1 },
          averageScore: 80,
        },
      ],
    });
    // On its own (no ScorecardTotalsProvider), the summary asks for the totals itself.
    const getScorecard = jest.spyOn(api, 'getScorecard');
    const catalog = catalogApiMock({
      entities: [
        component('payments-ledger', 'production', {
          'aws.amazon.com/backup-resource-tags': 'app=ledger',
        }),
        component('payments-gateway', 'production'),
        component('sandbox-tool', 'experimental'),
      ],
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupComplianceApiRef, api],
          [catalogApiRef, catalog],
        ]}
      >
        <ScorecardSummary />
      </TestApiProvider>,
    );
    expect(await screen.findByText('25 %')).toBeInTheDocument();
    expect(screen.getByText('1 of 4 services')).toBeInTheDocument();
    expect(screen.getByText('Yearly retention: 2')).toBeInTheDocument();
    expect(screen.getByText('Vault Lock: 1')).toBeInTheDocument();
    expect(screen.getByText('payments-gateway')).toBeInTheDocument();
    expect(screen.queryByText('sandbox-tool')).not.toBeInTheDocument();
    expect(
      screen.getByText('Compliance over time (1 day)'),
    ).toBeInTheDocument();
    expect(getScorecard).toHaveBeenCalledTimes(1);
    expect(getScorecard).toHaveBeenCalledWith({ pageSize: '1' });
  });
});
