// Deep capture on, in the real DevTools panel: the lab's protocol breakers (a close frame with the
// reserved code 1005, a text frame of invalid UTF-8, a wrong Sec-WebSocket-Accept) each reach the
// page as a bare 1006, and the panel explains each with the browser's own error text, which only
// the network layer has (docs/deep-capture.md has the texts, measured on Chromium 156).
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

const CASES = [
  { name: 'bad-close-1005', said: 'Received a broken close frame containing a reserved status code.', category: 'protocol-error' },
  { name: 'bad-utf8', said: 'Could not decode a text frame as UTF-8.', category: 'protocol-error' },
  // A failed handshake stays a failed handshake; the browser's text says which header was wrong.
  { name: 'bad-accept', said: "Incorrect 'Sec-WebSocket-Accept' header value", category: 'handshake-failed' },
] as const;

async function explanation(panel: PanelPage, connId: string): Promise<{ category: string; evidence: string } | undefined> {
  await panel.select(connId);
  await panel.click('[data-testid="tab-explanation"]');
  return panel.eval<{ category: string; evidence: string } | undefined>(`(() => {
    const row = document.querySelector('[data-testid="connection-row"][data-conn-id="${connId}"]');
    const h = document.querySelector('[data-testid="explanation-headline"]');
    if (!row || !row.classList.contains('selected') || !h) return undefined;
    return { category: h.dataset.category, evidence: document.querySelector('[data-testid="evidence"]')?.textContent ?? '' };
  })()`);
}

test('with deep capture on, broken protocols are explained with the browser\'s own words', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();

  await panel.click('[data-testid="deep-toggle"]');
  await until('the explanation dialog', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="deep-ok"]')`));
  await panel.click('[data-testid="deep-ok"]');
  await until('deep capture on', () => panel.eval<boolean>(`document.querySelector('[data-testid="deep-state"]')?.dataset.state === 'on'`), 10_000);

  // Each broken server, from the page, after the debugger is attached.
  const urls: Record<string, string> = {};
  for (const c of CASES) {
    urls[c.name] = await page.evaluate(
      (url) => new Promise<string>((done) => {
        const ws = new WebSocket(url);
        ws.onclose = (e) => done(`${ws.url}|${e.code}`);
      }),
      `${lab.wsBase}/ws/${c.name}`,
    );
    expect(urls[c.name]!.endsWith('|1006'), `${c.name}: the page sees 1006`).toBe(true);
  }

  const rows = await panel.waitForRows('the broken sockets', (rs) => CASES.every((c) => rs.some((r) => r.url === urls[c.name]!.split('|')[0] && r.code)));
  for (const c of CASES) {
    const row = rows.find((r) => r.url === urls[c.name]!.split('|')[0])!;
    const e = await until(`${c.name} explained with the browser's text`, async () => {
      const x = await explanation(panel, row.id);
      return x && x.evidence.includes(c.said) ? x : undefined;
    }, 10_000);
    expect(e.category, c.name).toBe(c.category);
  }
  await panel.click('[data-testid="deep-toggle"]');
});
