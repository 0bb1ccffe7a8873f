import { defineConfig } from 'vitest/config';

// Unit tests run pure code (src/core, the panel store) and the lab in Node; they do not
// need the extension build, so the crxjs plugin is deliberately not loaded here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
