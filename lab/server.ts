import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { startApps, type AppsConfig, type LabApps } from './apps/index.ts';
import { createCrashSupervisor } from './crash.ts';
import { startIdleProxy } from './idle-proxy.ts';
import { releasedPort } from './ports.ts';
import { startBadGatewayProxy, startNginxIdleProxy } from './reverse-proxy.ts';
import { answerRaw } from './raw.ts';
import { createTurns, planUpgrade } from './scenarios.ts';
import { serveStatic } from './static.ts';
import { makeSelfSigned, type LabCert } from './tls.ts';
import { which } from './which.ts';

/** The name the mixed-content page is served under; browsers map it with --host-resolver-rules. */
export const PAGE_HOST = 'zz-lab.test';

/** Where the lab's TLS servers are, or why there are none. */
export type LabTls =
  | {
      /** wss/https with a self-signed certificate for 127.0.0.1 that no browser trusts. */
      wssPort: number;
      /** https for PAGE_HOST with a second certificate, the one a test browser is told to accept. */
      pagePort: number;
      /** base64 SHA-256 of the page certificate's SPKI (--ignore-certificate-errors-spki-list). */
      pageSpki: string;
      /** The wss certificate's, for completeness: a test must NOT pass it, or tls-self-signed opens. */
      wssSpki: string;
      pageHost: string;
      /** The https page of the mixed-content scenario. */
      mixedUrl: string;
      /** Chromium switches that resolve PAGE_HOST and accept the page certificate only. */
      chromiumArgs: string[];
    }
  | { skipped: string };

export interface LabConfig {
  wsBase: string;
  idleProxyPort: number;
  idleMs: number;
  /** The lab's own http port (the mixed page on https needs it for its ws:// URL). */
  port: number;
  /** A 127.0.0.1 port that was bound, noted and released: connections to it are refused. */
  closedPort: number;
  /** Which reverse proxy answers the bad-gateway scenario with 502. */
  proxy: 'nginx' | 'node';
  proxyPort: number;
  /** Why the Node stand-in runs instead of nginx. */
  proxyFallback?: string;
  /**
   * What sits in front of the lab for the nginx-idle scenario: nginx with its default timeouts
   * (cuts a quiet WebSocket at 60 s), or, without nginx, the Node idle proxy cutting at the same.
   */
  idleProxy: 'nginx' | 'node';
  nginxIdlePort: number;
  nginxIdleMs: number;
  /** Why the Node idle proxy stands in for nginx there. */
  idleProxyFallback?: string;
  tls: LabTls;
  /** The application-protocol servers (lab/apps/): where each listens, or why it does not. */
  apps: AppsConfig | { skipped: string };
}

export interface Lab {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** ws://127.0.0.1:PORT */
  wsBase: string;
  /** A TCP proxy in front of this lab that cuts connections quiet for idleMs. */
  idleProxyPort: number;
  idleMs: number;
  /** Everything /api/config serves. */
  config: LabConfig;
  /** The last upgrade requests (at most 200), newest last: what a client really asked for. */
  upgrades: { path: string; protocol?: string; origin?: string; cookie?: string }[];
  close(): Promise<void>;
}

export interface LabOptions {
  port?: number;
  /** Idle cut of the proxy; defaults to env LAB_IDLE_MS, then 3000 ms. */
  idleMs?: number;
  /** nginx binary for the 502 scenario; null: use the Node stand-in. Default: LAB_NGINX, then PATH. */
  nginx?: string | null;
  /** openssl binary for the certificates; null: no TLS servers. Default: LAB_OPENSSL, then PATH. */
  openssl?: string | null;
  /** Where the lab says which proxy and TLS setup it got; default console.log. */
  log?: (line: string) => void;
}

const DEFAULT_IDLE_MS = 3000;

function idleFromEnv(): number {
  const n = Number(process.env.LAB_IDLE_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_IDLE_MS;
}

/** Answers an upgrade request with a plain HTTP response instead of 101, then hangs up. */
function respondUpgrade(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}, contentType = 'text/plain; charset=utf-8'): void {
  const text = http.STATUS_CODES[status] ?? 'Refused';
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n` +
      'Connection: close\r\n' +
      extra +
      `Content-Type: ${contentType}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}

function refuseUpgrade(socket: Duplex, status: number): void {
  // Only real error statuses: anything else would be a malformed or misleading response.
  const code = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400;
  respondUpgrade(socket, code, `${code} ${http.STATUS_CODES[code] ?? 'Refused'}\n`);
}

/** The binary from an option (null: do not use one), an env variable, or the PATH. */
function binary(option: string | null | undefined, env: string | undefined, name: string): string | undefined {
  if (option === null) return undefined;
  return option ?? (env || undefined) ?? which(name);
}

async function makeCerts(openssl: string | undefined): Promise<{ wss: LabCert; page: LabCert } | { skipped: string }> {
  if (openssl === undefined) return { skipped: 'openssl not found: no TLS servers (tls-self-signed and mixed-content cannot run)' };
  try {
    // Two certificates on purpose: a test browser is told to accept the page's, and the
    // tls-self-signed scenario must still fail, so its certificate has another key.
    const [wss, page] = await Promise.all([
      makeSelfSigned(openssl, '127.0.0.1', 'IP:127.0.0.1'),
      makeSelfSigned(openssl, PAGE_HOST, `DNS:${PAGE_HOST}`),
    ]);
    return { wss, page };
  } catch (err) {
    return { skipped: `openssl at ${openssl} failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('lab: no TCP address'));
      else resolve(address.port);
    });
  });
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const idleMs = opts.idleMs ?? idleFromEnv();
  const log = opts.log ?? ((line: string) => console.log(line));
  const turns = createTurns();
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  const upgrades: Lab['upgrades'] = [];
  const crashes = createCrashSupervisor();
  // ws applies maxPayload per server, so each distinct limit gets its own handshake handler.
  // Same for subprotocol selection, which is a server option too.
  const wssByLimit = new Map<string, WebSocketServer>();
  const wssFor = (maxPayload: number | undefined, selectProtocol: boolean): WebSocketServer => {
    const key = `${maxPayload}|${selectProtocol}`;
    let wss = wssByLimit.get(key);
    if (!wss) {
      wss = new WebSocketServer({
        noServer: true,
        clientTracking: false,
        ...(maxPayload === undefined ? {} : { maxPayload }),
        ...(selectProtocol ? {} : { handleProtocols: () => false as const }),
      });
      wssByLimit.set(key, wss);
    }
    return wss;
  };

  // Filled in once listening; handlers only run after that.
  let config: LabConfig = {
    wsBase: '',
    idleProxyPort: 0,
    idleMs,
    port: 0,
    closedPort: 0,
    proxy: 'node',
    proxyPort: 0,
    idleProxy: 'node',
    nginxIdlePort: 0,
    nginxIdleMs: 0,
    tls: { skipped: 'starting' },
    apps: { skipped: 'starting' },
  };
  let apps: LabApps | undefined;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = async (): Promise<void> => {
      if (url.pathname === '/api/config') return json(res, 200, config);
      if (apps && (await apps.handle(req, res, url))) return;
      if (url.pathname === '/csp.html') {
        // Only connect-src: the page's own inline script must run, its socket to another
        // origin must not. 'self' is not enough to block a same-host ws: in CSP3 browsers
        // (they match ws: to http: 'self'), hence the other host in csp.html.
        res.setHeader('Content-Security-Policy', "connect-src 'self'");
      }
      if (url.pathname === '/api/crash-server') {
        if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
        const q = (name: string, fallback: number): number => {
          const n = Number(url.searchParams.get(name) ?? fallback);
          return Number.isFinite(n) && n >= 0 ? n : fallback;
        };
        // `from=last-message`: the kill comes `after` ms after the child's last message, of `messages`.
        const child = await crashes.spawn(q('after', 300), {
          messages: Math.min(q('messages', 1), 100),
          intervalMs: q('interval', 200),
          fromLastMessage: url.searchParams.get('from') === 'last-message',
        });
        return json(res, 200, child);
      }
      // `?bfcache=1`: served without no-store, so that a page can enter the back/forward cache
      // (e2e/bfcache.spec.ts); the lab's other pages must never be cached.
      return serveStatic(req, res, url.pathname, url.searchParams.get('bfcache') === '1');
    };
    route().catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(err) });
      else res.destroy();
    });
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {
      // Peers vanish mid-handshake in several scenarios; that is data, not a lab failure.
    });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/ws\/([\w-]+)$/.exec(url.pathname);
    // Protocol breakers first: they answer on the raw socket, without `ws` (lab/raw.ts).
    if (match?.[1] && answerRaw(match[1], req, socket)) return;
    upgrades.push({
      path: url.pathname + url.search,
      ...(req.headers['sec-websocket-protocol'] ? { protocol: req.headers['sec-websocket-protocol'] } : {}),
      ...(req.headers.origin ? { origin: req.headers.origin } : {}),
      ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
    });
    if (upgrades.length > 200) upgrades.shift();
    const ctx = { origin: req.headers.origin, turn: turns };
    const plan = match?.[1] ? planUpgrade(match[1], url.searchParams, ctx) : ({ kind: 'refuse', status: 404 } as const);
    if (plan.kind === 'refuse') return refuseUpgrade(socket, plan.status);
    if (plan.kind === 'respond') return respondUpgrade(socket, plan.status, plan.body, plan.headers, plan.contentType);

    wssFor(plan.maxPayload, plan.selectProtocol !== false).handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.once('close', () => clients.delete(ws));
      ws.on('error', () => {
        // ws reports oversized frames etc. here and then closes with the right code
        // (1009 …) by itself; without a listener the error would crash the lab.
      });
      plan.onOpen(ws, socket);
    });
  };

  const serve = (server: http.Server): http.Server => {
    server.on('request', onRequest);
    server.on('upgrade', onUpgrade);
    // Upgraded sockets leave the http server's bookkeeping, so track every TCP connection
    // ourselves: close() must be able to cut all of them for a test process to exit.
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    // A browser that rejects the certificate just hangs up mid-handshake: not a lab failure.
    server.on('tlsClientError', () => {});
    return server;
  };

  const server = serve(http.createServer());
  const port = await listen(server, opts.port ?? 0);

  // The slow parts (key generation, nginx start) side by side.
  const closedPort = await releasedPort();
  const nginx = binary(opts.nginx, process.env.LAB_NGINX, 'nginx');
  const [proxy, badGateway, nginxIdle, certs, appServers] = await Promise.all([
    startIdleProxy({ targetPort: port, idleMs }),
    startBadGatewayProxy(nginx, closedPort),
    startNginxIdleProxy(nginx, port, (ms) => startIdleProxy({ targetPort: port, idleMs: ms })),
    makeCerts(binary(opts.openssl, process.env.LAB_OPENSSL, 'openssl')),
    // Each library on its own: one that fails only skips its scenarios (lab/apps/index.ts).
    startApps(log),
  ]);
  apps = appServers;

  const tlsServers: http.Server[] = [];
  let tls: LabTls;
  if ('skipped' in certs) {
    tls = certs;
  } else {
    const wssServer = serve(https.createServer({ key: certs.wss.key, cert: certs.wss.cert }));
    const pageServer = serve(https.createServer({ key: certs.page.key, cert: certs.page.cert }));
    tlsServers.push(wssServer, pageServer);
    const [wssPort, pagePort] = await Promise.all([listen(wssServer, 0), listen(pageServer, 0)]).catch(async (err: unknown) => {
      // No Lab to close() yet: stop what already runs (nginx above all) before giving up.
      await Promise.all([proxy.close(), badGateway.close(), nginxIdle.close(), appServers.close()]);
      for (const s of [server, wssServer, pageServer]) s.close();
      throw err;
    });
    tls = {
      wssPort,
      pagePort,
      pageSpki: certs.page.spki,
      wssSpki: certs.wss.spki,
      pageHost: PAGE_HOST,
      mixedUrl: `https://${PAGE_HOST}:${pagePort}/mixed.html`,
      chromiumArgs: [`--host-resolver-rules=MAP ${PAGE_HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${certs.page.spki}`],
    };
  }

  config = {
    wsBase: `ws://127.0.0.1:${port}`,
    idleProxyPort: proxy.port,
    idleMs,
    port,
    closedPort,
    proxy: badGateway.kind,
    proxyPort: badGateway.port,
    ...(badGateway.fallbackReason ? { proxyFallback: badGateway.fallbackReason } : {}),
    idleProxy: nginxIdle.kind,
    nginxIdlePort: nginxIdle.port,
    nginxIdleMs: nginxIdle.idleMs,
    ...(nginxIdle.fallbackReason ? { idleProxyFallback: nginxIdle.fallbackReason } : {}),
    tls,
    apps: appServers.config,
  };
  log(
    badGateway.kind === 'nginx'
      ? `lab: bad-gateway-502 through nginx on 127.0.0.1:${badGateway.port} (upstream 127.0.0.1:${closedPort} is closed)`
      : `lab: bad-gateway-502 through the Node stand-in on 127.0.0.1:${badGateway.port}: ${badGateway.fallbackReason}`,
  );
  log(
    nginxIdle.kind === 'nginx'
      ? `lab: nginx-idle through nginx (default timeouts, cuts quiet sockets at 60 s) on 127.0.0.1:${nginxIdle.port}`
      : `lab: nginx-idle through the Node idle proxy (60 s) on 127.0.0.1:${nginxIdle.port}: ${nginxIdle.fallbackReason}`,
  );
  log('skipped' in tls ? `lab: ${tls.skipped}` : `lab: wss (self-signed) on 127.0.0.1:${tls.wssPort}, mixed page ${tls.mixedUrl}`);

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    wsBase: config.wsBase,
    idleProxyPort: proxy.port,
    idleMs,
    config,
    upgrades,
    close() {
      closing ??= (async () => {
        const serversClosed = [server, ...tlsServers].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
        for (const ws of clients) ws.terminate();
        for (const socket of sockets) socket.destroy();
        for (const wss of wssByLimit.values()) wss.close();
        await Promise.all([proxy.close(), badGateway.close(), nginxIdle.close(), crashes.closeAll(), appServers.close(), ...serversClosed]);
      })();
      return closing;
    },
  };
}
