import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, waitFor, within } from '@testing-library/react';
import { alertApiRef } from '@backstage/core-plugin-api';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BackupComplianceApi,
  backupComplianceApiRef,
  CollectionStatus,
  EntityResources,
} from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { EntityBackupContent } from './EntityBackupContent';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-ledger', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  };
}

// A fresh SWR cache per render: usePermission caches decisions across tests otherwise.
async function renderContent(
  entity: Entity,
  api: BackupComplianceApi,
  permissionApi = mockApis.permission(),
  alerts = { post: jest.fn(), alert$: jest.fn() },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [backupComplianceApiRef, api],
        [permissionApiRef, permissionApi],
        [alertApiRef, alerts],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <EntityBackupContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

const collecting: CollectionStatus = {
  enabled: true,
  accounts: ['111111111111', '444444444444'],
  regions: ['eu-central-1'],
  accountRegions: [
    {
      accountId: '111111111111',
      region: 'eu-central-1',
      stale: false,
      lastSuccessStartedAt: '2026-11-26T10:00:00Z',
    },
    {
      accountId: '444444444444',
      region: 'eu-central-1',
      stale: true,
      lastError: 'AccessDeniedException (HTTP 403): not authorized',
    },
  ],
  cycles: [
    {
      id: 'cycle-2',
      scope: 'full',
      status: 'failed',
      startedAt: '2026-11-26T10:00:00Z',
      finishedAt: '2026-11-26T10:01:00Z',
      error: 'Error: could not write the verdicts',
    },
  ],
  pendingRequests: 2,
  runs: [],
};

const apiWith = (status: CollectionStatus, resources?: EntityResources) =>
  mockBackupComplianceApi({ status, resources });

const healthyApi = mockBackupComplianceApi();

const verdict = {
  entityRef: 'component:default/payments-ledger',
  evaluatedAt: '2026-11-26T10:00:00Z',
  level: 'compliant' as const,
  score: 100,
  policies: ['transactions-db'],
  problems: [],
  resources: [],
  staleAccountRegions: [],
  checks: [],
};

// The resources table names a resource by a link to it; its ARN is broken into parts.
async function resourceRow(name: string) {
  return (await screen.findByText(name, { selector: 'a' })).closest('tr')!;
}

describe('EntityBackupContent', () => {
  it('asks for the opt-in annotation when it is missing', async () => {
    await renderContent(component({}), healthyApi);
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws\.amazon\.com\/backup-resource-tags/).length,
    ).toBeGreaterThan(0);
  });

  it('names each malformed annotation and shows a correct example', async () => {
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app',
        'aws.amazon.com/backup-regions': 'Frankfurt',
      }),
      healthyApi,
    );
    expect(
      await screen.findByText(/Backup annotations are malformed/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/"app" is not a key=value pair/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/"Frankfurt" is not an AWS region/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/app=payments-ledger,env=prod/),
    ).toBeInTheDocument();
  });

  it('shows the opt-in and says plainly that no data is collected yet', async () => {
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app=payments-ledger,env=prod',
        'aws.amazon.com/backup-policy': 'transactions-db',
      }),
      healthyApi,
    );
    expect(
      await screen.findByText('Data collection is not set up yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('app=payments-ledger')).toBeInTheDocument();
    expect(screen.getByText('env=prod')).toBeInTheDocument();
    expect(screen.getByText('transactions-db')).toBeInTheDocument();
    expect(screen.getByText('all configured accounts')).toBeInTheDocument();
    expect(screen.getByText(/Collection is off/)).toBeInTheDocument();
  });

  it('shows what is collected per account-region', async () => {
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app=payments-ledger',
      }),
      apiWith(collecting),
    );
    expect(
      await screen.findByText(/Verdicts are evaluated after each collection/),
    ).toBeInTheDocument();
    expect(screen.getByText(/from 2 account-regions/)).toHaveTextContent(
      '(1 current)',
    );
    // the last cycle's outcome, and refreshes still waiting
    expect(screen.getByText(/from 2 account-regions/)).toHaveTextContent(
      /Last cycle \(full\): failed at .* \(Error: could not write the verdicts\)\. 2 refresh requests waiting for the next cycle\./,
    );
    expect(screen.getByText('Current')).toBeInTheDocument();
    expect(screen.getByText('Stale: last attempt failed')).toBeInTheDocument();
    expect(
      screen.getByText('AccessDeniedException (HTTP 403): not authorized'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Data collection is not set up yet'),
    ).not.toBeInTheDocument();
  });

  it('lists the matched AWS resources with their newest backup', async () => {
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app=payments-ledger',
      }),
      apiWith(collecting, {
        entityRef: 'component:default/payments-ledger',
        optedIn: true,
        resources: [
          {
            resourceArn:
              'arn:aws:rds:eu-central-1:111111111111:db:payments-ledger',
            accountId: '111111111111',
            region: 'eu-central-1',
            tags: { app: 'payments-ledger' },
            resourceType: 'RDS',
            lastBackupTime: '2026-11-26T06:00:00Z',
            stale: false,
          },
          {
            resourceArn:
              'arn:aws:dynamodb:eu-central-1:111111111111:table/ledger-index',
            accountId: '111111111111',
            region: 'eu-central-1',
            tags: { app: 'payments-ledger' },
            stale: false,
          },
        ],
      }),
    );
    expect(await screen.findByText('AWS resources (2)')).toBeInTheDocument();
    expect(
      screen.getByText('payments-ledger', { selector: 'a' }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('eu-central-1.console.aws.amazon.com/backup'),
    );
    expect(screen.getByText('RDS')).toBeInTheDocument();
    expect(screen.getByText('dynamodb')).toBeInTheDocument();
    expect(screen.getByText('No backup found')).toBeInTheDocument();
    expect(
      screen.getByText(new Date('2026-11-26T06:00:00Z').toLocaleString()),
    ).toBeInTheDocument();
  });

  it('shows each resource at a glance: point age vs RPO, retention, vault lock, key, copies, restore test, holds', async () => {
    const arn = 'arn:aws:rds:eu-central-1:222222222222:db:rewards-points';
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app=rewards-points',
      }),
      mockBackupComplianceApi({
        status: collecting,
        resources: {
          entityRef: 'component:default/payments-ledger',
          optedIn: true,
          resources: [
            {
              resourceArn: arn,
              accountId: '222222222222',
              region: 'eu-central-1',
              tags: {},
              stale: false,
            },
          ],
        },
        compliance: {
          ...verdict,
          resources: [
            {
              arn,
              accountId: '222222222222',
              region: 'eu-central-1',
              policy: 'rewards-db',
              summary: {
                resourceType: 'RDS',
                newestPointAgeHours: 30,
                rpoHours: 24,
                retentionDays: { daily: 30, yearly: 2555 },
                vaults: [{ name: 'rewards-vault', lock: 'compliance' }],
                keyTypes: ['CUSTOMER_MANAGED_KMS_KEY'],
                copies: ['222222222222/eu-west-1'],
                lastRestoreTest: {
                  at: '2026-11-23T10:00:00Z',
                  status: 'COMPLETED',
                  validation: 'SUCCESSFUL',
                  minutes: 35,
                },
                rtoMinutes: 240,
                legalHolds: 1,
              },
            },
          ],
        },
      }),
    );
    const row = await resourceRow('rewards-points');
    expect(row).toHaveTextContent(arn);
    expect(row).toHaveTextContent('30 h ago (RPO 24 h)');
    expect(within(row).getByText('daily 30 d')).toBeInTheDocument();
    expect(within(row).getByText('yearly 2555 d')).toBeInTheDocument();
    expect(row).toHaveTextContent('rewards-vault (compliance)');
    expect(row).toHaveTextContent('customer-managed');
    expect(row).toHaveTextContent('222222222222/eu-west-1');
    expect(row).toHaveTextContent(
      'COMPLETED, validation SUCCESSFUL, 35 min (RTO 240) on 2026-11-23',
    );
    expect(row).toHaveTextContent('1 legal hold active');
  });

  it("shows each resource's own verdict and names the checks it does not pass", async () => {
    const arn = (name: string) =>
      `arn:aws:rds:eu-central-1:222222222222:db:${name}`;
    const resource = (name: string) => ({
      resourceArn: arn(name),
      accountId: '222222222222',
      region: 'eu-central-1',
      tags: {},
      stale: false,
    });
    const judged = (name: string, more: object) => ({
      arn: arn(name),
      accountId: '222222222222',
      region: 'eu-central-1',
      policy: 'transactions-db',
      ...more,
    });
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=lending' }),
      mockBackupComplianceApi({
        status: collecting,
        resources: {
          entityRef: 'component:default/payments-ledger',
          optedIn: true,
          resources: ['loans', 'schedules', 'archive', 'legacy'].map(resource),
        },
        compliance: {
          ...verdict,
          level: 'non-compliant',
          resources: [
            judged('loans', { status: 'pass', notPassing: [] }),
            judged('schedules', {
              status: 'fail',
              notPassing: [
                { checkId: 'retention-yearly', status: 'fail' },
                { checkId: 'restore-tested', status: 'warn' },
              ],
            }),
            judged('archive', {
              status: 'fail',
              notPassing: [
                'protected',
                'rpo',
                'backup-jobs-healthy',
                'vault-lock',
                'encrypted',
              ].map(checkId => ({ checkId, status: 'fail' })),
            }),
            // a verdict stored before resources had their own
            judged('legacy', {}),
          ],
        },
      }),
    );
    const passing = await resourceRow('loans');
    expect(within(passing).getByText('Pass')).toBeInTheDocument();
    expect(
      within(passing).queryByRole('list', { name: 'Checks not passed' }),
    ).not.toBeInTheDocument();

    // titles, not ids; a check less bad than the worst says its status in words
    const failing = await resourceRow('schedules');
    expect(within(failing).getByText('Fail')).toBeInTheDocument();
    const named = within(failing).getByRole('list', {
      name: 'Checks not passed',
    });
    expect(
      within(named)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['Yearly retention', 'Restore tested (warning)']);

    // a long list names the worst three, the rest on request
    const many = await resourceRow('archive');
    const list = () =>
      within(many)
        .getByRole('list', { name: 'Checks not passed' })
        .querySelectorAll('li');
    expect(list()).toHaveLength(3);
    expect(list()[0]).toHaveTextContent('Protected by a backup plan');
    await userEvent.click(
      within(many).getByRole('button', { name: 'Show 2 more' }),
    );
    expect(list()).toHaveLength(5);
    expect(list()[4]).toHaveTextContent('Encrypted');
    await userEvent.click(
      within(many).getByRole('button', { name: 'Show fewer' }),
    );
    expect(list()).toHaveLength(3);

    expect(await resourceRow('legacy')).toHaveTextContent(
      'Judged per resource from the next evaluation',
    );
  });

  it('breaks ARNs only at their separators and never inside an account id', async () => {
    const arn =
      'arn:aws:dynamodb:eu-central-1:222222222222:table/credit-scoring';
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app=credit-scoring',
      }),
      apiWith(collecting, {
        entityRef: 'component:default/payments-ledger',
        optedIn: true,
        resources: [
          {
            resourceArn: arn,
            accountId: '222222222222',
            region: 'eu-central-1',
            tags: {},
            stale: false,
          },
        ],
      }),
    );
    const row = await resourceRow('credit-scoring');
    const shown = within(row).getByText(
      (_, el) => el?.tagName === 'SPAN' && el.textContent === arn,
    );
    // a line may break only where a <wbr> stands: after each ':' and '/'
    const breaks = Array.from(shown.childNodes).map(n =>
      n.nodeName === 'WBR' ? '|' : n.textContent,
    );
    expect(breaks.join('')).toBe(
      'arn:|aws:|dynamodb:|eu-central-1:|222222222222:|table/|credit-scoring',
    );
    expect(within(shown).getByText('eu-central-1:')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    expect(within(row).getByText('222222222222')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    expect(within(row).getByText('eu-central-1')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    expect(row).toHaveTextContent('Not evaluated yet');
  });

  it('says when no resource carries the tags, and when none was collected yet', async () => {
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=ghost' }),
      apiWith(collecting, {
        entityRef: 'component:default/payments-ledger',
        optedIn: true,
        resources: [],
      }),
    );
    expect(
      await screen.findByText(/No AWS resource carries all of these tags/),
    ).toBeInTheDocument();
  });

  it('says plainly that an entity without a verdict was not evaluated yet', async () => {
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=x' }),
      apiWith(collecting),
    );
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('shows the verdict: level, score, policy and each check, failures first', async () => {
    await renderContent(
      component({
        'aws.amazon.com/backup-resource-tags': 'app=card-transactions',
      }),
      mockBackupComplianceApi({
        status: collecting,
        compliance: {
          entityRef: 'component:default/payments-ledger',
          evaluatedAt: '2026-11-26T10:00:00Z',
          level: 'non-compliant',
          score: 94,
          policies: ['transactions-db'],
          problems: [],
          resources: [],
          staleAccountRegions: ['444444444444/eu-central-1'],
          checks: [
            {
              checkId: 'protected',
              status: 'pass',
              resources: [],
              facts: [],
              explanation: 'Selected by transactions-db.',
              remediation: 'Add it to a plan.',
              dora: ['12(1)(a)'],
              policies: ['transactions-db'],
            },
            {
              checkId: 'backup-jobs-healthy',
              status: 'fail',
              resources: [
                'arn:aws:dynamodb:eu-central-1:111111111111:table/card-transactions',
              ],
              facts: [
                {
                  label: 'FAILED job j-1',
                  value: 'Insufficient privileges',
                  source: 'ListBackupJobs: State, StatusMessage',
                },
              ],
              explanation:
                'The backup job of 2026-11-26 failed and no backup has succeeded since.',
              remediation: "Read the failed job's status message.",
              dora: ['12(2)', '11(8)'],
              policies: ['transactions-db'],
            },
            {
              checkId: 'cross-account-copy',
              status: 'waived',
              waivedStatus: 'fail',
              waiver: {
                entity: 'component:default/payments-ledger',
                check: 'cross-account-copy',
                reason: 'vault account migration',
                approvedBy: 'group:default/platform-resilience',
                expires: '2027-03-31',
              },
              resources: [],
              facts: [],
              explanation: 'No copy to another account exists.',
              remediation: 'Add a copy action.',
              dora: ['12(3)', '12(4)'],
              policies: ['transactions-db'],
            },
          ],
        },
      }),
    );
    expect(await screen.findByText('Non-compliant')).toBeInTheDocument();
    expect(screen.getByText('Score 94 %')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'transactions-db' }),
    );
    expect(screen.getByTestId('policy-definition')).toHaveTextContent(
      'RPO: 24 hours: the newest recovery point at most this old',
    );
    expect(screen.getByText(/data collected/)).toBeInTheDocument();
    expect(
      screen.getByText(/444444444444\/eu-central-1 is stale/),
    ).toBeInTheDocument();
    const failing = screen.getByTestId('check-backup-jobs-healthy');
    expect(failing).toHaveTextContent('Backup jobs healthy');
    expect(failing).toHaveTextContent('Fail');
    expect(failing).toHaveTextContent(
      "Fix: Read the failed job's status message.",
    );
    expect(failing).toHaveTextContent(
      'FAILED job j-1: Insufficient privileges',
    );
    expect(failing).toHaveTextContent('DORA 12(2), 11(8)');
    expect(screen.getByTestId('check-cross-account-copy')).toHaveTextContent(
      'Waived until 2027-03-31 by group:default/platform-resilience: vault account migration',
    );
    // Failures come before passes within a theme.
    const protection = ['check-backup-jobs-healthy', 'check-protected'].map(
      id => screen.getByTestId(id),
    );
    expect(
      protection[0].compareDocumentPosition(protection[1]) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('offers Refresh to users allowed to refresh, and starts a cycle for the entity', async () => {
    const api = mockBackupComplianceApi({
      status: collecting,
      compliance: verdict,
    });
    const refresh = jest.spyOn(api, 'refresh');
    const followed = jest.spyOn(api, 'getRefreshRequest');
    const alerts = { post: jest.fn(), alert$: jest.fn() };
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=x' }),
      api,
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      alerts,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh' }),
    );
    expect(refresh).toHaveBeenCalledWith('component:default/payments-ledger');
    // the request is followed until its cycle ends, and the user told
    await waitFor(() =>
      expect(alerts.post).toHaveBeenCalledWith(
        expect.objectContaining({
          message: 'Collection finished: the verdict is current.',
          severity: 'success',
        }),
      ),
    );
    expect(followed).toHaveBeenCalledWith('request-1');
    expect(alerts.post.mock.calls[0][0].message).toMatch(/^Refresh queued/);
    expect(
      screen.getByRole('button', { name: 'Download evidence' }),
    ).toBeInTheDocument();
  });

  it('hides Refresh from users who may not refresh', async () => {
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=x' }),
      mockBackupComplianceApi({ status: collecting, compliance: verdict }),
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    expect(
      await screen.findByRole('button', { name: 'Download evidence' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Refresh' }),
    ).not.toBeInTheDocument();
  });

  it('shows an error panel when the backend does not answer', async () => {
    const failingApi: BackupComplianceApi = {
      ...mockBackupComplianceApi(),
      getCollectionStatus: async () => {
        throw await ResponseError.fromResponse(
          new Response(
            '{"error":{"name":"NotFoundError","message":"no such plugin"}}',
            {
              status: 404,
              statusText: 'Not Found',
              headers: { 'content-type': 'application/json' },
            },
          ),
        );
      },
    };
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=x' }),
      failingApi,
    );
    expect(
      await screen.findByText(/Backup compliance backend unreachable/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Data collection is not set up yet'),
    ).not.toBeInTheDocument();
  });

  it('shows the verdict but no collection details or policy definitions without backup-compliance.collection.read', async () => {
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
    const api: BackupComplianceApi = {
      ...mockBackupComplianceApi({ status: collecting, compliance: verdict }),
      getCollectionStatus: async () => {
        throw await forbidden();
      },
      getPolicies: async () => {
        throw await forbidden();
      },
    };
    await renderContent(
      component({ 'aws.amazon.com/backup-resource-tags': 'app=x' }),
      api,
      mockApis.permission({
        authorize: request =>
          request.permission.name === 'backup-compliance.collection.read'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }),
    );
    expect(await screen.findByText('Compliant')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'transactions-db' }),
    );
    expect(screen.getByTestId('policy-definition')).toHaveTextContent(
      'needs the backup-compliance.collection.read permission',
    );
    expect(screen.queryByText('AWS Backup collection')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/Backup compliance backend unreachable/),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/444444444444/)).not.toBeInTheDocument();
  });
});
