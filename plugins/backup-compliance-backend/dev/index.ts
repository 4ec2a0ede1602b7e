import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// Standalone backend for working on the plugin alone: `yarn start` in this
// package, then `curl http://localhost:7007/api/backup-compliance/health`.
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));

backend.start();
