import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { ScorecardTable } from './ScorecardTable';

const row = (
  name: string,
  level: any,
  score: number | null,
  failingChecks: string[] = [],
) => ({
  entityRef: `component:default/${name}`,
  owner: 'payments',
  system: 'core-banking',
  policies: ['transactions-db'],
  level,
  score,
  failingChecks,
  evaluatedAt: '2026-11-26T10:00:00Z',
});

describe('ScorecardTable', () => {
  it('lists every verdict with its level in words, score and failing checks', async () => {
    const api = mockBackupComplianceApi({
      scorecard: {
        totalEntities: 2,
        total: 2,
        page: 1,
        pageSize: 1000,
        levels: { 'non-compliant': 1, compliant: 1 },
        failingChecks: { 'backup-jobs-healthy': 1 },
        items: [
          row('card-transactions', 'non-compliant', 94, [
            'backup-jobs-healthy',
          ]),
          row('payments-ledger', 'compliant', 100),
        ],
      },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
        <ScorecardTable />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Services (2: 1 non-compliant, 1 compliant)'),
    ).toBeInTheDocument();
    expect(screen.getByText('card-transactions').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/card-transactions/backup',
    );
    expect(screen.getByText('Non-compliant')).toBeInTheDocument();
    expect(screen.getByText('94 %')).toBeInTheDocument();
    expect(screen.getByText('backup-jobs-healthy')).toBeInTheDocument();
  });

  it('says that nothing was checked when there is no verdict', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[backupComplianceApiRef, mockBackupComplianceApi()]]}
      >
        <ScorecardTable />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/No verdict yet/)).toBeInTheDocument();
  });
});
