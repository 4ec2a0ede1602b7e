import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { BackupComplianceApi, backupComplianceApiRef } from '../../api';
import { EntityBackupContent } from './EntityBackupContent';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-ledger', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  };
}

async function renderContent(entity: Entity, api: BackupComplianceApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[backupComplianceApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityBackupContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const healthyApi: BackupComplianceApi = {
  getHealth: async () => ({ status: 'ok' }),
};

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
  });

  it('shows an error panel when the backend does not answer', async () => {
    const failingApi: BackupComplianceApi = {
      getHealth: async () => {
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
});
