// Application protocols in the real panel, against the lab's real servers and the libraries'
// real browser bundles: a frozen Socket.IO server explained as a ping timeout with the intervals
// it announced, a STOMP ERROR and a SockJS close shown with their own reasons, and heartbeats
// hidden from the message list with one toggle. Screenshot: e2e/artifacts/protocols-messages.png.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { artifactPath } from './support/browser.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

type LabResult = { code: number | null; url: string; app?: Record<string, unknown>; failed?: string };
const results = (page: Page) => page.evaluate(() => (window as unknown as { __lab: { results: Record<string, LabResult> } }).__lab.results);

const SCENARIOS = ['socketio-frozen', 'stomp-error', 'sockjs-close', 'actioncable-unauthorized'];

async function explanation(panel: PanelPage, connId: string): Promise<{ category: string; headline: string; evidence: string }> {
  await panel.select(connId);
  await panel.click('[data-testid="tab-explanation"]');
  return until(`the explanation of ${connId}`, () =>
    panel.eval<{ category: string; headline: string; evidence: string } | undefined>(`(() => {
      const row = document.querySelector('[data-testid="connection-row"][data-conn-id="${connId}"]');
      const h = document.querySelector('[data-testid="explanation-headline"]');
      const ev = document.querySelector('[data-testid="evidence"]');
      if (!row || !row.classList.contains('selected') || !h) return undefined;
      return { category: h.dataset.category, headline: h.textContent, evidence: ev ? ev.textContent : '' };
    })()`),
  );
}

test('protocol deaths are explained in the protocol\'s terms; heartbeats hide with one toggle', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/?run=${SCENARIOS.join(',')}`);
  const r = await until('every protocol scenario to end', async () => {
    const x = await results(page);
    return SCENARIOS.every((n) => x[n]?.code || x[n]?.failed) ? x : undefined;
  }, 40_000);
  for (const n of SCENARIOS) expect(r[n]?.failed, n).toBeUndefined();
  expect((r['socketio-frozen']?.app?.disconnect as { reason?: string } | undefined)?.reason, 'what socket.io-client itself said').toBe('ping timeout');

  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('the protocol sockets', (rs) => SCENARIOS.every((n) => rs.some((x) => x.url === r[n]!.url && x.code)));
  const row = (n: string) => rows.find((x) => x.url === r[n]!.url)!;

  // Socket.IO, server frozen: the client's own "ping timeout", in the intervals the server announced (1 s + 1.5 s).
  const sio = await explanation(panel, row('socketio-frozen').id);
  expect(sio.category).toBe('heartbeat-lost');
  expect(sio.headline).toContain('Socket.IO heartbeat due at');
  expect(sio.headline).toContain('after 2.5 s');
  expect(sio.evidence).toContain('1.0 s + 1.5 s = 2.5 s');
  expect(sio.evidence).toContain('announced: Engine.IO open packet');

  const stomp = await explanation(panel, row('stomp-error').id);
  expect(stomp.headline).toContain('STOMP');
  expect(stomp.headline).toContain('Access denied');
  expect(await panel.text(`[data-testid="connection-row"][data-conn-id="${row('stomp-error').id}"] [data-testid="connection-reason"]`)).toContain('Access denied');

  const sockjs = await explanation(panel, row('sockjs-close').id);
  expect(sockjs.category).toBe('closed-by-server');
  expect(sockjs.headline).toContain('Go away!');

  const cable = await explanation(panel, row('actioncable-unauthorized').id);
  expect(cable.category).toBe('policy');
  expect(cable.headline).toContain('unauthorized');
  expect(cable.evidence).toContain('asks the client not to reconnect');

  // The messages of the Socket.IO socket: frames named, heartbeats hidden with one toggle.
  await panel.select(row('socketio-frozen').id);
  await panel.click('[data-testid="tab-messages"]');
  const before = await until('the decoded messages', async () => {
    const m = await panel.eval<{ all: number; beats: number; protocol: string | null; certainty: string | null }>(`(() => ({
      all: document.querySelectorAll('[data-testid="message-row"]').length,
      beats: document.querySelectorAll('[data-testid="message-row"][data-frame-class="heartbeat"]').length,
      protocol: document.querySelector('[data-testid="msg-protocol"]')?.dataset.protocol ?? null,
      certainty: document.querySelector('[data-testid="msg-protocol"]')?.dataset.certainty ?? null,
    }))()`);
    return m.all > 0 && m.protocol ? m : undefined;
  });
  expect(before).toMatchObject({ protocol: 'socket.io', certainty: 'certain' });
  expect(before.beats).toBeGreaterThan(0);
  const frames = await panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="message-row"]')].map(r => r.dataset.frame)`);
  expect(frames).toContain('open');
  expect(frames.some((f) => f.startsWith('EVENT '))).toBe(true);
  await panel.click('[data-testid="msg-hide-heartbeats"]');
  const after = await until('heartbeats hidden', async () => {
    const m = await panel.eval<{ all: number; beats: number }>(`(() => ({
      all: document.querySelectorAll('[data-testid="message-row"]').length,
      beats: document.querySelectorAll('[data-testid="message-row"][data-frame-class="heartbeat"]').length,
    }))()`);
    return m.beats === 0 ? m : undefined;
  });
  expect(after.all).toBe(before.all - before.beats);
  writeFileSync(artifactPath('protocols-messages.png'), await devtools.screenshot());
});
