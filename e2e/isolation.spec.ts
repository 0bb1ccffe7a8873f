// Where sockets come from and where their data may go: tabs never mix (even on the same URL),
// cross-origin and srcdoc iframes are captured, hostile strings render as inert text.
import { writeFileSync } from 'node:fs';
import { artifactPath } from './support/browser.ts';
import { buildChannel } from './support/channel.ts';
import { DevTools, until } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

const closeWith = (code: number, reason: string) => `/ws/close?code=${code}&reason=${encodeURIComponent(reason)}&after=50`;

test('two tabs on the same URL: each panel shows only its own tab', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const a = context.pages()[0] ?? (await context.newPage());
  const b = await context.newPage();
  await a.goto(`${lab.url}/`);
  await b.goto(`${lab.url}/`);
  const open = (page: typeof a, path: string) =>
    page.evaluate((url) => new Promise<number>((r) => { const ws = new WebSocket(url); ws.onclose = (e) => r(e.code); }), `${lab.wsBase}${path}`);
  // The same socket URL in both tabs, too.
  expect(await open(a, closeWith(4101, 'tab a'))).toBe(4101);
  expect(await open(b, closeWith(4102, 'tab b'))).toBe(4102);
  expect(await open(a, '/ws/destroy?after=20')).toBe(1006);
  expect(await open(b, '/ws/destroy?after=20')).toBe(1006);

  for (const [page, own, other] of [[a, '4101', '4102'], [b, '4102', '4101']] as const) {
    const devtools = await DevTools.forPage(context, page, { open: true });
    await devtools.showPanel();
    const panel = await devtools.panel();
    const rows = await panel.waitForRows(`tab ${own}'s sockets`, (rs) => rs.length >= 2 && rs.every((r) => r.code));
    expect(rows.map((r) => r.code).sort()).toEqual(['1006', own]);
    expect(rows.some((r) => r.code === other)).toBe(false);
  }
});

test('two panels open at once: live updates reach only the panel of their own tab', async ({ lab, browserPlain }) => {
  // The test above opens each panel after the traffic (the snapshot); this one has both panels
  // subscribed first, so every socket reaches them as a live update (hub.ts send()).
  const { context } = browserPlain;
  const a = context.pages()[0] ?? (await context.newPage());
  const b = await context.newPage();
  await a.goto(`${lab.url}/`);
  await b.goto(`${lab.url}/`);
  const panels = [];
  for (const page of [a, b]) {
    const devtools = await DevTools.forPage(context, page, { open: true });
    await devtools.showPanel();
    panels.push(await devtools.panel());
  }
  const [panelA, panelB] = panels as [(typeof panels)[number], (typeof panels)[number]];
  const open = (page: typeof a, path: string) =>
    page.evaluate((url) => new Promise<number>((r) => { const ws = new WebSocket(url); ws.onclose = (e) => r(e.code); }), `${lab.wsBase}${path}`);
  expect(await open(a, closeWith(4111, 'live a'))).toBe(4111);
  expect(await open(b, closeWith(4112, 'live b'))).toBe(4112);
  expect(await open(a, closeWith(4113, 'live a again'))).toBe(4113);
  const rowsA = await panelA.waitForRows('tab a live sockets', (rs) => rs.filter((r) => r.code).length >= 2);
  const rowsB = await panelB.waitForRows('tab b live socket', (rs) => rs.some((r) => r.code));
  // Both tabs' updates have been sent by now: any leak would already be on screen.
  await until('tab a\'s second socket in its panel', async () => (await panelA.rows()).some((r) => r.code === '4113') || undefined);
  expect((await panelA.rows()).map((r) => r.code).sort()).toEqual(['4111', '4113']);
  expect((await panelB.rows()).map((r) => r.code)).toEqual(['4112']);
  expect(rowsA.some((r) => r.code === '4112') || rowsB.some((r) => r.code !== '4112')).toBe(false);
});

test('sockets in cross-origin and srcdoc iframes are captured', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  // localhost and 127.0.0.1 are different origins for the browser: a real cross-origin frame.
  const crossOrigin = `http://localhost:${lab.port}/iframe.html`;
  await page.evaluate(({ crossOrigin, ws }) => {
    const x = document.createElement('iframe');
    x.src = crossOrigin;
    document.body.appendChild(x);
    const s = document.createElement('iframe');
    s.srcdoc = `<script>new WebSocket(${JSON.stringify(`${ws}/ws/close?code=4103&reason=srcdoc&after=50`)})</script>`;
    document.body.appendChild(s);
  }, { crossOrigin, ws: lab.wsBase });
  const devtools = await DevTools.forPage(context, page);
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('the iframe sockets', (rs) => rs.filter((r) => r.code).length >= 2);
  const cross = rows.find((r) => r.url.startsWith(`ws://localhost:${lab.port}/`));
  expect(cross?.code).toBe('1000');
  expect(rows.find((r) => r.code === '4103')).toBeTruthy();
  // Both belong to iframes, not to the top document.
  expect(cross?.text).toContain('iframe');
});

test('hostile URLs, reasons and payloads render as inert, bounded text', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>\u202Eevil\u200B';
  const code = await page.evaluate(({ base, evil }) => new Promise<number>((resolve) => {
    const ws = new WebSocket(`${base}/ws/echo?q=${encodeURIComponent(evil)}`);
    ws.onopen = () => {
      ws.send(`<script>window.__pwned=2</script>${evil}`);
      ws.send(JSON.stringify({ html: evil, big: 'x'.repeat(200_000) }));
      ws.send('\uD800 lone surrogate');
      setTimeout(() => ws.close(4000, evil.slice(0, 60)), 200);
    };
    ws.onclose = (e) => resolve(e.code);
  }), { base: lab.wsBase, evil });
  expect(code).toBe(4000);
  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const [row] = await panel.waitForRows('the hostile socket', (rs) => rs.length === 1 && rs[0]!.code === '4000');
  await panel.select(row!.id);
  await panel.click('[data-testid="tab-messages"]');
  await until('its messages', async () => (await panel.count('[data-testid="message-row"]')) >= 6 || undefined);
  await panel.click('[data-testid="message-row"]');
  await panel.click('[data-testid="tab-explanation"]');
  await until('the explanation', () => panel.text('[data-testid="explanation-headline"]').then((t) => t ?? undefined));
  const report = await panel.eval<{ imgs: number; bolds: number; scripts: number; pwned: unknown; text: string }>(`({
    imgs: document.querySelectorAll('img').length,
    bolds: document.querySelectorAll('b').length,
    scripts: document.querySelectorAll('body script').length,
    pwned: window.__pwned,
    text: document.body.textContent,
  })`);
  expect(report.imgs).toBe(0);
  expect(report.bolds).toBe(0);
  expect(report.scripts).toBe(0);
  expect(report.pwned).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  // Shown literally, as text, with the bidi override made visible instead of reordering
  // what follows it (a reversed timestamp in the evidence, say).
  expect(report.text).toContain('<b>bold</b>');
  expect(report.text).not.toMatch(/[\u202E\u200B]/);
  expect(report.text).toContain('⟨U+202E⟩');
  writeFileSync(artifactPath('panel-hostile.png'), await devtools.screenshot());
});

test('frames reached by index, a same-origin popup and a frame whose document was reopened: wrapped, and each socket captured once', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const out = await page.evaluate(({ base, ch }) => {
    // Whether a hook wrapped that window, asked as the hooks ask each other (frames.ts).
    const hooked = (w: Window) => !w.dispatchEvent(new CustomEvent(`${ch}:i`, { cancelable: true }));
    const open = (w: Window, code: number) => {
      const W = (w as unknown as { WebSocket: typeof WebSocket }).WebSocket;
      return new W(`${base}/ws/close?code=${code}&reason=realm&after=50`).constructor === W;
    };
    const made: boolean[] = [];
    const wrapped: boolean[] = [];
    // Reached without contentWindow: straight off the parent's indexed access (HTML, WindowProxy [[GetOwnProperty]]).
    for (let i = 0; i < 4; i++) document.body.appendChild(document.createElement('iframe'));
    for (const [w, code] of [[frames[0]!, 4201], [window[1]!, 4202], [window.frames[2]!, 4203]] as const) {
      wrapped.push(hooked(w));
      made.push(open(w, code));
    }
    // document.open() erases the window's event listeners (HTML, "document open steps"): the
    // frame must still be known as wrapped, or reaching it through contentWindow would wrap it twice.
    const reopened = frames[3]!;
    reopened.document.open();
    reopened.document.write('<p>reopened</p>');
    reopened.document.close();
    wrapped.push(hooked(reopened));
    const again = (document.querySelectorAll('iframe')[3] as HTMLIFrameElement).contentWindow!;
    made.push(open(again, 4205));
    // A same-origin popup, before its own document could run anything.
    const popup = window.open('about:blank', '_blank')!;
    wrapped.push(hooked(popup));
    return { made, wrapped };
  }, { base: lab.wsBase, ch: buildChannel() });
  expect(out.made).toEqual([true, true, true, true]);
  expect(out.wrapped).toEqual([true, true, true, true, true]);
  const devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.showPanel();
  const panel = await devtools.panel();
  // 4205 was made after document.open() erased every listener of the frame's window, the relay's
  // (isolated world) included: the relay listens again. None may come twice either, through a
  // second wrap by the parent's hook.
  const codes = ['4201', '4202', '4203', '4205'];
  await panel.waitForRows('the sockets of the other realms', (rs) => codes.every((c) => rs.some((r) => r.code === c)));
  await new Promise((r) => setTimeout(r, 500)); // a second copy of one would come in the same batch or the next
  const rows = await panel.rows();
  for (const c of codes) expect(rows.filter((r) => r.code === c), c).toHaveLength(1);
});
