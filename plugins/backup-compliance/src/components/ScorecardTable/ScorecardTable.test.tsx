import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
  statuses: {},
  evaluatedAt: '2026-11-26T10:00:00Z',
});

const scorecard = {
  totalEntities: 2,
  total: 2,
  page: 1,
  pageSize: 20,
  levels: { 'non-compliant': 1, compliant: 1 },
  failingChecks: { 'backup-jobs-healthy': 1 },
  items: [
    row('card-transactions', 'non-compliant', 94, [
      'backup-jobs-healthy',
      'retention-yearly',
      // a check of a backend module the client has no definition of
      'dedicated-vault',
    ]),
    row('payments-ledger', 'compliant', 100),
  ],
};

async function renderTable(api = mockBackupComplianceApi({ scorecard })) {
  await renderInTestApp(
    <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
      <ScorecardTable />
    </TestApiProvider>,
  );
  return api;
}

describe('ScorecardTable', () => {
  it('lists every verdict with its level in words, score and the titles of its failing checks', async () => {
    await renderTable();
    expect(await screen.findByText('Services (2 of 2)')).toBeInTheDocument();
    expect(screen.getByText('card-transactions').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/card-transactions/backup',
    );
    expect(screen.getByText('Non-compliant')).toBeInTheDocument();
    expect(screen.getByText('94 %')).toBeInTheDocument();
    const failing = screen.getByText('card-transactions').closest('tr')!;
    // titles, as the tiles show them; an unknown check keeps its id
    await waitFor(() =>
      expect(failing).toHaveTextContent(
        'Backup jobs healthy, Yearly retention, dedicated-vault',
      ),
    );
    expect(failing).not.toHaveTextContent('backup-jobs-healthy');
  });

  it('asks the backend for one page at a time, failures first', async () => {
    const api = mockBackupComplianceApi({ scorecard });
    const getScorecard = jest.spyOn(api, 'getScorecard');
    await renderTable(api);
    await screen.findByText('Services (2 of 2)');
    expect(getScorecard).toHaveBeenCalledWith({ page: '1', pageSize: '20' });
  });

  it('exports what the filters select', async () => {
    const api = mockBackupComplianceApi({ scorecard });
    const exportScorecard = jest.spyOn(api, 'exportScorecard');
    const createObjectURL = jest.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await renderTable(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export CSV' }),
    );
    await waitFor(() =>
      expect(exportScorecard).toHaveBeenCalledWith('csv', {}),
    );
    expect(createObjectURL).toHaveBeenCalled();
  });

  it('says that nothing was checked when there is no verdict', async () => {
    await renderTable(mockBackupComplianceApi());
    expect(
      await screen.findByText(/no opted-in entity has been evaluated yet/),
    ).toBeInTheDocument();
  });

  it('shows the scorecard as of the day chosen, opens the register of that day in a window that prints, and downloads it as CSV', async () => {
    const api = mockBackupComplianceApi({ scorecard });
    const getRegister = jest.spyOn(api, 'getRegister');
    const getScorecard = jest.spyOn(api, 'getScorecard');
    const written: string[] = [];
    const win = {
      document: {
        open: jest.fn(),
        write: (html: string) => written.push(html),
        close: jest.fn(),
      },
      close: jest.fn(),
    };
    const open = jest
      .spyOn(window, 'open')
      .mockImplementation(() => win as unknown as Window);
    await renderTable(api);
    const day = await screen.findByLabelText('As of');
    await userEvent.type(day, '2026-06-30');
    // the scorecard itself answers for that day too
    await waitFor(() =>
      expect(getScorecard).toHaveBeenLastCalledWith(
        expect.objectContaining({ asOf: '2026-06-30' }),
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Open register (prints to PDF)' }),
    );
    await waitFor(() => expect(written.join('')).toContain('As of 2026-06-30'));
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(getRegister).toHaveBeenCalledWith('html', '2026-06-30');
    await userEvent.click(screen.getByRole('button', { name: 'Register CSV' }));
    await waitFor(() =>
      expect(getRegister).toHaveBeenCalledWith('csv', '2026-06-30'),
    );
    open.mockRestore();
  });
});
