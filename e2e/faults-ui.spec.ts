// Fault injection from the panel, in real Chromium with the real DevTools panel: the Inject
// menu on a live lab socket (button, row context menu, keyboard), the first-time confirmation,
// every dialog with its inline validation, a valid "Drop the link" leaving the panel, and
// screenshots of the menu and a dialog in both themes.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { artifactPath } from './support/browser.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

/** Opens an echo socket in the page and keeps it in window.__ws, with what the page saw. */
async function openEcho(page: Page, wsBase: string): Promise<void> {
  await page.evaluate((url) => new Promise<void>((opened) => {
    const w = window as unknown as { __ws: WebSocket; __seen: string[] };
    w.__seen = [];
    const ws = (w.__ws = new WebSocket(url));
    ws.addEventListener('open', () => opened());
    ws.addEventListener('error', () => w.__seen.push('error'));
    ws.addEventListener('close', (e) => w.__seen.push(`close ${e.code} ${e.wasClean}`));
    ws.addEventListener('message', () => w.__seen.push('message'));
  }), `${wsBase}/ws/echo`);
}

async function livePanel(lab: { url: string; wsBase: string }, context: import('playwright-core').BrowserContext) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  await openEcho(page, lab.wsBase);
  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const [row] = await panel.waitForRows('the echo socket', (rs) => rs.some((r) => r.url.endsWith('/ws/echo')));
  await panel.select(row!.id);
  await until('the detail', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="inject-menu"]')`));
  return { page, devtools, panel, connId: row!.id };
}

/** Types into a field the way a user does: the value, then an input event. */
const type = (panel: PanelPage, testid: string, value: string) =>
  panel.eval(`(() => { const el = document.querySelector('[data-testid="${testid}"]'); el.value = ${JSON.stringify(value)}; el.dispatchEvent(new Event('input', { bubbles: true })); })()`);
const key = (panel: PanelPage, k: string, opts: { shiftKey?: boolean } = {}) =>
  panel.eval(`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: ${JSON.stringify(k)}, shiftKey: ${!!opts.shiftKey}, bubbles: true, cancelable: true }))`);
const focused = (panel: PanelPage) => panel.eval<string | null>(`document.activeElement?.dataset?.testid ?? null`);
const errorText = (panel: PanelPage, field: string) =>
  until(`a problem under ${field}`, () => panel.eval<string | undefined>(`document.querySelector('[data-testid="fault-error"][data-field="${field}"]')?.textContent || undefined`));
const noError = (panel: PanelPage) => panel.eval<number>(`document.querySelectorAll('[data-testid="fault-error"]').length`);
const applyDisabled = (panel: PanelPage) => panel.eval<boolean>(`document.querySelector('[data-testid="fault-apply"]').disabled`);

/** A screenshot once the window has painted what the panel's DOM already holds. */
async function settled(devtools: DevTools): Promise<Buffer> {
  await new Promise((r) => setTimeout(r, 400));
  return devtools.screenshot();
}

async function openDialog(panel: PanelPage, action: string): Promise<void> {
  await panel.click('[data-testid="inject-menu"]');
  await until('the menu', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="inject-menu-list"]')`));
  await panel.click(`[data-testid="inject-${action}"]`);
  await until(`the ${action} dialog`, () => panel.eval<boolean>(`!!document.querySelector('[data-testid="fault-dialog"]')`));
}
async function closeDialog(panel: PanelPage): Promise<void> {
  await key(panel, 'Escape');
  await until('the dialog to close', () => panel.eval<boolean>(`!document.querySelector('[data-testid="fault-dialog"]')`));
}

test('the Inject menu: confirmation, every dialog with inline validation, keyboard, and a drop that leaves the panel', async ({ lab, browserWithDevtools }) => {
  const { devtools, panel } = await livePanel(lab, browserWithDevtools.context);

  // The button names the feature and opens a menu; the keyboard moves through it and Escape gives focus back.
  expect(await panel.eval<string>(`document.querySelector('[data-testid="inject-menu"]').getAttribute('aria-haspopup')`)).toBe('menu');
  await panel.click('[data-testid="inject-menu"]');
  await until('the first item focused', async () => ((await focused(panel)) === 'inject-drop' ? true : undefined));
  const items = await panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="inject-menu-list"] [role="menuitem"]')].map(b => b.textContent)`);
  expect(items).toEqual(['Drop the link', 'Server closes…', 'Go silent…', 'Delay inbound…', 'Drop next N inbound…', 'Block sends matching…', 'Fail next connection attempts…', 'Send a message…', 'Clear faults']);
  await key(panel, 'ArrowDown');
  expect(await focused(panel)).toBe('inject-close');
  await key(panel, 'ArrowUp');
  await key(panel, 'ArrowUp');
  expect(await focused(panel)).toBe('inject-clear');
  writeFileSync(artifactPath('faults-menu-light.png'), await settled(devtools));
  await key(panel, 'Escape');
  expect(await panel.count('[data-testid="inject-menu-list"]')).toBe(0);
  expect(await focused(panel)).toBe('inject-menu');

  // First action: the confirmation says what this does, and Escape cancels it (nothing sent).
  await panel.click('[data-testid="inject-menu"]');
  await panel.click('[data-testid="inject-close"]');
  await until('the confirmation', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="fault-confirm"][role="dialog"][aria-modal="true"]')`));
  const confirmText = (await panel.text('[data-testid="fault-confirm"]')) ?? '';
  expect(confirmText).toMatch(/really affect/);
  expect(confirmText).toMatch(/undone when this panel closes or the tab navigates/);
  await key(panel, 'Escape');
  expect(await panel.count('[data-testid="fault-confirm"]')).toBe(0);
  expect(await panel.count('[data-testid="fault-dialog"]')).toBe(0);
  // Confirmed this time: the dialog it guarded opens, and the confirmation is not asked again.
  await panel.click('[data-testid="inject-menu"]');
  await panel.click('[data-testid="inject-close"]');
  await until('the confirmation', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="fault-confirm"]')`));
  await panel.click('[data-testid="fault-confirm-ok"]');
  await until('the close dialog', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="fault-dialog"]')`));

  // Server closes…: labelled modal, presets, code and reason checked as typed.
  const labelled = await panel.eval<string>(`(() => { const d = document.querySelector('[data-testid="fault-dialog"]'); return d.getAttribute('aria-modal') + ' ' + document.getElementById(d.getAttribute('aria-labelledby')).textContent; })()`);
  expect(labelled).toBe('true Server closes the connection');
  expect(await panel.count('[data-testid^="code-preset-"]')).toBe(6);
  await type(panel, 'fault-code', '1006');
  expect(await errorText(panel, 'code')).toMatch(/1006 is not a code a server can send/);
  expect(await applyDisabled(panel)).toBe(true);
  await type(panel, 'fault-code', '2000');
  expect(await errorText(panel, 'code')).toMatch(/2000 is not a code/);
  await panel.click('[data-testid="code-preset-1013"]');
  expect(await noError(panel)).toBe(0);
  await type(panel, 'fault-reason', 'r'.repeat(200));
  expect(await errorText(panel, 'reason')).toMatch(/at most 123 bytes of UTF-8 \(this one is 200\)/);
  expect(await panel.text('[data-testid="fault-reason-bytes"]')).toBe('200 / 123 bytes');
  await type(panel, 'fault-reason', 'try later');
  expect(await noError(panel)).toBe(0);
  expect(await applyDisabled(panel)).toBe(false);
  // Focus stays inside: Tab from the last control wraps to the first.
  await panel.eval(`document.querySelector('[data-testid="fault-apply"]').focus()`);
  await key(panel, 'Tab');
  expect(await focused(panel)).toBe('fault-code');
  writeFileSync(artifactPath('faults-dialog-light.png'), await settled(devtools));
  await closeDialog(panel);
  expect(await focused(panel)).toBe('inject-menu');

  // Go silent…, Delay inbound…, Drop next N…
  await openDialog(panel, 'silence');
  await type(panel, 'fault-seconds', '0');
  expect(await errorText(panel, 'seconds')).toMatch(/between 0.001 and 600 seconds/);
  await type(panel, 'fault-seconds', '3');
  expect(await noError(panel)).toBe(0);
  expect(await panel.count('[data-testid="fault-mode-hold"], [data-testid="fault-mode-drop"]')).toBe(2);
  await closeDialog(panel);
  await openDialog(panel, 'delay');
  await type(panel, 'fault-ms', 'soon');
  expect(await errorText(panel, 'ms')).toMatch(/between 0 and 600000/);
  await closeDialog(panel);
  await openDialog(panel, 'drop-next');
  await type(panel, 'fault-n', '0');
  expect(await errorText(panel, 'n')).toMatch(/between 1 and/);
  await closeDialog(panel);

  // Block sends matching…: a catastrophic regex is refused, the same text as plain text is fine.
  await openDialog(panel, 'block');
  await type(panel, 'fault-pattern', '(a+)+');
  expect(await noError(panel)).toBe(0);
  await panel.click('[data-testid="fault-regex"]');
  expect(await errorText(panel, 'pattern')).toMatch(/exponential time/);
  await type(panel, 'fault-pattern', '(a');
  expect(await errorText(panel, 'pattern')).toMatch(/not a valid regular expression/);
  await closeDialog(panel);

  // Fail next connection attempts…: prefilled with this socket's URL; after open needs a valid code.
  await openDialog(panel, 'fail-next');
  expect(await panel.eval<string>(`document.querySelector('[data-testid="fault-url"]').value`)).toBe(`${lab.wsBase}/ws/echo`);
  await panel.click('[data-testid="fault-as-after-open"]');
  await type(panel, 'fault-code', '1005');
  expect(await errorText(panel, 'code')).toMatch(/1005 is not a code/);
  await type(panel, 'fault-code', '1012');
  await type(panel, 'fault-url', 'http://nope');
  expect(await errorText(panel, 'url')).toMatch(/ws:\/\/ or wss:\/\//);
  await closeDialog(panel);

  // Send a message…: size shown, hex checked, 2 MiB refused with the message.
  await openDialog(panel, 'send');
  await type(panel, 'fault-data', 'hello');
  expect(await panel.text('[data-testid="fault-data-size"]')).toMatch(/5 B/);
  await panel.click('[data-testid="fault-format-hex"]');
  await type(panel, 'fault-data', '0a0');
  expect(await errorText(panel, 'data')).toMatch(/hex digits, in pairs/);
  await panel.click('[data-testid="fault-format-text"]');
  await panel.eval(`(() => { const el = document.querySelector('[data-testid="fault-data"]'); el.value = 'x'.repeat(2 * 1024 * 1024); el.dispatchEvent(new Event('input', { bubbles: true })); })()`);
  expect(await errorText(panel, 'data')).toMatch(/at most 1 MiB \(this one is 2\.0 MiB\)/);
  expect(await applyDisabled(panel)).toBe(true);
  await closeDialog(panel);

  // The row's context menu (right click) and Shift+F10 on the list offer the same Inject
  // actions, after the row's copy/export entries (e2e/context-menu.spec.ts).
  await panel.eval(`document.querySelector('[data-testid="connection-row"]').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 80, clientY: 120 }))`);
  await until('the context menu', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="row-menu"] [data-testid="inject-drop"]')`));
  expect(await focused(panel)).toBe('row-copy-url');
  await key(panel, 'Escape');
  await panel.eval(`document.querySelector('[data-testid="connection-table"]').focus()`);
  await key(panel, 'F10', { shiftKey: true });
  await until('the menu from Shift+F10', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="row-menu"] [data-testid="inject-drop"]')`));
  await key(panel, 'Escape');
  expect(await focused(panel)).toBe('connection-table');

  // Dark theme: the menu and a dialog.
  await devtools.front.evaluate(`(async () => { const C = await import('./core/common/common.js'); C.Settings.Settings.instance().moduleSetting('ui-theme').set('dark'); })()`);
  await until('the dark theme', () => panel.eval<boolean>(`document.documentElement.dataset.theme === 'dark'`));
  await panel.click('[data-testid="inject-menu"]');
  writeFileSync(artifactPath('faults-menu-dark.png'), await settled(devtools));
  await panel.click('[data-testid="inject-send"]');
  await until('the send dialog', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="fault-dialog"]')`));
  await type(panel, 'fault-data', 'zz');
  await panel.click('[data-testid="fault-format-hex"]');
  await errorText(panel, 'data');
  writeFileSync(artifactPath('faults-dialog-dark.png'), await settled(devtools));
  await closeDialog(panel);

  // A valid "Drop the link" leaves the panel: it is shown as sent and waiting, and then either
  // answered by the page or, within a few seconds, said to have had no answer (never silent).
  await panel.click('[data-testid="inject-menu"]');
  await panel.click('[data-testid="inject-drop"]');
  await until('the drop shown as sent', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="injected-section"] [data-op="drop"]')`));
  const fate = await until('an answer or a notice that none came', () =>
    panel.eval<string | undefined>(`(() => {
      if (document.querySelector('[data-testid="injected-item"][data-op="drop"]')) return 'answered';
      if (document.querySelector('[data-testid="fault-timeout"][data-op="drop"]')) return 'timeout';
      return undefined;
    })()`), 10_000);
  expect(['answered', 'timeout']).toContain(fate);
});

// Needs the hub to forward panel-fault to the page and the page hook to apply it, with the
// session folding the hook's inject answer into Connection.faults / inj / CloseInfo.injected.
test('Drop the link, end to end: the page sees a cut, the panel marks it as injected', async ({ lab, browserWithDevtools }) => {
  const { page, panel, connId } = await livePanel(lab, browserWithDevtools.context);
  await panel.click('[data-testid="inject-menu"]');
  await panel.click('[data-testid="inject-drop"]');
  await panel.click('[data-testid="fault-confirm-ok"]');
  const seen = await until('the page to see the cut', async () => {
    const s = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    return s.some((x) => x.startsWith('close')) ? s : undefined;
  }, 5_000);
  // What a real cut of an open socket shows (no error event first: e2e/faults.spec.ts compares with a real destroy).
  expect(seen.filter((x) => x !== 'message')).toEqual(['close 1006 false']);
  expect(await page.evaluate(() => (window as unknown as { __ws: WebSocket }).__ws.readyState)).toBe(3);
  await until('the answer in the Injected list', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="injected-item"][data-op="drop"][data-state="ok"]')`));
  expect(await panel.count('[data-testid="fault-timeout"]')).toBe(0);
  // The timeline is re-derived on its own schedule (derive.ts throttles under load): wait for it.
  const markers = await until('the drop marker on the timeline', async () => {
    const n = await panel.count(`[data-testid="timeline-bar"][data-conn-id="${connId}"] [data-testid="timeline-fault"][data-op="drop"]`);
    return n > 0 ? n : undefined;
  });
  expect(markers).toBe(1);
  // A message sent as if from the server is tagged injected in the message list.
});
