/**
 * The lab's servers of WebSocket application protocols — Socket.IO, STOMP, SockJS, Action Cable,
 * graphql-ws and MQTT — each on its own 127.0.0.1 port (chosen by the OS, published in
 * /api/config `apps`), plus the vendor routes that serve the real client libraries' browser
 * bundles to the page, and /api/socketio-frozen, which spawns a Socket.IO server the lab freezes.
 *
 * Each library is loaded when the lab starts, apart from the others: one that fails to load or
 * listen makes its scenario report why (`{skipped}`), and the lab starts all the same.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AppEndpoint, AppServer } from './common.ts';
import { createFreezeSupervisor } from './sio-frozen.ts';

const APPS = {
  socketio: () => import('./socketio.ts').then((m) => m.startSocketIo()),
  stomp: () => import('./stomp.ts').then((m) => m.startStomp()),
  sockjs: () => import('./sockjs.ts').then((m) => m.startSockjs()),
  actioncable: () => import('./actioncable.ts').then((m) => m.startActionCable()),
  graphql: () => import('./graphql.ts').then((m) => m.startGraphql()),
  mqtt: () => import('./mqtt.ts').then((m) => m.startMqtt()),
} satisfies Record<string, () => Promise<AppServer>>;

export type AppName = keyof typeof APPS;
export type AppsConfig = Record<AppName, AppEndpoint>;

/**
 * Only these files of node_modules are served, each under an explicit name: the browser
 * bundles (UMD, classic scripts) of the client libraries, which the page loads on demand.
 */
const VENDOR: Record<string, string> = {
  '/vendor/socket.io.min.js': 'socket.io-client/dist/socket.io.min.js',
  '/vendor/stomp.umd.min.js': '@stomp/stompjs/bundles/stomp.umd.min.js',
  '/vendor/sockjs.min.js': 'sockjs-client/dist/sockjs.min.js',
  '/vendor/actioncable.js': '@rails/actioncable/app/assets/javascripts/actioncable.js',
  '/vendor/graphql-ws.min.js': 'graphql-ws/umd/graphql-ws.min.js',
  '/vendor/mqtt.min.js': 'mqtt/dist/mqtt.min.js',
  '/vendor/reconnecting-websocket.min.js': 'reconnecting-websocket/dist/reconnecting-websocket-iife.min.js',
};

const require = createRequire(import.meta.url);

/**
 * The absolute file behind a vendor route, or null. Looked up in the node_modules folders Node
 * would search from here (require.resolve.paths), not through the packages' `exports`, which
 * do not list several of these files (nor package.json, for @stomp/stompjs).
 */
function vendorFile(pathname: string): string | null {
  const rel = VENDOR[pathname];
  if (rel === undefined) return null;
  for (const dir of require.resolve.paths(rel) ?? []) {
    const file = path.join(dir, rel);
    if (existsSync(file)) return file;
  }
  return null;
}

export interface LabApps {
  config: AppsConfig;
  /** true when it answered the request (vendor files, /api/socketio-frozen). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean>;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

export async function startApps(log: (line: string) => void = () => {}): Promise<LabApps> {
  const names = Object.keys(APPS) as AppName[];
  const started = await Promise.all(
    names.map((name) =>
      APPS[name]().then(
        (server) => ({ name, server }),
        (err: unknown) => ({ name, skipped: `${name} server did not start: ${String((err as Error)?.message ?? err).split('\n')[0]}` }),
      ),
    ),
  );
  const servers: AppServer[] = [];
  const config = {} as AppsConfig;
  for (const s of started) {
    if ('server' in s) {
      servers.push(s.server);
      config[s.name] = { port: s.server.port, path: s.server.path };
    } else {
      config[s.name] = { skipped: s.skipped };
      log(`lab: ${s.skipped}`);
    }
  }
  const frozen = createFreezeSupervisor();
  return {
    config,
    async handle(req, res, url) {
      if (url.pathname === '/api/socketio-frozen') {
        if (req.method !== 'POST') {
          send(res, 405, 'application/json; charset=utf-8', JSON.stringify({ error: 'POST only' }));
          return true;
        }
        const q = (name: string): number | undefined => {
          const n = Number(url.searchParams.get(name) ?? NaN);
          return Number.isFinite(n) && n >= 0 ? n : undefined;
        };
        const child = await frozen.spawn({ freezeAfter: q('after'), frozenMs: q('frozen') });
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify(child));
        return true;
      }
      const file = vendorFile(url.pathname);
      if (file === null) return false;
      const body = await readFile(file).catch(() => null);
      if (body === null) send(res, 404, 'text/plain; charset=utf-8', `${url.pathname}: the client library is not installed\n`);
      else send(res, 200, 'text/javascript; charset=utf-8', body);
      return true;
    },
    async close() {
      await Promise.all([frozen.closeAll(), ...servers.map((s) => s.close())]);
    },
  };
}
