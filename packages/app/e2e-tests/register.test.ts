import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Set SCREENSHOTS_DIR (see `yarn screenshots`) to refresh the README's images.
const screenshotsDir = process.env.SCREENSHOTS_DIR;

test('the register opens from the scorecard as of a day, and prints to PDF in Chromium', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // signed in: the app's sidebar is there
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await page.goto('/backup-compliance');
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('As of').fill(today);
  const [register] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Open register (prints to PDF)' }).click(),
  ]);
  await expect(
    register.getByRole('heading', { name: 'Backup compliance register' }),
  ).toBeVisible();
  await expect(register.getByText(`As of ${today}`)).toBeVisible();
  // every opted-in service of the demo, with its DORA articles
  await expect(register.locator('section.service')).toHaveCount(9);
  await expect(
    register.getByRole('heading', { name: /Payments ledger\s+compliant/ }),
  ).toBeVisible();
  await expect(register.getByText('Art. 12(1)(a)').first()).toBeVisible();
  await expect(register.getByText('Waivers in force:')).toBeVisible();

  // Chromium's print to PDF: A4 pages
  await register.emulateMedia({ media: 'print' });
  const pdf = await register.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBeGreaterThan(1);
  if (screenshotsDir) {
    // the PDF's first page as the README shows it (pdftoppm: Debian's poppler-utils)
    const file = join(tmpdir(), 'backup-compliance-register.pdf');
    writeFileSync(file, pdf);
    const out = join(screenshotsDir, 'register-page');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', file, out]);
  }
});
