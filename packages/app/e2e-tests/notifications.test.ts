import { expect, test } from '@playwright/test';

// Set SCREENSHOTS_DIR (see `yarn screenshots`) to refresh the README's images.
const screenshotsDir = process.env.SCREENSHOTS_DIR;

test("the rewards team's member is told, in Backstage's notifications, that a waiver on their service expires", async ({
  page,
  request,
}) => {
  // The demo signs in as Luca Rossi of the rewards team (app-config.yaml), and tells
  // owners of waivers a year ahead: rewards-catalog's waiver is told after the first
  // evaluation. Wait for that event through the API before looking at the page.
  const auth = await request.get('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const token = (await auth.json()).backstageIdentity.token as string;
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get('/api/notifications', {
              headers: { authorization: `Bearer ${token}` },
            })
          ).json()
        ).totalCount,
      { timeout: 60_000, intervals: [500, 1_000] },
    )
    .toBeGreaterThan(0);

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // signed in: the app's sidebar is there
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await page.goto('/notifications');
  const title = 'rewards-catalog: the waiver for Cross-account copy expires in';
  await expect(page.getByText(title)).toBeVisible();
  await expect(
    page.getByText('Approved by group:default/platform-resilience', {
      exact: false,
    }),
  ).toBeVisible();
  if (screenshotsDir) {
    await page.waitForTimeout(1_000); // let the list finish rendering its icons
    await page.screenshot({ path: `${screenshotsDir}/notifications.png` });
  }

  // the notification's link opens the service's Backup tab
  await page.getByText(title).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/rewards-catalog\/backup$/,
  );
});
