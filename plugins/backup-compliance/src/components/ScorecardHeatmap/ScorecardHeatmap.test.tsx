import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { ScorecardHeatmap } from './ScorecardHeatmap';

describe('ScorecardHeatmap', () => {
  it('shows every check of every service as a letter and a label, not by colour alone', async () => {
    const api = mockBackupComplianceApi({
      scorecard: {
        totalEntities: 1,
        total: 1,
        page: 1,
        pageSize: 50,
        levels: { 'non-compliant': 1 },
        failingChecks: { 'retention-yearly': 1 },
        items: [
          {
            entityRef: 'component:default/rewards-points',
            title: 'Rewards points',
            policies: ['rewards-db'],
            level: 'non-compliant',
            score: 91,
            failingChecks: ['retention-yearly'],
            statuses: {
              'retention-yearly': 'fail',
              protected: 'pass',
              'retention-alignment': 'n/a',
              'cross-account-copy': 'waived',
            },
            evaluatedAt: '2026-11-26T10:00:00Z',
          },
        ],
      },
    });
    const getScorecard = jest.spyOn(api, 'getScorecard');
    await renderInTestApp(
      <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
        <ScorecardHeatmap query={{ level: 'non-compliant' }} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByLabelText('Rewards points, Yearly retention: fail'),
    ).toHaveTextContent('✗');
    expect(
      screen.getByLabelText('Rewards points, Protected by a backup plan: pass'),
    ).toHaveTextContent('✓');
    expect(
      screen.getByLabelText('Rewards points, Cross-account copy: waived'),
    ).toHaveTextContent('W');
    expect(
      screen.getByLabelText(
        'Rewards points, Retention aligned with PII deletion: not required',
      ),
    ).toHaveTextContent('–');
    expect(screen.getByText('Page 1 of 1 (1 services)')).toBeInTheDocument();
    expect(getScorecard).toHaveBeenCalledWith({
      level: 'non-compliant',
      page: '1',
      pageSize: '50',
    });
  });
});
