// `socket-autopsy/playwright`: Playwright's `test` with Socket Autopsy in every browser context,
// `expect` with toHaveNoAbnormalSockets(), and withSocketAutopsy() for suites with their own
// `test`. The fixture is automatic (every test gets it without naming it) and configured through
// an option fixture, so a project sets it in playwright.config's `use` and a file in test.use():
//
//   import { test, expect } from 'socket-autopsy/playwright';
//   test.use({ socketAutopsy: { failOn: ['abnormal', 'server-error'] } });
//
// What each test gets (capture.ts): the extension's page hook in every page and frame from their
// first script, the sockets' diagnoses, sockets.har and sockets.md attached to a failed test (or
// always), and a test that passed failed with the explanation when failOn matches.
import { expect as baseExpect, test as baseTest, type BrowserContext, type Page, type TestType } from '@playwright/test';

import { parseFailOn } from '../cli/fail-on.ts';
import { Capture, captureOf, resolveOptions, SocketAutopsyError, type SocketAutopsyOptions } from './capture.ts';
import { abnormalMessage, matching } from './report.ts';

export { SocketAutopsyError, type SocketAutopsyOptions };

export interface SocketAutopsyFixtures {
  /** Options for the tests in scope (an option fixture: set it in `use` or test.use()). */
  socketAutopsy: SocketAutopsyOptions;
  /** The capture itself (automatic; tests need not name it). */
  socketAutopsyCapture: Capture | undefined;
}

/**
 * Adds Socket Autopsy to a `test` that has a `context` fixture (Playwright's own, or a suite's
 * extension of it), with `options` as the defaults that `use`/test.use() can override.
 */
export function withSocketAutopsy<T extends { context: BrowserContext }, W extends object>(
  test: TestType<T, W>,
  options: SocketAutopsyOptions = {},
): TestType<T & SocketAutopsyFixtures, W> {
  // Checked now, so a wrong option fails at load with its name rather than in every test.
  resolveOptions(options);
  // Playwright's Fixtures type cannot follow a generic `T`; the shapes below are its documented ones.
  const fixtures = {
    socketAutopsy: [options, { option: true }],
    socketAutopsyCapture: [
      async ({ context, socketAutopsy }: { context: BrowserContext; socketAutopsy: SocketAutopsyOptions }, use: (c: Capture | undefined) => Promise<void>, testInfo: Parameters<Capture['finish']>[0]) => {
        const opts = resolveOptions({ ...options, ...socketAutopsy });
        if (!opts.enabled) return use(undefined);
        const capture = await Capture.install(context, opts);
        await use(capture);
        await capture.finish(testInfo);
      },
      { auto: true },
    ],
  };
  return (test as unknown as TestType<T, W>).extend(fixtures as never) as unknown as TestType<T & SocketAutopsyFixtures, W>;
}

export const test = withSocketAutopsy(baseTest);

export const expect = baseExpect.extend({
  /**
   * Passes when no WebSocket of `page` (its main frame and its frames) ended abnormally: the
   * CLI's `--fail-on abnormal` group (a cut without a close frame, an idle cut, offline, a tab
   * suspended, a failed handshake). Sockets still open are fine.
   */
  async toHaveNoAbnormalSockets(page: Page) {
    const name = 'toHaveNoAbnormalSockets';
    const capture = captureOf(page);
    if (!capture) {
      return {
        name,
        pass: this.isNot,
        message: () => `${name}: Socket Autopsy does not capture this page: use \`test\` from 'socket-autopsy/playwright' or withSocketAutopsy()`,
      };
    }
    await capture.settle([page]);
    const abnormal = parseFailOn(['abnormal']);
    if (!abnormal.ok) throw new Error(abnormal.error);
    const a = capture.analyse(page);
    const found = matching(a, abnormal.value);
    return {
      name,
      pass: found.length === 0,
      message: () =>
        found.length === 0
          ? `${name}: expected abnormal WebSocket closures on this page, found none (${a.connections.length} connection${a.connections.length === 1 ? '' : 's'})`
          : abnormalMessage(found, a, capture.opts.lang, capture.opts.redact),
    };
  },
});
