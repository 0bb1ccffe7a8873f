import { defineConfig } from '@playwright/test';

// Real Chromium (the system's, see e2e/support/browser.ts) with the real extension and real
// DevTools. One worker: each test runs a whole browser, and the machine has two cores.
export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
});
