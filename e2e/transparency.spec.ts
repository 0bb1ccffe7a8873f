// The hook must be invisible: the same probe script runs in a browser without the extension
// and in one with it, and every observation must match.
import { expect, test } from './support/fixtures.ts';
import { launchWithExtension } from './support/browser.ts';
import { buildChannel } from './support/channel.ts';

/**
 * Proof that the hook ran (so equality is not vacuous), asked the way hooks ask each other: a
 * cancelable event of the private channel, which an installed hook cancels (frames.ts).
 */
const isHooked = (page: import('playwright-core').Page) =>
  page.evaluate((ch) => !window.dispatchEvent(new CustomEvent(`${ch}:i`, { cancelable: true })), buildChannel());

async function runProbe(url: string, extension: boolean): Promise<{ report: Record<string, unknown>; hooked: boolean }> {
  const b = await launchWithExtension({ extension });
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    await page.goto(url);
    const raw = await page.evaluate(() => (window as unknown as { __probe: Promise<Record<string, unknown>> }).__probe);
    // V8's async stack traces may append the frame of Playwright's own evaluate wrapper ("at async
    // <anonymous>:N:M") to a stack captured while the probe still ran, depending on timing: a frame
    // of the test harness, in either browser, not of the page or the hook.
    const report = JSON.parse(JSON.stringify(raw).replace(/\\n {4}at async <anonymous>:\d+:\d+/g, '')) as Record<string, unknown>;
    const hooked = await isHooked(page);
    return { report, hooked };
  } finally {
    await b.close();
  }
}

test('page code cannot tell the hook is there', async ({ lab }) => {
  const url = `${lab.url}/probe/transparency.html`;
  const without = await runProbe(url, false);
  const withExt = await runProbe(url, true);
  expect(without.report.failed).toBeUndefined();
  expect(without.hooked).toBe(false);
  expect(withExt.hooked).toBe(true);
  // Field by field first, for a readable failure, then the whole report.
  for (const key of Object.keys(without.report)) {
    expect.soft(withExt.report[key], key).toEqual(without.report[key]);
  }
  expect(withExt.report).toEqual(without.report);
  // Sanity of the probe itself: it did observe the things it claims to compare.
  expect(without.report.instanceOf).toBe(true);
  expect(without.report.closeBadCode1005).toMatch(/^InvalidAccessError/);
  expect(without.report.closeLongReason).toMatch(/^SyntaxError/);
  expect(without.report.windowMessages).toBe(0);
});

/**
 * What a page can observe of `securitypolicyviolation`, forged and real, on a page whose CSP
 * blocks a WebSocket: the hook listens for these events (hook.iife.ts onViolation) and must
 * change nothing the page sees, nor throw into it on a forged event whose getters throw.
 */
async function cspProbe(labUrl: string, extension: boolean): Promise<{ report: unknown; hooked: boolean }> {
  const b = await launchWithExtension({ extension });
  try {
    const url = `${labUrl}/transparency-csp.html`;
    await b.context.route(url, (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/html', 'content-security-policy': "connect-src 'self'" }, body: '<!doctype html><title>csp</title>' }),
    );
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    await page.goto(url);
    const report = await page.evaluate(async () => {
      const log: unknown[] = [];
      window.addEventListener('error', (e) => log.push(['uncaught', String(e.message)]));
      const describe = (where: string, e: Event) => {
        const s = e as SecurityPolicyViolationEvent;
        let fields: unknown;
        try {
          fields = 'blockedURI' in e ? [s.blockedURI, s.effectiveDirective, s.violatedDirective, s.originalPolicy, s.disposition] : null;
        } catch (err) {
          fields = String(err); // the forged event's own getters throw at the page, as it asked
        }
        log.push([where, e.constructor.name, e.isTrusted, e.eventPhase, e.defaultPrevented, e.cancelBubble, fields]);
      };
      window.addEventListener('securitypolicyviolation', (e) => describe('win-capture', e), true);
      document.addEventListener('securitypolicyviolation', (e) => describe('doc-capture', e), true);
      document.addEventListener('securitypolicyviolation', (e) => describe('doc-bubble', e));
      window.addEventListener('securitypolicyviolation', (e) => describe('win-bubble', e));
      const throwing = new Event('securitypolicyviolation', { bubbles: true, cancelable: true });
      for (const k of ['blockedURI', 'effectiveDirective', 'originalPolicy', 'disposition', 'isTrusted']) {
        try {
          Object.defineProperty(throwing, k, { get() { throw new Error(`getter ${k}`); } });
          log.push(['defined', k]);
        } catch (err) {
          log.push(['define-threw', k, (err as Error).name]);
        }
      }
      const forged = [
        new Event('securitypolicyviolation', { bubbles: true, cancelable: true }),
        new SecurityPolicyViolationEvent('securitypolicyviolation', { blockedURI: 'ws://forged.invalid/', effectiveDirective: 'connect-src', violatedDirective: 'connect-src', originalPolicy: "connect-src 'none'", disposition: 'enforce', statusCode: 0, bubbles: true, composed: true }),
      ];
      for (const e of [...forged]) {
        try {
          log.push(['dispatch', document.dispatchEvent(e)]);
        } catch (err) {
          log.push(['dispatch-threw', String(err)]);
        }
      }
      try {
        log.push(['dispatch', document.dispatchEvent(throwing)]);
      } catch (err) {
        log.push(['dispatch-threw', String(err)]);
      }
      const ws = new WebSocket('ws://127.0.0.1:1/blocked?by=csp');
      log.push(['created', ws.readyState]);
      ws.addEventListener('error', () => log.push(['error', ws.readyState]));
      ws.addEventListener('close', (e) => log.push(['close', e.code]));
      await new Promise((r) => setTimeout(r, 500));
      log.push(['after', ws.readyState]);
      return log;
    });
    const hooked = await isHooked(page);
    return { report, hooked };
  } finally {
    await b.close();
  }
}

test('securitypolicyviolation, forged or real, looks the same to the page with the hook', async ({ lab }) => {
  const without = await cspProbe(lab.url, false);
  const withExt = await cspProbe(lab.url, true);
  expect(without.hooked).toBe(false);
  expect(withExt.hooked).toBe(true);
  expect(withExt.report).toEqual(without.report);
  // Sanity: the probe saw a real violation and the blocked socket's documented behaviour.
  const log = without.report as unknown[][];
  expect(log).toContainEqual(['doc-capture', 'SecurityPolicyViolationEvent', true, 2, false, false, ['ws://127.0.0.1:1/blocked?by=csp', 'connect-src', 'connect-src', "connect-src 'self'", 'enforce']]);
  expect(log).toContainEqual(['created', 3]);
  expect(log).toContainEqual(['doc-capture', 'Event', false, 2, false, false, 'Error: getter blockedURI']);
  expect(log.some((e) => e[0] === 'close' || e[0] === 'uncaught' || e[0] === 'dispatch-threw')).toBe(false);
});
