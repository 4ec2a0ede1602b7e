import { expect, Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe';

// Set SCREENSHOTS_DIR (see `yarn screenshots`) to refresh the README's images.
const screenshotsDir = process.env.SCREENSHOTS_DIR;

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

// Entity tabs are links in the entity page's content navigation.
function entityTab(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name, exact: true });
}

async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
) {
  if (screenshotsDir) {
    const viewport = page.viewportSize()!;
    if (options.fullPage) {
      // the whole page in one window, so that the fixed sidebar spans it too
      const height = await page.evaluate(
        () => document.documentElement.scrollHeight,
      );
      await page.setViewportSize({ width: viewport.width, height });
    }
    await page.waitForTimeout(1_000); // let the tab indicator finish moving
    await page.screenshot({ path: `${screenshotsDir}/${name}.png` });
    await page.setViewportSize(viewport);
  }
}

// The catalog ingests examples/ shortly after the backend starts: reload until
// the entity page is there.
async function openEntity(page: Page, name: string, title: string) {
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}`);
    await expect(page.getByRole('heading', { name: title })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
}

test('an opted-in component has a Backup tab that shows its opt-in and the collection', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openEntity(page, 'payments-ledger', 'Payments ledger');

  await entityTab(page, 'Backup').click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payments-ledger\/backup$/,
  );
  // The opt-in card: the annotations as parsed (the verdict may or may not be there
  // yet, and it names the policy too).
  await expect(page.getByText('app=payments-ledger')).toBeVisible();
  await expect(
    page.getByRole('row', { name: /^Policy\s*transactions-db$/ }),
  ).toBeVisible();
  // The backend collects from the emulator a few seconds after start-up.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('AWS resources (1)')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  const ledger = page.getByRole('row', {
    name: /arn:aws:rds:eu-central-1:111111111111:db:payments-ledger/,
  });
  await expect(ledger).toContainText('payments-vault (compliance)');
  await expect(ledger).toContainText('customer-managed');
  await expect(ledger).toContainText('yearly 2555 d');
  await expect(page.getByTestId('compliance-level')).toHaveText('Compliant');
  await expect(page.getByText('Score 100 %')).toBeVisible();
  await expect(ledger).toContainText('Pass');
  await saveScreenshot(page, 'backup-tab');
  await expectNoSeriousA11yViolations(page);
});

test('a service whose latest backup job failed is non-compliant, and says why', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/catalog/default/component/card-transactions/backup');
    await expect(page.getByTestId('compliance-level')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('compliance-level')).toHaveText(
    'Non-compliant',
  );
  const check = page.getByTestId('check-backup-jobs-healthy');
  await expect(check).toContainText('Fail');
  await expect(check).toContainText('Insufficient privileges');
  await expect(check).toContainText('DORA 12(2), 11(8)');
  await saveScreenshot(page, 'backup-tab-non-compliant');
  await expectNoSeriousA11yViolations(page);
});

test("a service with several resources shows each one's verdict on its Backup tab", async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/catalog/default/component/statements-archive/backup');
    await expect(page.getByText('AWS resources (2)')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  // the bucket's yearly copy is kept too short; the table passes
  const bucket = page.getByRole('row', {
    name: /arn:aws:s3:::statements-archive/,
  });
  await expect(bucket).toContainText('Fail');
  await expect(
    bucket.getByRole('list', { name: 'Checks not passed' }),
  ).toHaveText('Cross-account copy');
  const table = page.getByRole('row', {
    name: /arn:aws:dynamodb:eu-central-1:111111111111:table\/statements-index/,
  });
  await expect(table).toContainText('Pass');
  await expect(
    table.getByRole('list', { name: 'Checks not passed' }),
  ).toHaveCount(0);
  // continuous backups by their window, cold points, what runs next, where a test restored from
  await expect(bucket).toContainText('continuous (PITR), 35-day window');
  await expect(table).toContainText('2 points in cold storage');
  await expect(table).toContainText(/next backup in \d+/);
  await expect(table).toContainText(/next test in \d+/);
  await expect(table).toContainText('from warm');
  // an account id is never broken across lines: one box, not two
  const account = table.getByText('111111111111', { exact: true });
  expect(await account.evaluate(el => el.getClientRects().length)).toBe(1);
  // and the resources table fits its card at 1 400 px, no sideways scrolling
  const resources = page
    .getByRole('table')
    .filter({ has: page.getByRole('columnheader', { name: 'Verdict' }) });
  expect(
    await resources.evaluate(
      t =>
        t.getBoundingClientRect().width <=
        t.parentElement!.getBoundingClientRect().width,
    ),
  ).toBe(true);
  await expectNoSeriousA11yViolations(page);
});

test('the overview of an opted-in service shows the backup card', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/catalog/default/component/rewards-points');
    await expect(page.getByText('Failing checks')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText('1: Yearly retention')).toBeVisible();
  const open = page.getByRole('link', { name: 'Open the Backup tab' });
  await expect(open).toHaveAttribute(
    'href',
    '/catalog/default/component/rewards-points/backup',
  );
  await saveScreenshot(page, 'overview-card');
  // the card only: the rest of the overview page is not ours
  await expectNoSeriousA11yViolations(page, {
    within: open.locator(
      'xpath=ancestor::*[contains(@class, "MuiCard-root")][1]',
    ),
  });
});

test('a resource without any backup says so on its Backup tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/catalog/default/component/credit-scoring/backup');
    await expect(page.getByText('AWS resources (1)')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText('No backup found')).toBeVisible();
});

test('a component without the annotation has no Backup tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openEntity(page, 'payments-gateway', 'Payments gateway');

  await expect(entityTab(page, 'Overview')).toBeVisible();
  await expect(entityTab(page, 'Backup')).toHaveCount(0);
});

test('a malformed annotation is explained on the Backup tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openEntity(page, 'fx-rates', 'FX rates');

  await entityTab(page, 'Backup').click();
  await expect(
    page.getByText(/Backup annotations are malformed/),
  ).toBeVisible();
  await expect(page.getByText('"app" is not a key=value pair')).toBeVisible();
});

test('the Backup compliance page, reached from the sidebar, shows the collection per account-region', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.getByRole('link', { name: /Backup compl/ }).click();
  await expect(page).toHaveURL(/\/backup-compliance$/);
  // The backend collects from the emulator a few seconds after start-up.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Current').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  const denied = page.getByRole('row', { name: /444444444444/ }).first();
  await expect(denied).toContainText('Stale: last attempt failed');
  await expect(denied).toContainText('AccessDeniedException');
  const payments = page.getByRole('row', { name: /111111111111 eu-central-1/ });
  await expect(payments).toContainText('Current');
  // The verdict of every opted-in service, failures first.
  await expect(page.getByText('Services (9 of 9)')).toBeVisible();
  await expect(
    page.getByText('Production components not opted in'),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: /Payments ledger/ }),
  ).toContainText('Compliant');
  // failing checks by title, as the tiles name them
  await expect(page.getByRole('row', { name: /Rewards points/ })).toContainText(
    'Yearly retention',
  );
  await expect(page.getByRole('row', { name: /FX rates/ })).toContainText(
    'Misconfigured',
  );
  await saveScreenshot(page, 'scorecard-page');
  await expectNoSeriousA11yViolations(page);
});

test('the scorecard filters by level on the server and exports what it shows', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/backup-compliance');
    await expect(page.getByText('Services (9 of 9)')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });

  await page.getByRole('button', { name: 'Show heatmap' }).click();
  await expect(
    page.getByLabel('Rewards points, Yearly retention: fail'),
  ).toHaveText('✗');
  await expect(page.getByLabel('Payments ledger, Vault Lock: pass')).toHaveText(
    '✓',
  );
  // The example backend's own check has a column too.
  await expect(
    page.getByLabel('Payments ledger, Dedicated backup vault: pass'),
  ).toHaveText('✓');
  await expectNoSeriousA11yViolations(page);
  if (screenshotsDir) {
    await page
      .getByRole('table', { name: 'Checks per service' })
      .screenshot({ path: `${screenshotsDir}/scorecard-heatmap.png` });
  }
  await page.getByRole('button', { name: 'Show table' }).click();

  await page.getByLabel('Level').click();
  await page.getByRole('option', { name: 'compliant', exact: true }).click();
  await expect(page.getByText('Services (1 of 9)')).toBeVisible();
  await expect(
    page.getByRole('row', { name: /Payments ledger/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: /Card transactions/ }),
  ).toHaveCount(0);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    /^backup-compliance-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const text = await (await file.createReadStream()).toArray();
  const csv = Buffer.concat(text).toString('utf8');
  expect(csv.split('\r\n')[0]).toContain('entityRef,title,owner');
  expect(csv).toContain('component:default/payments-ledger');
  expect(csv).not.toContain('component:default/card-transactions');
});

test('the Policies tab shows each organization backup policy, what it implements, its findings and its drift', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/backup-compliance');
    await expect(page.getByText('Services (9 of 9)')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Policies' }).click();
  await expect(page).toHaveURL(/\/backup-compliance\/policies$/);
  // The organization's policies are read by the first full cycle and judged after it.
  const orgPolicy = (name: string) =>
    page.getByRole('region', { name: `Organization policy ${name}` });
  await expect(async () => {
    await page.goto('/backup-compliance/policies');
    await expect(orgPolicy('rewards-db-backup')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole('tab', { name: 'Policies' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByTestId('organization-summary')).toContainText(
    'read from account 333333333333',
  );

  const transactions = orgPolicy('transactions-db-backup');
  await expect(transactions).toContainText('Attached to OU payments');
  await expect(transactions).toContainText('implements transactions-db');
  await expect(transactions.getByRole('list', { name: 'Drift' })).toContainText(
    'account 222222222222 has resources tagged backup-policy=transactions-db, but transactions-db-backup does not target it',
  );

  const rewards = orgPolicy('rewards-db-backup');
  await expect(rewards).toContainText('Fail');
  await expect(rewards.getByRole('list', { name: 'Findings' })).toContainText(
    'the yearly rule keeps points 7 y (2555 d): it cannot implement rewards-db, which requires 10 y (3650 d)',
  );
  await expect(rewards.getByRole('list', { name: 'Drift' })).toContainText(
    'no backup plan rewards-db in 222222222222/eu-central-1',
  );
  // each under the compliance policy it implements, whose requirements are in words
  const rewardsDb = page.locator('.MuiCard-root').filter({
    has: page.getByRole('heading', { name: 'rewards-db', exact: true }),
  });
  await expect(rewardsDb.getByLabel('What rewards-db requires')).toContainText(
    'yearly 10 years',
  );
  await expect(
    rewardsDb.getByRole('region', {
      name: 'Organization policy rewards-db-backup',
    }),
  ).toBeVisible();

  await saveScreenshot(page, 'policies-page', { fullPage: true });
  await expectNoSeriousA11yViolations(page);
});
