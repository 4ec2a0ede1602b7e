import { ResponseError } from '@backstage/errors';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { SWRConfig } from 'swr';
import {
  BackupComplianceApi,
  backupComplianceApiRef,
  PoliciesResponse,
} from '../../api';
import {
  mockBackupComplianceApi,
  transactionsDbOnly,
} from '../../testing/mockBackupComplianceApi';
import { ScorecardPage } from '../ScorecardPage';
import { PoliciesContent } from './PoliciesPage';

const [transactionsDb] = transactionsDbOnly.items;

const rule = (name: string, schedule: string, deleteAfterDays: number) => ({
  name,
  scheduleExpression: schedule,
  targetBackupVaultName: 'rewards-vault',
  deleteAfterDays,
  copies: [],
});

// The demo's organization, as GET /v1/policies answers it.
const demo: PoliciesResponse = {
  organization: {
    configured: true,
    accountId: '333333333333',
    collectedAt: '2026-12-02T06:29:00.000Z',
  },
  items: [
    { ...transactionsDb, organizationPolicies: ['p-tx'] },
    {
      ...transactionsDb,
      name: 'rewards-db',
      retention: { dailyDays: 30, monthlyMonths: 12, yearlyYears: 10 },
      legalRetentionYears: 10,
      organizationPolicies: ['p-rw'],
    },
    {
      ...transactionsDb,
      name: 'default',
      rpoHours: 24,
      rtoMinutes: 480,
      retention: { dailyDays: 35, monthlyMonths: 0, yearlyYears: 0 },
      legalRetentionYears: 0,
      vaultLock: 'none',
      encryption: 'any',
      copies: {
        crossRegion: false,
        crossAccount: false,
        retention: 'same-as-source',
      },
      restoreTesting: {
        required: false,
        maxAgeDays: 30,
        requireValidation: false,
      },
      organizationPolicies: [],
    },
  ],
  organizationPolicies: [
    {
      id: 'p-tx',
      name: 'transactions-db-backup',
      description: 'Transaction records (transactions-db)',
      targets: [
        { id: 'ou-work-pay', name: 'payments', type: 'ORGANIZATIONAL_UNIT' },
      ],
      accounts: ['111111111111'],
      plans: [
        {
          name: 'transactions-db',
          regions: ['eu-central-1'],
          rules: [
            {
              ...rule('daily', 'cron(0 2 * * ? *)', 30),
              copies: [
                {
                  destination:
                    'arn:aws:backup:eu-west-1:$account:backup-vault:payments-vault-dr',
                  deleteAfterDays: 30,
                },
              ],
            },
          ],
          selections: [],
        },
      ],
      implements: ['transactions-db'],
      status: 'fail',
      findings: [
        {
          status: 'pass',
          subject: 'plan transactions-db → transactions-db, rule daily',
          text: 'the daily rule keeps points 30 d, at least the 30 d required',
        },
      ],
      drift: [
        {
          status: 'fail',
          subject: '222222222222',
          accountId: '222222222222',
          text: 'account 222222222222 has resources tagged backup-policy=transactions-db, but transactions-db-backup does not target it',
        },
      ],
    },
    {
      id: 'p-rw',
      name: 'rewards-db-backup',
      targets: [{ id: '222222222222', name: 'lending', type: 'ACCOUNT' }],
      accounts: ['222222222222'],
      plans: [
        {
          name: 'rewards-db',
          regions: ['eu-central-1'],
          rules: [rule('yearly', 'cron(0 4 1 1 ? *)', 2555)],
          selections: [],
        },
      ],
      implements: ['rewards-db'],
      status: 'fail',
      findings: [
        {
          status: 'fail',
          subject: 'plan rewards-db → rewards-db, rule yearly',
          text: 'the yearly rule keeps points 7 y (2555 d): it cannot implement rewards-db, which requires 10 y (3650 d)',
        },
      ],
      drift: [
        {
          status: 'fail',
          subject: '222222222222/eu-central-1',
          accountId: '222222222222',
          region: 'eu-central-1',
          text: "no backup plan rewards-db in 222222222222/eu-central-1: the policy's rules are not applied there",
        },
      ],
    },
    {
      id: 'p-sandbox',
      name: 'sandbox-backup',
      targets: [{ id: 'r-root', name: 'Root', type: 'ROOT' }],
      accounts: ['444444444444'],
      plans: [],
      implements: [],
      status: 'unknown',
      findings: [
        {
          status: 'unknown',
          subject: 'plan sandbox',
          text: 'selects no resources by the backup-policy tag, so no compliance policy can be matched to it',
        },
      ],
      drift: [],
    },
  ],
};

async function renderPolicies(getPolicies: BackupComplianceApi['getPolicies']) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [backupComplianceApiRef, { ...mockBackupComplianceApi(), getPolicies }],
      ]}
    >
      <PoliciesContent />
    </TestApiProvider>,
  );
}

// A policy's requirements as shown: each term with its description.
async function requirements(policy: string) {
  const list = await screen.findByLabelText(`What ${policy} requires`);
  return new Map(
    within(list)
      .getAllByRole('term')
      .map(dt => [dt.textContent, dt.nextElementSibling?.textContent]),
  );
}

const forbidden = () =>
  ResponseError.fromResponse(
    new Response(
      '{"error":{"name":"NotAllowedError","message":"You are not allowed to backup-compliance.collection.read"}}',
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );

describe('PoliciesContent', () => {
  it('says what each compliance policy requires, in words', async () => {
    await renderPolicies(async () => demo);

    const rewards = await requirements('rewards-db');
    expect(rewards.get('Retention')).toBe(
      'daily points 30 days, monthly 12 months, yearly 10 years',
    );
    const tx = await requirements('transactions-db');
    expect(tx.get('RPO')).toBe(
      '24 hours: the newest recovery point at most this old',
    );
    expect(tx.get('RTO')).toBe(
      '240 minutes (4 hours): the latest test restore took at most this long',
    );
    expect(tx.get('Vault Lock')).toMatch(/^compliance mode/);
    expect(tx.get('Encryption')).toBe('with a customer-managed KMS key');
    expect(tx.get('Copies')).toBe(
      'to another region and to another account, each kept as long as the point it copies',
    );
    expect(tx.get('Restore testing')).toBe(
      'a test restore at most 30 days old, validated',
    );
    const byDefault = await requirements('default');
    expect(byDefault.get('Retention')).toBe('daily points 35 days');
    expect(byDefault.get('Vault Lock')).toBe('not required');
    expect(byDefault.get('Copies')).toBe('not required');
    expect(byDefault.get('Restore testing')).toBe('not required');
  });

  it('shows the organization policies implementing each, with targets, verdict, findings and drift', async () => {
    await renderPolicies(async () => demo);

    expect(
      await screen.findByText(
        /3 organization backup policies read from account 333333333333 at .*; 2 failing\./,
      ),
    ).toBeInTheDocument();
    const tx = screen.getByRole('region', {
      name: 'Organization policy transactions-db-backup',
    });
    expect(tx).toHaveTextContent(
      'Attached to OU payments; resolves to account 111111111111; implements transactions-db',
    );
    expect(tx).toHaveTextContent(
      'daily: cron(0 2 * * ? *), kept 30 days, in rewards-vault; copies to payments-vault-dr (same account, eu-west-1) kept 30 days',
    );
    expect(within(tx).getAllByText('Fail')[0]).toBeInTheDocument();
    expect(within(tx).getByRole('list', { name: 'Drift' })).toHaveTextContent(
      'Fail 222222222222: account 222222222222 has resources tagged backup-policy=transactions-db, but transactions-db-backup does not target it',
    );
    expect(
      within(tx).getByRole('list', { name: 'Findings' }),
    ).toHaveTextContent('Pass plan transactions-db → transactions-db');

    const rewards = screen.getByRole('region', {
      name: 'Organization policy rewards-db-backup',
    });
    expect(rewards).toHaveTextContent(
      'Attached to account lending (222222222222)',
    );
    expect(
      within(rewards).getByRole('list', { name: 'Findings' }),
    ).toHaveTextContent(
      'Fail plan rewards-db → rewards-db, rule yearly: the yearly rule keeps points 7 y (2555 d): it cannot implement rewards-db, which requires 10 y (3650 d)',
    );
    expect(
      within(rewards).getByRole('list', { name: 'Drift' }),
    ).toHaveTextContent(
      "Fail 222222222222/eu-central-1: no backup plan rewards-db in 222222222222/eu-central-1: the policy's rules are not applied there",
    );

    expect(
      screen.getByText('No organization backup policy implements it.'),
    ).toBeInTheDocument();
  });

  it('lists the organization policies implementing no compliance policy as not mapped', async () => {
    await renderPolicies(async () => demo);

    const card = (
      await screen.findByText(
        'Organization policies not mapped to a compliance policy',
      )
    ).closest('.MuiCard-root') as HTMLElement;
    const sandbox = within(card).getByRole('region', {
      name: 'Organization policy sandbox-backup',
    });
    expect(sandbox).toHaveTextContent('Not mapped');
    expect(sandbox).toHaveTextContent('Attached to the organization root');
    expect(sandbox).toHaveTextContent(
      'selects no resources by the backup-policy tag',
    );
    expect(
      within(card).queryByText('transactions-db-backup'),
    ).not.toBeInTheDocument();
  });

  it('says how to configure the organization when it is not', async () => {
    await renderPolicies(async () => transactionsDbOnly);

    expect(
      await screen.findByText(
        /The organization's backup policies are not read/,
      ),
    ).toHaveTextContent('set backupCompliance.organization.accountId');
    expect((await requirements('transactions-db')).get('RPO')).toMatch(
      /^24 hours/,
    );
    expect(screen.queryByText(/Implemented by/)).not.toBeInTheDocument();
    expect(
      screen.queryByText('No organization backup policy implements it.'),
    ).not.toBeInTheDocument();
  });

  it('shows a failed read of the organization prominently, with what is shown instead', async () => {
    await renderPolicies(async () => ({
      ...demo,
      organization: {
        ...demo.organization,
        error:
          'AccessDeniedException: not authorized to perform organizations:ListPolicies',
      },
    }));

    expect(
      await screen.findByText(
        "Error: The organization's backup policies could not be read",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/not authorized to perform organizations:ListPolicies/),
    ).toHaveTextContent('What follows is the last successful read, of');
    expect(
      screen.getByRole('region', {
        name: 'Organization policy transactions-db-backup',
      }),
    ).toBeInTheDocument();
  });

  it('says which permission it needs on a 403', async () => {
    await renderPolicies(async () => {
      throw await forbidden();
    });

    expect(
      await screen.findByText(
        'Seeing the policies needs the backup-compliance.collection.read permission.',
      ),
    ).toBeInTheDocument();
  });

  it('shows any other error as an error', async () => {
    await renderPolicies(async () => {
      throw new Error('backend down');
    });

    expect(
      await screen.findByText(/Could not load the policies/),
    ).toBeInTheDocument();
  });
});

describe('the Backup compliance page', () => {
  async function renderAt(path: string, api: BackupComplianceApi) {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupComplianceApiRef, api],
          [catalogApiRef, catalogApiMock({ entities: [] })],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <SWRConfig value={{ provider: () => new Map() }}>
          <Routes>
            <Route path="/backup-compliance/*" element={<ScorecardPage />} />
          </Routes>
        </SWRConfig>
      </TestApiProvider>,
      { routeEntries: [path] },
    );
  }

  it('opens on the scorecard and has the policies a tab away', async () => {
    const api = mockBackupComplianceApi({ policies: demo });
    const getPolicies = jest.spyOn(api, 'getPolicies');
    await renderAt('/backup-compliance', api);

    expect(await screen.findByText('Services opted in')).toBeInTheDocument();
    expect(getPolicies).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('tab', { name: 'Policies' }));
    expect(
      await screen.findByRole('region', {
        name: 'Organization policy rewards-db-backup',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Services opted in')).not.toBeInTheDocument();
  });

  it('opens the policies at /backup-compliance/policies', async () => {
    await renderAt(
      '/backup-compliance/policies',
      mockBackupComplianceApi({ policies: demo }),
    );

    expect(
      await screen.findByRole('region', {
        name: 'Organization policy transactions-db-backup',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Policies' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
