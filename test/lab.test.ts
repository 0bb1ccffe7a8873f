import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLab, type Lab } from '../lab/server.ts';

interface Ended {
  code: number;
  reason: string;
  opened: boolean;
  messages: Array<{ data: Buffer; isBinary: boolean }>;
}

/** Opens a client and resolves with how it ended; `onOpen` drives the conversation. */
function run(url: string, onOpen: (ws: WebSocket) => void = () => {}): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const ended: Ended = { code: 0, reason: '', opened: false, messages: [] };
    ws.on('open', () => {
      ended.opened = true;
      onOpen(ws);
    });
    ws.on('message', (data, isBinary) => ended.messages.push({ data: data as Buffer, isBinary }));
    ws.on('error', () => {
      // A cut connection surfaces as 'error' then 'close'; the close code is what we assert.
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`unexpected HTTP ${res.statusCode}`)));
    ws.on('close', (code, reason) => {
      ended.code = code;
      ended.reason = reason.toString();
      resolve(ended);
    });
  });
}

describe('lab server', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ idleMs: 300 });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('binds to 127.0.0.1 and serves the page without caching', async () => {
    expect(lab.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${lab.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('<title>Socket Autopsy lab</title>');
    expect((await fetch(`${lab.url}/lab.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${lab.url}/nope.html`)).status).toBe(404);
  });

  it('does not serve files outside public/', async () => {
    // fetch normalises "..", so send the raw request line ourselves.
    const status = await new Promise<string>((resolve, reject) => {
      const s = net.connect(lab.port, '127.0.0.1', () => {
        s.write('GET /%2e%2e/server.ts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let buf = '';
      s.on('data', (d) => (buf += d.toString()));
      s.on('end', () => resolve(buf.split('\r\n')[0] ?? ''));
      s.on('error', reject);
    });
    expect(status).toContain('404');
  });

  it('reports where things are in /api/config', async () => {
    const config = (await (await fetch(`${lab.url}/api/config`)).json()) as Record<string, unknown>;
    expect(config).toEqual({ wsBase: lab.wsBase, idleProxyPort: lab.idleProxyPort, idleMs: 300 });
  });

  it('echoes text and binary unchanged', async () => {
    const ended = await run(`${lab.wsBase}/ws/echo`, (ws) => {
      ws.send('hello');
      ws.send(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
      let seen = 0;
      // Greeting plus our two echoes.
      ws.on('message', () => {
        if (++seen === 3) ws.close(1000, 'done');
      });
    });
    const [greeting, text, binary] = ended.messages;
    expect(greeting?.data.toString()).toBe('{"hello":"echo"}');
    expect(text).toEqual({ data: Buffer.from('hello'), isBinary: false });
    expect(binary).toEqual({ data: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), isBinary: true });
    expect(ended.code).toBe(1000);
  });

  it('closes with the requested code and reason', async () => {
    const ended = await run(`${lab.wsBase}/ws/close?code=1011&reason=boom&after=50`);
    expect(ended).toMatchObject({ code: 1011, reason: 'boom', opened: true });
    expect(ended.messages.length).toBe(1);
  });

  it('cuts the TCP connection without a close frame: 1006', async () => {
    const ended = await run(`${lab.wsBase}/ws/destroy?after=50`);
    expect(ended).toMatchObject({ code: 1006, opened: true });
  });

  it('refuses the handshake with the requested HTTP status', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${lab.wsBase}/ws/refuse?status=403`);
      ws.on('error', () => {});
      ws.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
    });
    expect(status).toBe(403);
  });

  it('closes with 1009 when the client sends more than maxPayload', async () => {
    const ended = await run(`${lab.wsBase}/ws/limit?max=1024`, (ws) => ws.send(Buffer.alloc(4096)));
    expect(ended.code).toBe(1009);
  });

  it('sends a large inbound frame on request', async () => {
    const ended = await run(`${lab.wsBase}/ws/limit?max=1048576&send=262144`, (ws) => {
      ws.on('message', () => ws.close(1000));
    });
    expect(ended.messages[0]?.data.length).toBe(262144);
  });

  it('floods count messages then says done', async () => {
    const ended = await run(`${lab.wsBase}/ws/flood?count=500&size=64&binary=1`, (ws) => {
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString() === '{"done":true}') ws.close(1000);
      });
    });
    expect(ended.messages.filter((m) => m.isBinary && m.data.length === 64).length).toBe(500);
  });

  it('the idle proxy cuts a silent connection without a close frame', async () => {
    const started = Date.now();
    const ended = await run(`ws://127.0.0.1:${lab.idleProxyPort}/ws/idle`);
    expect(ended).toMatchObject({ code: 1006, opened: true });
    // A lower bound only: the cut must not come before the idle period.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('the idle proxy keeps a connection alive while bytes flow', async () => {
    const ended = await run(`ws://127.0.0.1:${lab.idleProxyPort}/ws/echo?interval=50`, (ws) => {
      setTimeout(() => ws.close(1000, 'enough'), 900);
    });
    expect(ended.code).toBe(1000);
  });

  it('crash-server spawns a child that is SIGKILLed after the first client connects', async () => {
    const res = await fetch(`${lab.url}/api/crash-server?after=100`, { method: 'POST' });
    const { port, pid } = (await res.json()) as { port: number; pid: number };
    const ended = await run(`ws://127.0.0.1:${port}/`);
    expect(ended).toMatchObject({ code: 1006, opened: true });
    expect(await processGone(pid)).toBe(true);
  });
});

/** True once pid is gone; a killed child stays visible until the lab reaps it, so poll. */
async function processGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('lab close()', () => {
  it('leaves nothing behind: a process using the lab exits by itself', async () => {
    // The only honest proof of "no handles left" is a process that ends on its own after
    // close(), with clients, a proxy tunnel and a crash child still alive at that moment.
    const serverUrl = new URL('../lab/server.ts', import.meta.url).href;
    const script = `
      import WebSocket from 'ws';
      const { startLab } = await import(${JSON.stringify(serverUrl)});
      const lab = await startLab({ idleMs: 60000 });
      const opened = (url) => new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.on('error', () => {});
        ws.on('open', () => resolve(ws));
      });
      await opened(lab.wsBase + '/ws/idle');
      await opened(lab.wsBase + '/ws/echo?interval=20');
      await opened('ws://127.0.0.1:' + lab.idleProxyPort + '/ws/idle');
      const { port, pid } = await (await fetch(lab.url + '/api/crash-server?after=600000', { method: 'POST' })).json();
      await opened('ws://127.0.0.1:' + port + '/');
      await lab.close();
      let childGone = false;
      try { process.kill(pid, 0); } catch { childGone = true; }
      console.log(JSON.stringify({ childGone }));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(out.trim())).toEqual({ childGone: true });
  });
});
