// The temporary project's Playwright config (scripts/package-test.ts copies it there): the
// system's Chromium, no browser download, the JSON report to a file the script reads.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['json', { outputFile: process.env.SA_REPORT_FILE ?? 'report.json' }]],
  outputDir: 'test-results',
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    },
  },
});
