import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLab, type Lab, type LabTls } from '../lab/server.ts';
import { which } from '../lab/which.ts';

interface Ended {
  code: number;
  reason: string;
  opened: boolean;
  messages: Array<{ data: Buffer; isBinary: boolean }>;
}

/** Opens a client and resolves with how it ended; `onOpen` drives the conversation. */
function run(url: string, onOpen: (ws: WebSocket) => void = () => {}, options?: WebSocket.ClientOptions): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
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
    expect(config).toEqual(lab.config);
    expect(config).toMatchObject({ wsBase: lab.wsBase, idleProxyPort: lab.idleProxyPort, idleMs: 300, port: lab.port });
    expect(config.proxy).toBe(which('nginx') ? 'nginx' : 'node');
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

interface UpgradeAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends a WebSocket upgrade request by hand and returns the raw answer, 101 or not. */
function upgrade(url: string, extra: Record<string, string> = {}): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        Origin: 'http://127.0.0.1',
        ...extra,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function withTls(t: LabTls): Exclude<LabTls, { skipped: string }> {
  if ('skipped' in t) throw new Error(`lab has no TLS: ${t.skipped}`);
  return t;
}

/** The base64 SHA-256 of the SPKI of the certificate a TLS server presents. */
function presentedSpki(port: number, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(servername ? { servername } : {}) }, () => {
      const cert = new X509Certificate(s.getPeerCertificate().raw);
      s.destroy();
      resolve(createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64'));
    });
    s.on('error', reject);
  });
}

const haveNginx = which('nginx') !== undefined;
const haveOpenssl = which('openssl') !== undefined;

describe('lab handshake failures', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ idleMs: 300, log: () => {} });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('auth-401: 401 with a Bearer challenge', async () => {
    const a = await upgrade(`${lab.url}/ws/auth-401`);
    expect(a.status).toBe(401);
    expect(a.headers['www-authenticate']).toBe('Bearer realm="lab", error="invalid_token"');
  });

  it('forbidden-403: the page Origin is refused with a body that says so; an allowed one is accepted', async () => {
    const a = await upgrade(`${lab.url}/ws/forbidden-403`, { Origin: lab.url });
    expect(a.status).toBe(403);
    expect(a.headers['content-type']).toContain('text/plain');
    expect(a.body).toContain(`Origin ${lab.url} is not on this server's allow-list`);
    expect((await upgrade(`${lab.url}/ws/forbidden-403`, { Origin: 'https://app.example.com' })).status).toBe(101);
  });

  it('not-found-404, server-500: the plain statuses', async () => {
    expect((await upgrade(`${lab.url}/ws/not-found-404`)).status).toBe(404);
    expect((await upgrade(`${lab.url}/ws/server-500`)).status).toBe(500);
  });

  it('html-200: an HTML page instead of a 101', async () => {
    const a = await upgrade(`${lab.url}/ws/html-200`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/html/);
    expect(a.body).toContain('<html>');
  });

  it('upgrade-426: names the version and protocol it wants', async () => {
    const a = await upgrade(`${lab.url}/ws/upgrade-426`);
    expect(a.status).toBe(426);
    expect(a.headers['sec-websocket-version']).toBe('13');
    expect(a.headers.upgrade).toBe('websocket');
  });

  it('rate-429 and unavailable-503 say when to come back', async () => {
    const r429 = await upgrade(`${lab.url}/ws/rate-429`);
    expect([r429.status, r429.headers['retry-after']]).toEqual([429, '30']);
    const r503 = await upgrade(`${lab.url}/ws/unavailable-503`);
    expect([r503.status, r503.headers['retry-after']]).toEqual([503, '120']);
  });

  it('bad-gateway-502: the reverse proxy answers 502 itself (nginx when installed)', async () => {
    const a = await upgrade(`http://127.0.0.1:${lab.config.proxyPort}/ws/echo`);
    expect(a.status).toBe(502);
    expect(a.headers.server).toBe(haveNginx ? 'nginx' : 'lab-node-proxy');
    expect(lab.config.proxy).toBe(haveNginx ? 'nginx' : 'node');
    // Its upstream is the closed port, and nothing else listens there.
    await expect(connectOutcome(lab.config.closedPort)).resolves.toBe('ECONNREFUSED');
  });

  it('closed-port: connections are refused', async () => {
    await expect(connectOutcome(lab.config.closedPort)).resolves.toBe('ECONNREFUSED');
  });

  it('subprotocol: the upgrade is accepted without selecting the offered protocol', async () => {
    const a = await upgrade(`${lab.url}/ws/subprotocol`, { 'Sec-WebSocket-Protocol': 'lab.v2' });
    expect(a.status).toBe(101);
    expect(a.headers['sec-websocket-protocol']).toBeUndefined();
    // A conforming client fails such a connection, as browsers do.
    const err = await new Promise<Error>((resolve) => {
      const ws = new WebSocket(`${lab.wsBase}/ws/subprotocol`, 'lab.v2');
      ws.on('error', resolve);
    });
    expect(err.message).toContain('no subprotocol');
  });

  it('same-ms-pair: per key, the first request gets 401 and the second a 101 that closes 1000', async () => {
    const url = `${lab.url}/ws/same-ms-pair?pair=test-a`;
    expect((await upgrade(url)).status).toBe(401);
    expect((await upgrade(url)).status).toBe(101);
    // A new key starts over: repeated runs of the scenario behave the same.
    expect((await upgrade(`${lab.url}/ws/same-ms-pair?pair=test-b`)).status).toBe(401);
    await upgrade(`${lab.url}/ws/same-ms-pair?pair=test-c`);
    const ended = await run(`${lab.wsBase}/ws/same-ms-pair?pair=test-c`);
    expect(ended).toMatchObject({ code: 1000, opened: true, reason: 'second of the pair' });
  });

  it('csp.html carries the CSP that blocks its socket to another origin', async () => {
    const res = await fetch(`${lab.url}/csp.html`);
    expect(res.headers.get('content-security-policy')).toBe("connect-src 'self'");
    expect(await res.text()).toContain('new WebSocket');
    // Only that page: the lab page itself must be free to connect anywhere.
    expect((await fetch(`${lab.url}/`)).headers.get('content-security-policy')).toBeNull();
  });

  it('the lab page lists every handshake scenario', async () => {
    const js = await (await fetch(`${lab.url}/lab.js`)).text();
    for (const name of ['auth-401', 'forbidden-403', 'not-found-404', 'html-200', 'upgrade-426', 'rate-429', 'unavailable-503', 'server-500', 'bad-gateway-502', 'dns', 'closed-port', 'tls-self-signed', 'csp-blocked', 'mixed-content', 'subprotocol', 'same-ms-pair', 'refused', 'not-found']) {
      expect(js).toContain(`'${name}': {`);
    }
  });

  it.runIf(haveOpenssl)('tls-self-signed: wss with a certificate no client trusts, which otherwise works', async () => {
    const t = withTls(lab.config.tls);
    const err = await new Promise<Error & { code?: string }>((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${t.wssPort}/ws/echo`);
      ws.on('error', resolve);
    });
    expect(err.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const ended = await run(`wss://127.0.0.1:${t.wssPort}/ws/close?code=1000&after=10`, undefined, { rejectUnauthorized: false });
    expect(ended).toMatchObject({ code: 1000, opened: true });
  });

  it.runIf(haveOpenssl)('mixed-content: the https page has its own certificate, the one the flags name', async () => {
    const t = withTls(lab.config.tls);
    expect(await presentedSpki(t.pagePort, t.pageHost)).toBe(t.pageSpki);
    expect(await presentedSpki(t.wssPort)).toBe(t.wssSpki);
    // Accepting the page's certificate must not accept the self-signed wss one.
    expect(t.pageSpki).not.toBe(t.wssSpki);
    expect(t.chromiumArgs).toEqual([
      '--host-resolver-rules=MAP zz-lab.test 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${t.pageSpki}`,
    ]);
    expect(t.mixedUrl).toBe(`https://zz-lab.test:${t.pagePort}/mixed.html`);
    const page = await new Promise<string>((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port: t.pagePort, path: '/mixed.html', servername: t.pageHost, rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
    });
    expect(page).toContain("'ws://' + location.hostname");
  });
});

describe('lab without nginx or openssl', () => {
  it('falls back to the Node proxy for 502, says why, and serves no TLS', async () => {
    const lines: string[] = [];
    const lab = await startLab({ idleMs: 300, nginx: '/nonexistent/nginx', openssl: null, log: (l) => lines.push(l) });
    try {
      expect(lab.config.proxy).toBe('node');
      expect(lab.config.proxyFallback).toContain('/nonexistent/nginx');
      expect(lab.config.tls).toEqual({ skipped: expect.stringContaining('openssl') });
      const a = await upgrade(`http://127.0.0.1:${lab.config.proxyPort}/ws/echo`);
      expect(a.status).toBe(502);
      expect(a.headers.server).toBe('lab-node-proxy');
      expect(lines.join('\n')).toMatch(/Node stand-in/);
    } finally {
      await lab.close();
    }
  });

  it('puts its Node idle proxy, at the 60 s of nginx, in front of the nginx-idle scenario and says so', async () => {
    const lines: string[] = [];
    const lab = await startLab({ idleMs: 300, nginx: '/nonexistent/nginx', openssl: null, log: (l) => lines.push(l) });
    try {
      expect(lab.config).toMatchObject({ idleProxy: 'node', nginxIdleMs: 60_000 });
      expect(lab.config.idleProxyFallback).toContain('/nonexistent/nginx');
      expect(lines.join('\n')).toMatch(/nginx-idle through the Node idle proxy/);
      const a = await upgrade(`http://127.0.0.1:${lab.config.nginxIdlePort}/ws/echo`);
      expect(a.status).toBe(101);
    } finally {
      await lab.close();
    }
  });

  it.runIf(haveNginx)('runs real nginx, default timeouts, in front of its own ws server for nginx-idle', async () => {
    const lab = await startLab({ idleMs: 300, openssl: null, log: () => {} });
    let port = 0;
    try {
      expect(lab.config).toMatchObject({ idleProxy: 'nginx', nginxIdleMs: 60_000 });
      expect(lab.config.idleProxyFallback).toBeUndefined();
      port = lab.config.nginxIdlePort;
      const a = await upgrade(`http://127.0.0.1:${port}/ws/echo`);
      expect(a.status).toBe(101);
      expect(a.headers.server).toBe('nginx');
    } finally {
      await lab.close();
    }
    await expect(connectOutcome(port)).resolves.toBe('ECONNREFUSED');
  });

  it.runIf(haveNginx)('stops nginx with the lab', async () => {
    const lab = await startLab({ idleMs: 300, log: () => {} });
    expect(lab.config.proxy).toBe('nginx');
    await lab.close();
    await expect(connectOutcome(lab.config.proxyPort)).resolves.toBe('ECONNREFUSED');
  });

  it.runIf(haveNginx)('nginx does not outlive a lab process that is SIGKILLed', async () => {
    const serverUrl = new URL('../lab/server.ts', import.meta.url).href;
    const script = `
      const { startLab } = await import(${JSON.stringify(serverUrl)});
      const lab = await startLab({ log: () => {} });
      console.log(JSON.stringify({ proxy: lab.config.proxy, port: lab.config.proxyPort }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ proxy: string; port: number }>((resolve) => {
      child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { proxy: string; port: number }));
    });
    expect(started.proxy).toBe('nginx');
    expect(await connectOutcome(started.port)).toBe('connected');
    child.kill('SIGKILL');
    let outcome = '';
    for (let i = 0; i < 60 && outcome !== 'ECONNREFUSED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      outcome = await connectOutcome(started.port);
    }
    expect(outcome).toBe('ECONNREFUSED');
  });
});

/** 'connected' or the error code of a TCP connection attempt to 127.0.0.1:port. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

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
      const lab = await startLab({ idleMs: 60000, log: () => {} });
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
