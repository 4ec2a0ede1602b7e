import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResourceSummary } from '@backup-compliance/backstage-plugin-common';
import { screen, within } from '@testing-library/react';
import { backupComplianceApiRef } from '../../api';
import { mockBackupComplianceApi } from '../../testing/mockBackupComplianceApi';
import { EntityResourcesCard } from './EntityResourcesCard';

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
const hoursAgo = (h: number) => inHours(-h);

const bucket = 'arn:aws:s3:::statements-archive';
const table =
  'arn:aws:dynamodb:eu-central-1:111111111111:table/statements-index';

const summary = (more: Partial<ResourceSummary>): ResourceSummary => ({
  rpoHours: 24,
  retentionDays: { daily: 35 },
  vaults: [{ name: 'statements-vault', lock: 'compliance' }],
  keyTypes: ['CUSTOMER_MANAGED_KMS_KEY'],
  copies: [],
  rtoMinutes: 240,
  legalHolds: 0,
  ...more,
});

async function renderTable(
  summaries: Array<{ arn: string; summary: ResourceSummary }>,
) {
  const api = mockBackupComplianceApi({
    resources: {
      entityRef: 'component:default/statements-archive',
      optedIn: true,
      resources: summaries.map(({ arn }) => ({
        resourceArn: arn,
        accountId: '111111111111',
        region: 'eu-central-1',
        tags: {},
        stale: false,
      })),
    },
    compliance: {
      entityRef: 'component:default/statements-archive',
      evaluatedAt: hoursAgo(1),
      level: 'compliant',
      score: 100,
      policies: ['transactions-db'],
      problems: [],
      staleAccountRegions: [],
      checks: [],
      resources: summaries.map(({ arn, summary: s }) => ({
        arn,
        accountId: '111111111111',
        region: 'eu-central-1',
        policy: 'transactions-db',
        status: 'pass',
        notPassing: [],
        summary: s,
      })),
    },
  });
  await renderInTestApp(
    <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'statements-archive' },
        }}
      >
        <EntityResourcesCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

async function row(name: string) {
  return (await screen.findByText(name, { selector: 'a' })).closest('tr')!;
}

describe('EntityResourcesCard', () => {
  it('shows a running continuous backup by its window, not by the age of its point', async () => {
    const since = hoursAgo(150 * 24);
    await renderTable([
      {
        arn: bucket,
        summary: summary({
          newestPointAt: hoursAgo(4),
          newestPointAgeHours: 4,
          continuous: { since, windowDays: 35 },
        }),
      },
      {
        arn: table,
        // only the continuous point: no snapshot to speak of
        summary: summary({
          newestPointAt: since,
          newestPointAgeHours: 3600,
          continuous: { since },
        }),
      },
    ]);

    const withSnapshot = await row('statements-archive');
    expect(withSnapshot).toHaveTextContent('continuous (PITR), 35-day window');
    expect(withSnapshot).toHaveTextContent('newest snapshot 4 h ago');
    expect(withSnapshot).not.toHaveTextContent('RPO 24');

    const alone = await row('statements-index');
    expect(alone).toHaveTextContent('continuous (PITR)');
    expect(alone).not.toHaveTextContent('-day window');
    expect(alone).not.toHaveTextContent('3600');
    expect(alone).not.toHaveTextContent('newest snapshot');
  });

  it('counts the points in cold storage, and says whether the last test restored a cold one', async () => {
    await renderTable([
      {
        arn: table,
        summary: summary({
          newestPointAgeHours: 6,
          retentionDays: { daily: 35, monthly: 365, yearly: 2555 },
          coldPoints: 2,
          lastRestoreTest: {
            at: '2026-11-27T10:00:00Z',
            status: 'COMPLETED',
            validation: 'SUCCESSFUL',
            minutes: 35,
            storageClass: 'WARM',
          },
        }),
      },
      {
        arn: bucket,
        summary: summary({
          newestPointAgeHours: 6,
          coldPoints: 1,
          lastRestoreTest: { status: 'COMPLETED', storageClass: 'COLD' },
        }),
      },
    ]);

    const index = await row('statements-index');
    expect(
      within(index).getByText('2 points in cold storage'),
    ).toBeInTheDocument();
    expect(index).toHaveTextContent(
      'COMPLETED, validation SUCCESSFUL, 35 min (RTO 240), from warm on 2026-11-27',
    );
    const archive = await row('statements-archive');
    expect(
      within(archive).getByText('1 point in cold storage'),
    ).toBeInTheDocument();
    expect(archive).toHaveTextContent('COMPLETED, from cold');
  });

  it('says when the next backup and the next test restore run', async () => {
    const nextBackupAt = inHours(9);
    const nextRestoreTestAt = inHours(12 * 24);
    await renderTable([
      {
        arn: bucket,
        summary: summary({
          newestPointAgeHours: 6,
          nextBackupAt,
          nextRestoreTestAt,
          lastRestoreTest: { status: 'COMPLETED', minutes: 20 },
        }),
      },
    ]);

    const archive = await row('statements-archive');
    expect(archive).toHaveTextContent(
      /6 h ago \(RPO 24 h\)\s*next backup in 9 h/,
    );
    expect(archive).toHaveTextContent(
      /COMPLETED, 20 min \(RTO 240\)\s*next test in 12 d/,
    );
    // the exact time is there for whoever wants it
    expect(within(archive).getByText('in 9 h').closest('time')).toHaveAttribute(
      'dateTime',
      nextBackupAt,
    );
  });

  it('shows a verdict stored before these fields existed as before', async () => {
    await renderTable([
      {
        arn: bucket,
        summary: summary({
          newestPointAgeHours: 30,
          lastRestoreTest: { status: 'COMPLETED', minutes: 20 },
        }),
      },
    ]);

    const archive = await row('statements-archive');
    expect(archive).toHaveTextContent('30 h ago (RPO 24 h)');
    expect(archive).toHaveTextContent('COMPLETED, 20 min (RTO 240)');
    expect(archive).not.toHaveTextContent(/continuous|cold|next|from warm/);
  });
});
