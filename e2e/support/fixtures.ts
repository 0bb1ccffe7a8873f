// Test fixtures: one lab server per worker, one fresh browser profile per test.
import { test as base } from '@playwright/test';
import { startLab, type Lab } from '../../lab/server.ts';
import { launchWithExtension, type Launched } from './browser.ts';

export const test = base.extend<{ browserWithDevtools: Launched; browserPlain: Launched; browserBfcache: Launched }, { lab: Lab }>({
  lab: [
    async ({}, use) => {
      // 2.5 s: above the 2 s of silence the diagnosis needs to call a cut an idle timeout (RULES).
      const lab = await startLab({ idleMs: 2500 });
      await use(lab);
      await lab.close();
    },
    { scope: 'worker' },
  ],
  browserWithDevtools: async ({}, use) => {
    const b = await launchWithExtension({ devtools: true });
    await use(b);
    await b.close();
  },
  browserPlain: async ({}, use) => {
    const b = await launchWithExtension({ devtools: false });
    await use(b);
    await b.close();
  },
  // DevTools open and the back/forward cache on (Playwright turns it off by default).
  browserBfcache: async ({}, use) => {
    const b = await launchWithExtension({ devtools: true, bfcache: true });
    await use(b);
    await b.close();
  },
});

export { expect } from '@playwright/test';
