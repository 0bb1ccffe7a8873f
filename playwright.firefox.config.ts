import { defineConfig } from '@playwright/test';

// Real Firefox ESR (the system's, see e2e-firefox/support.ts) driven by puppeteer-core over
// WebDriver BiDi, with our Firefox build installed. Playwright Test is only the runner here.
// One worker: each test runs a whole browser, and the machine has two cores.
export default defineConfig({
  testDir: 'e2e-firefox',
  testMatch: /.*\.spec\.ts$/,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/firefox',
});
