import {
  CATALOG_FILTER_EXISTS,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { ScorecardSummary } from './ScorecardSummary';

const TAGS = 'aws.amazon.com/backup-resource-tags';

const component = (
  name: string,
  lifecycle: string,
  annotations: Record<string, string> = {},
  kind = 'Component',
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle, owner: 'payments' },
});

/** The "Production components not opted in" tile. */
function notOptedInTile() {
  const card = screen
    .getByText('Production components not opted in')
    .closest('.MuiCard-root');
  if (!(card instanceof HTMLElement)) {
    throw new Error('no "Production components not opted in" tile');
  }
  return card;
}

/** The names the tile lists, in order. */
function listedNames() {
  return within(notOptedInTile())
    .queryAllByRole('listitem')
    .map(li => li.textContent);
}

async function renderSummary(catalog: ReturnType<typeof catalogApiMock>) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [backupComplianceApiRef, mockBackupComplianceApi()],
        [catalogApiRef, catalog],
      ]}
    >
      <ScorecardSummary />
    </TestApiProvider>,
  );
  await screen.findByText('Production components not opted in');
}

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
    expect(screen.getByText('payments-gateway').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-gateway',
    );
    expect(screen.queryByText('sandbox-tool')).not.toBeInTheDocument();
    expect(within(notOptedInTile()).getByText('1')).toBeInTheDocument();
    expect(listedNames()).toEqual(['payments-gateway']);
    expect(
      screen.getByText('Compliance over time (1 day)'),
    ).toBeInTheDocument();
    expect(getScorecard).toHaveBeenCalledTimes(1);
    expect(getScorecard).toHaveBeenCalledWith({ pageSize: '1' });
  });
  it('counts and names production components not opted in without fetching every production component', async () => {
    // 400 production components; not opted in: every 40th without the
    // annotation (svc-000, svc-040, …) and every 40th from 20 with it blank
    // (svc-020, svc-060, …): 20 in all.
    const entities = [
      ...Array.from({ length: 400 }, (_, i) => {
        const name = `svc-${String(i).padStart(3, '0')}`;
        if (i % 40 === 0) return component(name, 'production');
        if (i % 40 === 20) return component(name, 'production', { [TAGS]: '' });
        return component(name, 'production', { [TAGS]: `app=${name}` });
      }),
      component('aaa-sandbox', 'experimental'),
      component('aaa-api', 'production', {}, 'API'),
    ];
    const catalog = catalogApiMock({ entities });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    await renderSummary(catalog);

    expect(within(notOptedInTile()).getByText('20')).toBeInTheDocument();
    expect(listedNames()).toEqual([
      'svc-000',
      'svc-020',
      'svc-040',
      'svc-060',
      'svc-080',
      'svc-100',
      'svc-120',
      'svc-140',
      'svc-160',
      'svc-180',
    ]);
    expect(screen.getByText('svc-000').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/svc-000',
    );

    // Never the whole production catalog in one request: no getEntities, and
    // every query is limited, and asks only for the fields shown.
    expect(getEntities).not.toHaveBeenCalled();
    for (const [request] of queryEntities.mock.calls) {
      expect(request?.limit).toBeDefined();
      expect(request?.limit).toBeLessThanOrEqual(500);
      expect(request?.fields ?? []).not.toContain('metadata.annotations');
    }
    // The two counts read only totalItems.
    expect(queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: expect.objectContaining({
          [`metadata.annotations.${TAGS}`]: CATALOG_FILTER_EXISTS,
        }),
        limit: 0,
      }),
    );
    expect(queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: expect.objectContaining({
          [`metadata.annotations.${TAGS}`]: '',
        }),
        limit: 0,
      }),
    );
    // The names: the first page (100) held 5, the next (200) the other 5;
    // the pages after it were not asked for.
    const pages = queryEntities.mock.calls.filter(
      ([request]) => request?.limit !== 0,
    );
    expect(pages.map(([request]) => request?.limit)).toEqual([100, 200]);
  });

  it('asks for no further page when every production component opted in', async () => {
    const catalog = catalogApiMock({
      entities: Array.from({ length: 150 }, (_, i) =>
        component(`svc-${i}`, 'production', { [TAGS]: 'app=x' }),
      ),
    });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    await renderSummary(catalog);
    expect(within(notOptedInTile()).getByText('0')).toBeInTheDocument();
    expect(listedNames()).toEqual([]);
    expect(
      queryEntities.mock.calls.filter(([request]) => request?.limit !== 0),
    ).toHaveLength(1);
  });

  it('counts a blank annotation (even only spaces) as not opted in, and shows titles', async () => {
    const catalog = catalogApiMock({
      entities: [
        component('ledger', 'production', { [TAGS]: 'app=ledger' }),
        component('gateway', 'production', { [TAGS]: '   ' }),
        component('cards', 'production', { [TAGS]: '' }),
        {
          ...component('fx', 'production'),
          metadata: { name: 'fx', namespace: 'treasury', title: 'FX rates' },
        },
      ],
    });
    await renderSummary(catalog);
    expect(within(notOptedInTile()).getByText('3')).toBeInTheDocument();
    expect(listedNames()).toEqual(['cards', 'FX rates', 'gateway']);
    expect(screen.getByText('FX rates').closest('a')).toHaveAttribute(
      'href',
      '/catalog/treasury/component/fx',
    );
  });

  it('shows an error when the catalog fails', async () => {
    const catalog = catalogApiMock.mock({
      queryEntities: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupComplianceApiRef, mockBackupComplianceApi()],
          [catalogApiRef, catalog],
        ]}
      >
        <ScorecardSummary />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/Could not load the scorecard summary/),
    ).toBeInTheDocument();
  });
});
