import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import {
  BackupComplianceApi,
  backupComplianceApiRef,
  Scorecard,
} from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { ScorecardPage } from './ScorecardPage';

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
  statuses: {},
  evaluatedAt: '2026-11-26T10:00:00Z',
});

const scorecard: Scorecard = {
  totalEntities: 2,
  total: 2,
  page: 1,
  pageSize: 20,
  levels: { 'non-compliant': 1, compliant: 1 },
  failingChecks: { 'backup-jobs-healthy': 1 },
  items: [
    row('card-transactions', 'non-compliant', 94, ['backup-jobs-healthy']),
    row('payments-ledger', 'compliant', 100),
  ],
};

// A fresh SWR cache per render: usePermission (the collection card) caches
// decisions across tests otherwise.
async function renderPage(getScorecard: BackupComplianceApi['getScorecard']) {
  const api = { ...mockBackupComplianceApi(), getScorecard };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [backupComplianceApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: [] })],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <ScorecardPage />
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('ScorecardPage', () => {
  it('opens with one scorecard call, shared by the table and the summary tiles', async () => {
    const getScorecard = jest.fn(async () => scorecard);
    await renderPage(getScorecard);

    expect(await screen.findByText('card-transactions')).toBeInTheDocument();
    expect(await screen.findByText('1 of 2 services')).toBeInTheDocument();
    expect(screen.getByText('50 %')).toBeInTheDocument();
    expect(screen.getByText('Backup jobs healthy: 1')).toBeInTheDocument();
    expect(
      screen.getByText('1 non-compliant, 1 compliant'),
    ).toBeInTheDocument();

    expect(getScorecard).toHaveBeenCalledTimes(1);
    expect(getScorecard).toHaveBeenCalledWith({ page: '1', pageSize: '20' });
  });

  it('updates the tiles with the totals of the table’s next response', async () => {
    const getScorecard = jest
      .fn<Promise<Scorecard>, [Record<string, string>?]>()
      .mockResolvedValueOnce(scorecard)
      .mockResolvedValue({
        ...scorecard,
        totalEntities: 3,
        total: 1,
        levels: { 'non-compliant': 1, compliant: 2 },
        items: [scorecard.items[1]],
      });
    await renderPage(getScorecard);
    expect(await screen.findByText('1 of 2 services')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Owner'), 'p');

    expect(await screen.findByText('2 of 3 services')).toBeInTheDocument();
    expect(screen.getByText('67 %')).toBeInTheDocument();
    expect(await screen.findByText('Services (1 of 3)')).toBeInTheDocument();
    expect(getScorecard).toHaveBeenCalledTimes(2);
    expect(getScorecard).toHaveBeenLastCalledWith({
      owner: 'p',
      page: '1',
      pageSize: '20',
    });
  });

  it('shows an error panel in the summary when the table’s scorecard call fails', async () => {
    const getScorecard = jest.fn(async () => {
      throw new Error('scorecard unavailable');
    });
    await renderPage(getScorecard);

    expect(
      await screen.findByText(/Could not load the scorecard summary/),
    ).toBeInTheDocument();
    expect(getScorecard).toHaveBeenCalledTimes(1);
  });
});
