import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'backup-compliance' });

export const entityContentRouteRef = createRouteRef({
  id: 'backup-compliance:entity-content',
});
