// The hook must be invisible in Firefox too: the transparency probe (lab/public/probe/) runs in a
// Firefox without the add-on and in one with it, and every observation must match — names,
// messages, own symbols, descriptors, new.target, prepareStackTrace, the realms of frames[0] /
// window.open, and the stacks of errors that pass through the hook's wrappers, byte for byte.
// Those stacks hold no frame of ours because the wrappers' traps run in the relay's isolated world
// (src/content/hidden-traps.ts), whose frames SpiderMonkey leaves out of a stack the page reads;
// run from the page hook's own world they read "<fn>@<anonymous code>:L:C" (docs/firefox.md).
//
// One thing differs, and only in messages the engine words with the calling script's own
// expression, decompiled: a value with no text ("can't convert noPrimitive() to string") or a
// `next` that is not a function ("it is not a function"). Without the add-on the caller is the
// page's script; with it, the caller of the native is our trap, whose expression SpiderMonkey
// cannot name ("can't convert Object to string", "5 is not a function"). No frame can sit between
// the page and the native without this, so the test names those keys, checks that they differ in
// that way only, and that everything else, their stacks included, is identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import puppeteer from 'puppeteer-core';
import { startLab, type Lab } from '../lab/server.ts';
import { FIREFOX_EXTENSION_DIR, firefoxPath, labResults, launchFirefox } from './support.ts';

let lab: Lab;
test.beforeAll(async () => {
  lab = await startLab({ idleMs: 2500 });
});
test.afterAll(async () => {
  await lab?.close();
});

/** The private event name of the Firefox build, read from its hook. */
function channel(): string {
  const m = /sa-[0-9a-f]{12}/.exec(readFileSync(join(FIREFOX_EXTENSION_DIR, 'src/page-hook/hook.iife.js'), 'utf8'));
  if (!m) throw new Error('channel name not found in the built hook');
  return m[0];
}

const firefox = async (withAddon: boolean) =>
  withAddon ? (await launchFirefox()).browser : await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath(), headless: true });

async function probe(withAddon: boolean): Promise<{ report: Record<string, unknown>; hooked: boolean }> {
  const browser = await firefox(withAddon);
  try {
    const page = await browser.newPage();
    await page.goto(`${lab.url}/probe/transparency.html`);
    const report = await page.evaluate(() => (window as unknown as { __probe: Promise<Record<string, unknown>> }).__probe);
    // Proof that the hook ran (so equality is not vacuous): an installed hook cancels this event.
    const hooked = await page.evaluate((ch) => !window.dispatchEvent(new CustomEvent(`${ch}:i`, { cancelable: true })), channel());
    return { report, hooked };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/** Probe keys whose error message SpiderMonkey builds from the caller's decompiled expression (see the top). */
const DECOMPILED_KEYS = ['urlNoPrimitiveThrown', 'protocolNextNotCallable', 'sendNoPrimitiveThrown'];
const DECOMPILED = [/^(can't convert ).+( to string)$/, /^().+( is not a function)$/];

/** The entry with the decompiled expression in its message replaced by "…" (and nothing else changed). */
function withoutExpression(entry: unknown): unknown {
  const e = entry as { message?: unknown };
  if (typeof e?.message !== 'string') return entry;
  const re = DECOMPILED.find((r) => r.test(e.message as string));
  if (!re) throw new Error(`not a decompiled message: ${e.message}`);
  return { ...e, message: (e.message as string).replace(re, '$1…$2') };
}

test('page code cannot tell the hook is there (Firefox), stacks included', async () => {
  const without = await probe(false);
  const withAddon = await probe(true);
  expect(without.report.failed).toBeUndefined();
  expect(without.hooked).toBe(false);
  expect(withAddon.hooked).toBe(true);
  const differing = Object.keys(without.report).filter((k) => JSON.stringify(withAddon.report[k]) !== JSON.stringify(without.report[k]));
  // Nothing but those messages differs, and they differ only in the expression.
  expect(differing.filter((k) => !DECOMPILED_KEYS.includes(k))).toEqual([]);
  for (const key of DECOMPILED_KEYS) expect.soft(withoutExpression(withAddon.report[key]), key).toEqual(withoutExpression(without.report[key]));
  const rest = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !DECOMPILED_KEYS.includes(k)));
  for (const key of Object.keys(rest(without.report))) expect.soft(withAddon.report[key], key).toEqual(without.report[key]);
  expect(rest(withAddon.report)).toEqual(rest(without.report));
  expect(without.report.instanceOf).toBe(true);
});

/**
 * A socket the page makes goes through the constructor's trap, which runs in the isolated world
 * (an expanded principal): it must still be the page's socket, not the add-on's — the page's CSP
 * applies to it, and its handshake carries the page's Origin and cookies.
 */
async function asThePage(withAddon: boolean, tag: string): Promise<{ upgrade: unknown; csp: unknown }> {
  const browser = await firefox(withAddon);
  try {
    const page = await browser.newPage();
    await page.goto(`${lab.url}/`);
    await page.evaluate(
      (url) =>
        new Promise<void>((resolve, reject) => {
          document.cookie = 'sa_probe=page-cookie; path=/';
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve();
          };
          ws.onerror = () => reject(new Error('no open'));
        }),
      `${lab.wsBase}/ws/echo?who=${tag}`,
    );
    const upgrade = lab.upgrades.find((u) => u.path.endsWith(`who=${tag}`));
    await page.goto(`${lab.url}/csp.html`);
    const csp = (await labResults(page, ['csp-blocked']))['csp-blocked'];
    return { upgrade: upgrade && { origin: upgrade.origin, cookie: upgrade.cookie }, csp };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

test("a socket made through the isolated world's trap is still the page's: its CSP, Origin and cookies", async () => {
  const without = await asThePage(false, 'plain');
  const withAddon = await asThePage(true, 'addon');
  expect(without.upgrade).toEqual({ origin: lab.url, cookie: 'sa_probe=page-cookie' });
  expect(withAddon.upgrade).toEqual(without.upgrade);
  // The page's policy blocked it without the add-on, and does with it.
  expect(without.csp).toMatchObject({ failed: 'NS_ERROR_CONTENT_BLOCKED', opened: false, violation: { directive: 'connect-src' } });
  expect(withAddon.csp).toEqual(without.csp);
});
