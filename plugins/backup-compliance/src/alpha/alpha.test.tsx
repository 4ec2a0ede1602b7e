import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { mockBackupComplianceApi } from '../testing/mockBackupComplianceApi';
import { backupComplianceApiRef } from '../api';
import plugin from './index';
import { entityBackupContent, scorecardPage } from './extensions';

const api = mockBackupComplianceApi();

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'rewards-points', annotations },
    spec: { type: 'service' },
  };
}

describe('New Frontend System plugin', () => {
  it('is the backup-compliance plugin', () => {
    expect(plugin.pluginId).toBe('backup-compliance');
  });

  it('offers the Backup tab only to entities with the tags annotation', () => {
    const filter = createExtensionTester(entityBackupContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    expect(filter).toBeDefined();
    expect(
      filter!(component({ 'aws.amazon.com/backup-resource-tags': 'app=x' })),
    ).toBe(true);
    expect(filter!(component({}))).toBe(false);
    expect(
      filter!(component({ 'aws.amazon.com/backup-policy': 'rewards-db' })),
    ).toBe(false);
  });

  it('renders the Backup tab content with the opt-in of the entity', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: component({
            'aws.amazon.com/backup-resource-tags': 'app=rewards-points',
            'aws.amazon.com/backup-policy': 'rewards-db',
          }),
        }),
        entityBackupContent,
      ],
      apis: [
        [backupComplianceApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    expect(await screen.findByText('rewards-db')).toBeInTheDocument();
    expect(
      await screen.findByText('Data collection is not set up yet'),
    ).toBeInTheDocument();
  });

  it('serves the policies at /backup-compliance/policies, a tab of the page', async () => {
    renderTestApp({
      extensions: [scorecardPage],
      initialRouteEntries: ['/backup-compliance/policies'],
      apis: [[backupComplianceApiRef, api]],
    });
    expect(
      await screen.findByText(
        /The organization's backup policies are not read/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Policies' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Scorecard' })).toBeInTheDocument();
  });
});
