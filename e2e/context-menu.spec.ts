// The connection row's context menu (mouse and keyboard), what its copies hold, the copied
// command line run for real against the lab, the message menu, and multi-select + export.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TOKEN = 'zq8X2mP4vR7tK1nB5cW9yL3hJ6fD0sAa';

const key = (panel: PanelPage, k: string, opts: { shiftKey?: boolean } = {}) =>
  panel.eval(`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: ${JSON.stringify(k)}, shiftKey: ${!!opts.shiftKey}, bubbles: true, cancelable: true }))`);
const focused = (panel: PanelPage) => panel.eval<string | null>(`document.activeElement?.dataset?.testid ?? null`);
const rowSel = (id: string) => `[data-testid="connection-row"][data-conn-id="${id}"]`;
const clickRow = (panel: PanelPage, id: string, mods: { shiftKey?: boolean; ctrlKey?: boolean } = {}) =>
  panel.eval(`document.querySelector(${JSON.stringify(rowSel(id))}).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, shiftKey: ${!!mods.shiftKey}, ctrlKey: ${!!mods.ctrlKey} }))`);
const rightClick = (panel: PanelPage, selector: string) =>
  panel.eval(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); const r = el.getBoundingClientRect(); el.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 30, clientY: r.top + 5 })); })()`);

/** Records what the panel hands the clipboard (the async Clipboard API, which copyText calls first). */
async function recordCopies(panel: PanelPage): Promise<() => Promise<string>> {
  await panel.eval(`(() => {
    window.__copies = [];
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (t) => { window.__copies.push(t); return write(t); };
  })()`);
  let seen = 0;
  return async () => {
    const text = await until('a copy', () => panel.eval<string | undefined>(`window.__copies[${seen}]`));
    seen++;
    return text;
  };
}

function downloads(devtools: DevTools) {
  const dir = mkdtempSync(join(tmpdir(), 'sa-downloads-'));
  void devtools.browser.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
  return {
    dir,
    /**
     * The next download: a file not among `before` (each named with its modification time, as
     * `next` returns it). Two exports within one second get the same name (it holds the time to
     * the second), and a download to this folder replaces the file of that name.
     */
    next: (ext: string, before: string[] = []) =>
      until(`a ${ext} download`, async () => {
        const key = readdirSync(dir)
          .filter((n) => n.endsWith(ext))
          .map((n) => `${n}@${statSync(join(dir, n)).mtimeMs}`)
          .find((k) => !before.includes(k));
        if (!key) return undefined;
        const f = key.slice(0, key.lastIndexOf('@'));
        const buf = readFileSync(join(dir, f));
        if (ext === '.har') {
          try {
            return { name: key, buf, json: JSON.parse(buf.toString('utf8')) };
          } catch {
            return undefined;
          }
        }
        return buf.length ? { name: key, buf, json: undefined } : undefined;
      }),
  };
}

test('row menu: keyboard and mouse; copies; the copied command connects to the lab with the same subprotocol; message menu', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  await page.evaluate(({ base, token }) => new Promise((r) => { const w = new WebSocket(`${base}/ws/close?code=1011&reason=boom&after=20&access_token=${token}`); w.onclose = r; }), { base: lab.wsBase, token: TOKEN });
  await page.evaluate((base) => new Promise<void>((resolve) => {
    const ws = new WebSocket(`${base}/ws/echo?n=cmd`, ['lab.v2', 'chat']);
    (window as unknown as { keep: WebSocket }).keep = ws;
    ws.binaryType = 'arraybuffer';
    let got = 0;
    ws.onopen = () => ws.send(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x41]));
    ws.onmessage = () => ++got === 2 && resolve();
  }), lab.wsBase);

  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('both sockets', (rs) => rs.length === 2 && rs.some((r) => r.code === '1011'));
  const closed = rows.find((r) => r.code === '1011')!;
  const echo = rows.find((r) => r.url.includes('/ws/echo'))!;
  const nextCopy = await recordCopies(panel);
  const dl = downloads(devtools);

  // Keyboard: Shift+F10 on the focused row opens its menu, arrows move, Escape closes and focus returns.
  await panel.eval(`document.querySelector('[data-testid="connection-table"]').focus()`);
  await key(panel, 'Home');
  await until('the first row focused', async () => (await panel.eval<string | null>(`document.querySelector('[data-testid="connection-row"].focused')?.dataset.connId ?? null`)) === rows[0]!.id || undefined);
  await key(panel, 'F10', { shiftKey: true });
  await until('the row menu', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="row-menu"]')`));
  expect(await focused(panel)).toBe('row-copy-url');
  await key(panel, 'ArrowDown');
  expect(await focused(panel)).toBe('row-copy-markdown');
  await key(panel, 'ArrowUp');
  await key(panel, 'ArrowUp');
  expect(await focused(panel)).toBe(await panel.eval<string>(`[...document.querySelectorAll('[data-testid="row-menu"] [role="menuitem"]:not([aria-disabled="true"])')].pop().dataset.testid`));
  await key(panel, 'Escape');
  expect(await panel.count('[data-testid="row-menu"]')).toBe(0);
  expect(await focused(panel)).toBe('connection-table');
  await key(panel, 'ContextMenu');
  await until('the row menu from the ContextMenu key', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="row-menu"]')`));
  await key(panel, 'Escape');

  // Copy URL, and the Markdown report redacted as exports are.
  await rightClick(panel, rowSel(closed.id));
  await panel.click('[data-testid="row-copy-url"]');
  expect(await nextCopy()).toBe(closed.url);
  await rightClick(panel, rowSel(closed.id));
  await panel.click('[data-testid="row-copy-markdown"]');
  const md = await nextCopy();
  expect(md).toContain('1011');
  expect(md).not.toContain(TOKEN);
  expect(md).toContain('[redacted]');

  // The command lines; the Node one (neither wscat nor websocat is installed here) is run.
  const copyCmd = async (id: string) => {
    await rightClick(panel, rowSel(echo.id));
    await panel.click(`[data-testid="${id}"]`);
    return nextCopy();
  };
  const wscat = await copyCmd('row-copy-wscat');
  // Quoted: `?` is a glob character.
  expect(wscat).toMatch(/^wscat -c 'ws:\/\/127\.0\.0\.1:\d+\/ws\/echo\?n=cmd' -s lab\.v2 -s chat( |$)/);
  const websocat = await copyCmd('row-copy-websocat');
  expect(websocat).toMatch(/^websocat --protocol 'lab\.v2, chat' .*'ws:\/\/127\.0\.0\.1:\d+\/ws\/echo\?n=cmd'$/);
  const node = await copyCmd('row-copy-node');
  test.info().annotations.push({ type: 'command run', description: node });
  const before = lab.upgrades.length;
  const child = spawn('bash', ['-c', node], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  try {
    const seen = await until('the lab to see the command connect', async () => lab.upgrades.slice(before).find((u) => u.path === '/ws/echo?n=cmd'));
    // The same subprotocols as the page's own handshake (the list's spacing is each client's).
    const list = (p: string | undefined) => (p ?? '').split(',').map((x) => x.trim());
    const pageSaw = lab.upgrades.slice(0, before).filter((u) => u.path === '/ws/echo?n=cmd').pop();
    expect(list(pageSaw?.protocol)).toEqual(['lab.v2', 'chat']);
    expect(list(seen.protocol)).toEqual(list(pageSaw?.protocol));
    await until('the command to be open', async () => out.includes('open "lab.v2"') || undefined);
    child.stdin.write('ping from the command\n');
    await until('the echo back', async () => out.includes('ping from the command') || undefined);
  } finally {
    child.kill();
  }

  // Filter to this endpoint: the filter text becomes host + path.
  await rightClick(panel, rowSel(echo.id));
  await panel.click('[data-testid="row-filter-endpoint"]');
  const endpoint = `127.0.0.1:${lab.port}/ws/echo`;
  expect(await panel.eval<string>(`document.querySelector('[data-testid="filter"]').value`)).toBe(endpoint);
  await panel.waitForRows('only the echo', (rs) => rs.length === 1 && rs[0]!.id === echo.id);
  await panel.eval(`(() => { const s = document.querySelector('[data-testid="filter"]'); s.value = ''; s.dispatchEvent(new Event('input', { bubbles: true })); })()`);
  await panel.waitForRows('both again', (rs) => rs.length === 2);

  // Show in timeline: its bar is selected and highlighted.
  await rightClick(panel, rowSel(closed.id));
  await panel.click('[data-testid="row-show-timeline"]');
  await until('the bar highlighted', () => panel.eval<boolean>(`(() => { const b = document.querySelector('[data-testid="timeline-bar"][data-conn-id="${closed.id}"]'); return !!b && b.hasAttribute('data-flash') && b.classList.contains('selected'); })()`));

  // Message menu: copy as JSON only for JSON, save bytes only for binary.
  await panel.select(echo.id);
  await panel.click('[data-testid="tab-messages"]');
  await until('the echo’s messages', async () => (await panel.count('[data-testid="message-row"]')) >= 3 || undefined);
  const msgRow = (which: string) => `[data-testid="message-row"]${which}`;
  await rightClick(panel, msgRow('[data-dir="in"]:not([data-size="6"])'));
  await until('the message menu', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="message-menu"]')`));
  expect(await panel.eval<string | null>(`document.querySelector('[data-testid="msg-save-binary"]').getAttribute('aria-disabled')`)).toBe('true');
  await panel.click('[data-testid="msg-copy-json"]');
  expect(await nextCopy()).toBe(JSON.stringify({ hello: 'echo' }, null, 2));
  await rightClick(panel, msgRow('[data-dir="in"][data-size="6"]'));
  await until('the message menu', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="message-menu"]')`));
  expect(await panel.eval<string | null>(`document.querySelector('[data-testid="msg-copy-json"]').getAttribute('aria-disabled')`)).toBe('true');
  await panel.click('[data-testid="msg-save-binary"]');
  const bin = await dl.next('.bin');
  expect([...bin.buf]).toEqual([0xde, 0xad, 0xbe, 0xef, 0x00, 0x41]);
});

test('multi-select (Shift-click, Ctrl-click, Shift+Down) exports exactly the selected connections', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  for (const n of ['a', 'b', 'c', 'd']) {
    await page.evaluate(({ base, n }) => new Promise((r) => { const w = new WebSocket(`${base}/ws/close?code=1000&after=10&n=${n}`); w.onclose = r; }), { base: lab.wsBase, n });
  }
  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('four sockets', (rs) => rs.length === 4 && rs.every((r) => r.code === '1000'));
  const dl = downloads(devtools);
  const selectedIds = () => panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="connection-row"][aria-selected="true"]')].map((r) => r.dataset.connId)`);
  const harUrls = (har: { log: { entries: { request: { url: string } }[] } }) => har.log.entries.map((e) => e.request.url).sort();

  // Click the first, Shift-click the third: three; Ctrl-click the second: two.
  await clickRow(panel, rows[0]!.id);
  await clickRow(panel, rows[2]!.id, { shiftKey: true });
  await until('three selected', async () => (await selectedIds()).length === 3 || undefined);
  expect(await panel.eval<string | null>(`document.querySelector('[data-testid="selected-count"]')?.dataset.count ?? null`)).toBe('3');
  await clickRow(panel, rows[1]!.id, { ctrlKey: true });
  await until('two selected', async () => (await selectedIds()).length === 2 || undefined);
  expect((await selectedIds()).sort()).toEqual([rows[0]!.id, rows[2]!.id].sort());
  expect(await panel.text('[data-testid="selected-count"]')).toBe('2 selected');
  // The detail shows the focused one (the last clicked).
  expect(await panel.eval<string>(`document.querySelector('[data-testid="detail"]').getAttribute('aria-label')`)).toBe(rows[1]!.url);

  // The row menu of a selected row exports the selection: exactly those entries.
  await rightClick(panel, rowSel(rows[0]!.id));
  expect(await panel.text('[data-testid="row-export-har"]')).toBe('Export 2 selected connections as HAR');
  await panel.click('[data-testid="row-export-har"]');
  const first = await dl.next('.har');
  expect(harUrls(first.json)).toEqual([rows[0]!.url, rows[2]!.url].sort());

  // Keyboard: a plain Down selects one, Shift+Down extends; the export menu's "selected" takes them.
  await panel.eval(`document.querySelector('[data-testid="connection-table"]').focus()`);
  await key(panel, 'Home');
  await key(panel, 'ArrowDown');
  await key(panel, 'ArrowDown', { shiftKey: true });
  await key(panel, 'ArrowDown', { shiftKey: true });
  await until('three by keyboard', async () => (await selectedIds()).length === 3 || undefined);
  expect((await selectedIds()).sort()).toEqual([rows[1]!.id, rows[2]!.id, rows[3]!.id].sort());
  await panel.click('[data-testid="export"]');
  await panel.click('[data-testid="export-selected"]');
  await panel.click('[data-testid="export-save"]');
  const second = await dl.next('.har', [first.name]);
  expect(harUrls(second.json)).toEqual([rows[1]!.url, rows[2]!.url, rows[3]!.url].sort());
});
