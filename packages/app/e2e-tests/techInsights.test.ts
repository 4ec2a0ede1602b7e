import { APIRequestContext, expect, test } from '@playwright/test';

// Tech Insights in the example backend, fed by the backup compliance module from the
// plugin's store, and the checks app-config.yaml defines on those facts.

async function guestHeaders(request: APIRequestContext) {
  const auth = await request.get('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(auth.ok()).toBe(true);
  return {
    authorization: `Bearer ${(await auth.json()).backstageIdentity.token}`,
  };
}

test('Tech Insights has the backup compliance facts of each service, and its checks on them answer', async ({
  request,
}) => {
  test.setTimeout(240_000);
  const headers = await guestHeaders(request);
  const verdict = await (
    await request.get(
      '/api/backup-compliance/v1/entities/default/component/loan-servicing',
      { headers },
    )
  ).json();

  // the retriever runs every minute (app-config.e2e.yaml): wait for facts of this verdict
  let facts: Record<string, any> = {};
  await expect
    .poll(
      async () => {
        const res = await request.get(
          '/api/tech-insights/facts/latest?entity=component:default/loan-servicing&ids[]=backupComplianceFactRetriever',
          { headers },
        );
        facts = (await res.json()).backupComplianceFactRetriever?.facts ?? {};
        return facts.backupEvaluatedAt;
      },
      { timeout: 200_000, intervals: [2_000] },
    )
    .toBeTruthy();
  expect(facts).toMatchObject({
    backupComplianceLevel: verdict.level,
    backupCompliant: false,
    backupComplianceScore: verdict.score,
    backupFailingChecks: expect.arrayContaining(['vault-lock']),
  });
  // the example's loan-servicing was last test-restored 45 days ago
  expect(facts.lastRestoreTestAgeDays).toBeGreaterThan(44);

  const run = await request.post(
    '/api/tech-insights/checks/run/default/component/loan-servicing',
    { headers, data: {} },
  );
  expect(run.ok()).toBe(true);
  const results = Object.fromEntries(
    (await run.json()).map((r: any) => [r.check.id, r.result]),
  );
  expect(results).toEqual({
    backupCompliant: false,
    backupRestoreTestedThisMonth: false,
  });
});
