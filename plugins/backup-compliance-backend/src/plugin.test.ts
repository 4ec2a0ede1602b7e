import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { backupCompliancePlugin } from './plugin';

describe('backupCompliancePlugin', () => {
  it('serves /health without credentials', async () => {
    const { server } = await startTestBackend({
      features: [backupCompliancePlugin],
    });

    const response = await request(server).get('/api/backup-compliance/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers 404 for routes it does not serve', async () => {
    const { server } = await startTestBackend({
      features: [backupCompliancePlugin],
    });

    const response = await request(server).get(
      '/api/backup-compliance/v1/no-such-route',
    );

    expect(response.status).toBe(404);
  });
});
