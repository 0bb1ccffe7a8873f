// The panel remembers its layout and habits: column visibility and width, the list/detail
// split, the timeline's height, the language, preserve log and the filter, restored when
// DevTools is closed and opened again on the same page (the same browser profile: the prefs are
// in the extension's storage.local). And the filter language on real rows, with the summary's
// chips in sync with the text.
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

const typeInto = (panel: PanelPage, sel: string, value: string) =>
  panel.eval(`(() => { const s = document.querySelector('${sel}'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('input', { bubbles: true })); })()`);

/** Focuses an element, then presses a key `times` times as the keyboard would (CDP input). */
async function press(panel: PanelPage, sel: string, key: string, code: number, times = 1): Promise<void> {
  await panel.eval(`document.querySelector(${JSON.stringify(sel)}).focus()`);
  for (let i = 0; i < times; i++) {
    await panel.session.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code: key, windowsVirtualKeyCode: code });
    await panel.session.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: key, windowsVirtualKeyCode: code });
  }
}

const attr = (panel: PanelPage, sel: string, name: string) => panel.eval<string | null>(`document.querySelector(${JSON.stringify(sel)})?.getAttribute(${JSON.stringify(name)}) ?? null`);
const style = (panel: PanelPage, sel: string, prop: string) =>
  panel.eval<string | null>(`(() => { const el = document.querySelector(${JSON.stringify(sel)}); return el ? getComputedStyle(el)[${JSON.stringify(prop)}] : null; })()`);

test('layout, language, preserve log and filter survive closing DevTools and opening it again', async ({ lab, browserWithDevtools }) => {
  // Room for reopening DevTools up to 4 times (below).
  test.setTimeout(210_000);
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const open = (path: string) => page.evaluate((u) => new Promise((r) => { const w = new WebSocket(u); w.onclose = r; }), `${lab.wsBase}${path}`);
  await open('/ws/destroy?after=20');
  await open('/ws/close?code=1011&reason=boom&after=20');
  await open('/ws/close?code=1000&after=20');

  let devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  let panel = await devtools.panel();
  await panel.waitForRows('three closed sockets', (rs) => rs.length === 3 && rs.every((r) => r.code));
  expect(await panel.eval(`document.documentElement.dataset.prefs`)).toBe('extension');

  // Column picker: right-click the header, untick Reason.
  await panel.eval(`document.querySelector('[data-testid="connection-head"]').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, clientX: 200, clientY: 40 }))`);
  await until('the column menu', async () => (await panel.count('[data-testid="column-menu"]')) === 1 || undefined);
  expect(await attr(panel, '[data-testid="column-toggle"][data-col="reason"]', 'aria-checked')).toBe('true');
  await panel.click('[data-testid="column-toggle"][data-col="reason"]');
  await until('Reason hidden', async () => (await style(panel, '.row.head .c-reason', 'display')) === 'none' || undefined);
  await press(panel, '[data-testid="column-toggle"][data-col="reason"]', 'Escape', 27);
  // The Code column made wider from the keyboard (its resize handle, ArrowRight ×3).
  const CODE_HANDLE = '.row.head .c-code [data-testid="col-resize"]';
  const before = Number(await attr(panel, CODE_HANDLE, 'aria-valuenow'));
  await press(panel, CODE_HANDLE, 'ArrowRight', 39, 3);
  const width = await until('the Code column wider', async () => {
    const w = Number(await attr(panel, CODE_HANDLE, 'aria-valuenow'));
    return w > before ? w : undefined;
  });
  expect(await style(panel, '.row.head .c-code', 'flexBasis')).toBe(`${width}px`);
  // The timeline taller (ArrowDown ×4 on its handle).
  await press(panel, '[data-testid="timeline-resize"]', 'ArrowDown', 40, 4);
  const tl = Number(await attr(panel, '[data-testid="timeline-resize"]', 'aria-valuenow'));
  expect(tl).toBe(220);
  expect(await style(panel, '.timeline-plot', 'maxHeight')).toBe('220px');
  // The split: open a row's details, move the handle left (ArrowLeft ×5: 45% → 35%).
  const rows = await panel.rows();
  await panel.select(rows[0]!.id);
  await until('the detail', async () => (await panel.count('[data-testid="detail"]')) === 1 || undefined);
  await press(panel, '[data-testid="split-resize"]', 'ArrowLeft', 37, 5);
  expect(await attr(panel, '[data-testid="split-resize"]', 'aria-valuenow')).toBe('35');
  // Language, preserve log, filter.
  await panel.eval(`(() => { const s = document.querySelector('[data-testid="language"]'); s.value = 'ja'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
  await until('Japanese', async () => (await panel.text('[data-testid="conn-count"]'))?.includes('接続') || undefined);
  await panel.click('[data-testid="preserve-log"]');
  await typeInto(panel, '[data-testid="filter"]', '-code:1000');
  await panel.waitForRows('the 1000 filtered out', (rs) => rs.length === 2 && rs.every((r) => r.code !== '1000'));
  // Written to the extension's storage.local (not the page's localStorage).
  const stored = await until('the prefs stored', async () => {
    const p = await panel.eval<{ filter?: string; preserveLog?: boolean } | null>(`chrome.storage.local.get('socket-autopsy:prefs').then((r) => r['socket-autopsy:prefs'] ?? null)`);
    return p?.filter === '-code:1000' && p.preserveLog ? p : undefined;
  });
  expect(stored).toMatchObject({ lang: 'ja', hidden: ['reason'], split: 35, timelineHeight: 220, widths: { code: width } });

  // Close this DevTools window, then open a new one on the same page.
  const devtoolsTargets = async () =>
    (await DevTools.targets(devtools.browser)).filter((t) => t.url.startsWith('devtools://') || t.url.includes('/src/devtools/') || t.url.includes('/src/panel/'));
  const closeAll = async () => {
    for (const t of (await devtoolsTargets()).filter((x) => x.type === 'page' && x.url.startsWith('devtools://'))) await devtools.browser.send('Target.closeTarget', { targetId: t.targetId }).catch(() => undefined);
    // Gone with its extension pages (the devtools_page and our panel) too.
    await until('DevTools closed', async () => (await devtoolsTargets()).length === 0 || undefined);
  };
  await closeAll();
  // Touching DevTools' singletons before its UI is built breaks them for good ("Unable to create
  // settings"): wait for its panels' tab headers, which the DOM shows without creating anything.
  // A window opened through CDP while the old one's targets were still closing never built its
  // UI in 3 of 7 runs here (stuck without its settings); closeAll now waits for them, and a
  // window that still does not build is closed and, after the browser has had a moment to
  // settle, opened again (once in three CI runs all three quick retries failed): at most 4 times.
  // What is under test is our panel's restore, not how fast DevTools starts.
  const ATTEMPTS = 4;
  for (let attempt = 1; ; attempt++) {
    // forPage waits (up to 30 s) for the new window to build its UI.
    const fresh = await DevTools.forPage(context, page, { open: true }).catch(() => undefined);
    if (fresh) {
      devtools = fresh;
      break;
    }
    if (attempt === ATTEMPTS) throw new Error(`a new DevTools window never built its UI in ${ATTEMPTS} attempts`);
    await closeAll();
    await new Promise((r) => setTimeout(r, 2_000));
  }
  await devtools.showPanel();
  await devtools.dock('undocked');
  panel = await devtools.panel();

  // Everything restored, read from the DOM.
  expect(await panel.eval(`document.querySelector('[data-testid="language"]').value`)).toBe('ja');
  await until('Japanese again', async () => (await panel.text('[data-testid="conn-count"]'))?.includes('接続') || undefined);
  expect(await panel.eval(`document.querySelector('[data-testid="preserve-log"]').checked`)).toBe(true);
  expect(await panel.eval(`document.querySelector('[data-testid="filter"]').value`)).toBe('-code:1000');
  await panel.waitForRows('the filter applied again', (rs) => rs.length === 2 && rs.every((r) => r.code !== '1000'));
  expect(await style(panel, '.row.head .c-reason', 'display')).toBe('none');
  expect(await style(panel, '.row.head .c-code', 'flexBasis')).toBe(`${width}px`);
  expect(await attr(panel, CODE_HANDLE, 'aria-valuenow')).toBe(String(width));
  expect(await style(panel, '.timeline-plot', 'maxHeight')).toBe('220px');
  await panel.select((await panel.rows())[0]!.id);
  await until('the detail', async () => (await panel.count('[data-testid="detail"]')) === 1 || undefined);
  expect(await attr(panel, '[data-testid="split-resize"]', 'aria-valuenow')).toBe('35');
  const share = await panel.eval<number>(`document.querySelector('[data-testid="connection-table"]').getBoundingClientRect().width / document.querySelector('.main').getBoundingClientRect().width`);
  expect(share).toBeGreaterThan(0.33);
  expect(share).toBeLessThan(0.37);
  await panel.eval(`document.querySelector('[data-testid="connection-head"]').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, clientX: 200, clientY: 40 }))`);
  await until('the column menu', async () => (await panel.count('[data-testid="column-menu"]')) === 1 || undefined);
  expect(await attr(panel, '[data-testid="column-toggle"][data-col="reason"]', 'aria-checked')).toBe('false');
  // Preserve log reached the hub with the new panel's subscription: after a reload, the old
  // page's rows stay beside the new page's socket (without it, only the new one would show).
  await page.reload();
  await open('/ws/close?code=4001&reason=after-reload&after=20');
  const after = await panel.waitForRows('the new page\'s socket', (rs) => rs.some((r) => r.code === '4001'));
  expect(after.map((r) => r.code).sort()).toEqual(['1006', '1011', '4001']);
});

test('the filter language on real rows, and the summary chips in sync with the text', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const open = (url: string) => page.evaluate((u) => new Promise((r) => { const w = new WebSocket(u); w.onclose = r; }), url);
  await open(`${lab.wsBase}/ws/destroy?after=20&room=chat1`);
  await open(`${lab.wsBase}/ws/close?code=1011&reason=db%20down&after=20&room=chat42`);
  await open(`${lab.wsBase}/ws/close?code=1000&reason=bye&after=20&room=lobby`);
  // A host that does not resolve (RFC 2606 reserves .invalid): a handshake that fails, on another host.
  await open('ws://nowhere.invalid/ws');

  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  await panel.waitForRows('four closed sockets', (rs) => rs.length === 4 && rs.every((r) => r.code));
  const shown = async (text: string, what: string, pred: (urls: string[]) => boolean) => {
    await typeInto(panel, '[data-testid="filter"]', text);
    return panel.waitForRows(`${text}: ${what}`, (rs) => pred(rs.map((r) => r.url)));
  };
  const only = (...parts: string[]) => (urls: string[]) => urls.length === parts.length && parts.every((p) => urls.some((u) => u.includes(p)));

  await shown('code:1006', 'the 1006 rows', (urls) => urls.length === 2 && urls.every((u) => u.includes('destroy') || u.includes('nowhere')));
  await shown('code:1006 -host:nowhere.invalid', 'the cut only', only('room=chat1'));
  await shown('host:*.invalid', 'the unresolved host', only('nowhere.invalid'));
  await shown('/chat\\d+/', 'both chat rooms', only('room=chat1', 'room=chat42'));
  await shown('-/chat\\d+/', 'the others', only('room=lobby', 'nowhere.invalid'));
  await shown('-code:1006 "db down"', 'the 1011 with its reason', only('room=chat42'));
  // An invalid regex is shown as invalid and ignored; the other terms still apply.
  await shown('/chat(/ lobby', 'lobby', only('room=lobby'));
  expect(await attr(panel, '[data-testid="filter"]', 'aria-invalid')).toBe('true');
  expect(await panel.text('[data-testid="filter-invalid"]')).toContain('chat(');
  await shown('', 'all', (urls) => urls.length === 4);
  expect(await panel.count('[data-testid="filter-invalid"]')).toBe(0);

  // Chip → text: the chip writes its outcome: term and is pressed.
  await panel.click('[data-testid="summary-item"][data-category="server-error"]');
  await until('the term written', async () => (await panel.eval<string>(`document.querySelector('[data-testid="filter"]').value`)) === 'outcome:server-error' || undefined);
  await panel.waitForRows('only the 1011', (rs) => only('room=chat42')(rs.map((r) => r.url)));
  expect(await attr(panel, '[data-testid="summary-item"][data-category="server-error"]', 'aria-pressed')).toBe('true');
  expect(await attr(panel, '[data-testid="summary-all"]', 'aria-pressed')).toBe('false');
  // Text → chip: another outcome typed presses its chip instead; words typed beside it stay.
  await typeInto(panel, '[data-testid="filter"]', 'room outcome:closed-by-server');
  await until('the clean chip pressed', async () => (await attr(panel, '[data-testid="summary-item"][data-category="closed-by-server"]', 'aria-pressed')) === 'true' || undefined);
  expect(await attr(panel, '[data-testid="summary-item"][data-category="server-error"]', 'aria-pressed')).toBe('false');
  await panel.waitForRows('only the 1000', (rs) => only('room=lobby')(rs.map((r) => r.url)));
  // A chip replaces the outcome term and keeps the word; "All" removes it.
  await panel.click('[data-testid="summary-item"][data-category="server-error"]');
  await until('replaced', async () => (await panel.eval<string>(`document.querySelector('[data-testid="filter"]').value`)) === 'room outcome:server-error' || undefined);
  await panel.click('[data-testid="summary-all"]');
  await until('removed', async () => (await panel.eval<string>(`document.querySelector('[data-testid="filter"]').value`)) === 'room' || undefined);
  expect(await attr(panel, '[data-testid="summary-all"]', 'aria-pressed')).toBe('true');
  await panel.waitForRows('the three lab rows', (rs) => rs.length === 3);
});
