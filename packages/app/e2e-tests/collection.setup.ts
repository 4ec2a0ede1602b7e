import { expect, test as setup } from '@playwright/test';

// The browser tests judge what one collection cycle found. The backend starts its
// first cycle a few seconds after start-up (app-config.e2e.yaml); wait for that
// event through the API, however long a busy machine takes, before any test runs.
setup('the first collection cycle has completed', async ({ request }) => {
  setup.setTimeout(300_000);
  const auth = await request.get('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(auth.ok()).toBe(true);
  const token = (await auth.json()).backstageIdentity.token as string;
  const headers = { authorization: `Bearer ${token}` };

  await expect
    .poll(
      async () => {
        const res = await request.get('/api/backup-compliance/v1/collection', {
          headers,
        });
        if (!res.ok()) return `HTTP ${res.status()}`;
        const c = await res.json();
        const attempted = c.accountRegions.filter(
          (ar: { lastAttemptAt?: string }) => ar.lastAttemptAt,
        ).length;
        return `${attempted} of ${
          c.accounts.length * c.regions.length
        } account-regions attempted`;
      },
      { timeout: 240_000, intervals: [500, 1_000] },
    )
    .toMatch(/^(\d+) of \1 account-regions attempted$/);

  // and evaluated: the example's compliant service has its verdict
  await expect
    .poll(
      async () =>
        (
          await request.get(
            '/api/backup-compliance/v1/entities/default/component/payments-ledger',
            { headers },
          )
        ).status(),
      { timeout: 60_000, intervals: [500, 1_000] },
    )
    .toBe(200);
});
