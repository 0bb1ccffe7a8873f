import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests run pure code (src/core, the panel store) and the lab in Node; they do not
// need the extension build, so the crxjs plugin is deliberately not loaded here.
export default defineConfig({
  // The worker hook is a build product (scripts/worker-hook.ts); the hub's tests get a stand-in.
  resolve: { alias: { 'virtual:worker-hook': fileURLToPath(new URL('./test/helpers/worker-hook-stub.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
