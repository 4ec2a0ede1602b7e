#!/usr/bin/env node
// The adopter test's browser checks, in Debian's Chromium through Playwright: in a
// fresh app serving our frontend plugin, the Backup tab, the overview card and the
// scorecard page render with collected data.
//   node scripts/adopter/check-ui.mjs http://localhost:PORT SCREENSHOT_DIR LABEL
import { chromium, expect } from '@playwright/test';

const [base, shots, label] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
page.setDefaultTimeout(60_000);
expect.configure({ timeout: 60_000 });

async function shot(name) {
  await page.screenshot({
    path: `${shots}/${label}-${name}.png`,
    fullPage: true,
  });
  console.log(`  screenshot ${shots}/${label}-${name}.png`);
}

try {
  await page.goto(base);
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the app's sidebar is there (navigating earlier would abort the
  // sign-in, and every page would show the sign-in page again).
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();

  // The overview card, on the entity's overview (the catalog ingests examples/
  // shortly after start-up: reload until the entity is there).
  await expect(async () => {
    await page.goto(`${base}/catalog/default/component/payments-ledger`);
    await expect(
      page.getByRole('heading', { name: 'Payments ledger' }),
    ).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
  await expect(page.getByText('Backup compliance').first()).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Open the Backup tab' }),
  ).toHaveAttribute(
    'href',
    /\/catalog\/default\/component\/payments-ledger\/backup$/,
  );
  await shot('overview-card');
  console.log('ok: overview card');

  // The Backup tab with the collected resource.
  await page.goto(`${base}/catalog/default/component/payments-ledger/backup`);
  await expect(page.getByText('app=payments-ledger')).toBeVisible();
  await expect(page.getByText('AWS resources (1)')).toBeVisible();
  await expect(
    page.getByRole('row', {
      name: /arn:aws:rds:eu-central-1:111111111111:db:payments-ledger/,
    }),
  ).toBeVisible();
  await shot('backup-tab');
  console.log('ok: Backup tab');

  // The scorecard page, with every opted-in service.
  await page.goto(`${base}/backup-compliance`);
  await expect(page.getByText('Services (9 of 9)')).toBeVisible();
  await expect(
    page.getByRole('row', { name: /Payments ledger/ }),
  ).toContainText('Compliant');
  await expect(page.getByRole('row', { name: /FX rates/ })).toContainText(
    'Misconfigured',
  );
  await shot('scorecard');
  console.log('ok: scorecard page');

  // Its Policies tab, a nested route that must work in the app's own routing.
  await page.getByRole('tab', { name: 'Policies' }).click();
  await expect(page).toHaveURL(/\/backup-compliance\/policies$/);
  await expect(
    page.getByRole('heading', { name: 'transactions-db', exact: true }),
  ).toBeVisible();
  await shot('policies');
  console.log('ok: Policies tab');
} catch (e) {
  await shot('failure').catch(() => {});
  throw e;
} finally {
  await browser.close();
}
