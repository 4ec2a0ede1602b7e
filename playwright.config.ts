import { defineConfig } from '@playwright/test';

// Browser end-to-end tests in the system's Chromium (Debian's /usr/bin/chromium
// by default); no browser is ever downloaded. scripts/e2e.sh builds the app
// first; the backend below then serves it.
const port = 7107;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'node_modules/.cache/e2e-test-results',
  projects: [
    // waits for the backend's first completed collection cycle (an event, not a time)
    { name: 'setup', testMatch: /collection\.setup\.ts/ },
    {
      name: 'chromium',
      testMatch: /\.test\.ts/,
      dependencies: ['setup'],
    },
  ],
  webServer: [
    {
      command:
        'yarn workspace @backup-compliance/aws-backup-emulator start --scenario examples/aws-scenario.yaml --port 4699',
      url: 'http://localhost:4699/_emulator/health',
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command:
        'yarn workspace backend start --config ../../app-config.yaml --config ../../app-config.e2e.yaml',
      url: `http://localhost:${port}/.backstage/health/v1/readiness`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
