import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCrashSupervisor } from './crash.ts';
import { startIdleProxy } from './idle-proxy.ts';
import { planUpgrade } from './scenarios.ts';
import { serveStatic } from './static.ts';

export interface Lab {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** ws://127.0.0.1:PORT */
  wsBase: string;
  /** A TCP proxy in front of this lab that cuts connections quiet for idleMs. */
  idleProxyPort: number;
  idleMs: number;
  close(): Promise<void>;
}

export interface LabOptions {
  port?: number;
  /** Idle cut of the proxy; defaults to env LAB_IDLE_MS, then 3000 ms. */
  idleMs?: number;
}

const DEFAULT_IDLE_MS = 3000;

function idleFromEnv(): number {
  const n = Number(process.env.LAB_IDLE_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_IDLE_MS;
}

function refuseUpgrade(socket: Duplex, status: number): void {
  // Only real error statuses: anything else would be a malformed or misleading response.
  const code = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400;
  const text = http.STATUS_CODES[code] ?? 'Refused';
  const body = `${code} ${text}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${code} ${text}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
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
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  const crashes = createCrashSupervisor();
  // ws applies maxPayload per server, so each distinct limit gets its own handshake handler.
  const wssByLimit = new Map<number | undefined, WebSocketServer>();
  const wssFor = (maxPayload: number | undefined): WebSocketServer => {
    let wss = wssByLimit.get(maxPayload);
    if (!wss) {
      wss = new WebSocketServer({ noServer: true, clientTracking: false, ...(maxPayload === undefined ? {} : { maxPayload }) });
      wssByLimit.set(maxPayload, wss);
    }
    return wss;
  };

  // Filled in once listening; handlers only run after that.
  let config = { wsBase: '', idleProxyPort: 0, idleMs };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = async (): Promise<void> => {
      if (url.pathname === '/api/config') return json(res, 200, config);
      if (url.pathname === '/api/crash-server') {
        if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
        const after = Number(url.searchParams.get('after') ?? 300);
        const child = await crashes.spawn(Number.isFinite(after) && after >= 0 ? after : 300);
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
  });

  // Upgraded sockets leave the http server's bookkeeping, so track every TCP connection
  // ourselves: close() must be able to cut all of them for a test process to exit.
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {
      // Peers vanish mid-handshake in several scenarios; that is data, not a lab failure.
    });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/ws\/([\w-]+)$/.exec(url.pathname);
    const plan = match?.[1] ? planUpgrade(match[1], url.searchParams) : ({ kind: 'refuse', status: 404 } as const);
    if (plan.kind === 'refuse') return refuseUpgrade(socket, plan.status);

    wssFor(plan.maxPayload).handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.once('close', () => clients.delete(ws));
      ws.on('error', () => {
        // ws reports oversized frames etc. here and then closes with the right code
        // (1009 …) by itself; without a listener the error would crash the lab.
      });
      plan.onOpen(ws, socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('lab: no TCP address');
  const port = address.port;

  const proxy = await startIdleProxy({ targetPort: port, idleMs });
  config = { wsBase: `ws://127.0.0.1:${port}`, idleProxyPort: proxy.port, idleMs };

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    wsBase: config.wsBase,
    idleProxyPort: proxy.port,
    idleMs,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const ws of clients) ws.terminate();
        for (const socket of sockets) socket.destroy();
        for (const wss of wssByLimit.values()) wss.close();
        await Promise.all([proxy.close(), crashes.closeAll(), serverClosed]);
      })();
      return closing;
    },
  };
}
