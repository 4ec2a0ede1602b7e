import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { mockBackupComplianceApi } from './testing/mockBackupComplianceApi';
import { Route, Routes } from 'react-router-dom';
import {
  BackupComplianceScorecardPage,
  EntityBackupComplianceCard,
  EntityBackupComplianceContent,
  backupCompliancePlugin,
  backupComplianceApiRef,
  isBackupComplianceAvailable,
} from './index';
import { entityContentRouteRef, rootRouteRef } from './routes';

const api = mockBackupComplianceApi();

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-ledger',
    annotations: { 'aws.amazon.com/backup-resource-tags': 'app=ledger' },
  },
  spec: {},
};

describe('legacy frontend system exports', () => {
  it('provides the API client and both routes', () => {
    expect(backupCompliancePlugin.getId()).toBe('backup-compliance');
    expect(
      [...backupCompliancePlugin.getApis()].map(factory => factory.api.id),
    ).toEqual(['plugin.backup-compliance.service']);
    expect(backupCompliancePlugin.routes).toEqual({
      root: rootRouteRef,
      entityContent: entityContentRouteRef,
    });
  });

  it('renders EntityBackupComplianceContent on an annotated entity', async () => {
    expect(isBackupComplianceAvailable(entity)).toBe(true);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupComplianceApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={entity}>
          <Routes>
            <Route path="/" element={<EntityBackupComplianceContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('app=ledger')).toBeInTheDocument();
    expect(
      screen.getByText('Data collection is not set up yet'),
    ).toBeInTheDocument();
  });

  it('renders EntityBackupComplianceCard on an annotated entity', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
        <EntityProvider entity={entity}>
          <EntityBackupComplianceCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Backup compliance')).toBeInTheDocument();
    expect(screen.getByText(/Not evaluated yet/)).toBeInTheDocument();
  });

  it('renders BackupComplianceScorecardPage', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [backupComplianceApiRef, api],
          [permissionApiRef, mockApis.permission()],
          [catalogApiRef, catalogApiMock({ entities: [] })],
        ]}
      >
        <Routes>
          <Route path="/" element={<BackupComplianceScorecardPage />} />
        </Routes>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Data collection is not set up yet'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Backup compliance').length).toBeGreaterThan(0);
  });
});
