import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/**
 * What to do with an upgrade request, decided before the handshake so that refusals are
 * real HTTP refusals (the browser then reports 1006 without ever opening).
 */
export type UpgradePlan =
  | { kind: 'refuse'; status: number }
  /** A complete HTTP answer in place of the 101: status, extra headers and a body. */
  | { kind: 'respond'; status: number; headers?: Record<string, string>; contentType?: string; body: string }
  | {
      kind: 'accept';
      maxPayload?: number;
      /** false: complete the handshake without selecting any of the offered subprotocols. */
      selectProtocol?: false;
      onOpen(ws: WebSocket, socket: Duplex): void;
    };

/** What a plan may know about the request and the lab beyond the URL. */
export interface PlanContext {
  /** The request's Origin header, if any. */
  origin?: string;
  /** 1 for the first upgrade request carrying this key, 2 for the second, and so on. */
  turn(key: string): number;
}

/**
 * Origins the `forbidden-403` endpoint accepts. The lab's own page is never among them: that
 * endpoint exists to show an Origin check refusing the page, with the body saying why.
 */
export const ALLOWED_ORIGINS: readonly string[] = ['https://app.example.com'];

/** An app's HTML fallback: what a SPA server or a misrouted proxy returns for any unknown path. */
export const HTML_FALLBACK =
  '<!doctype html>\n<html><head><meta charset="utf-8"><title>Lab app</title></head>\n' +
  '<body><div id="app"></div><script src="/assets/app.js"></script></body></html>\n';

/** Remembers upgrade requests per key, oldest forgotten first, so the map cannot grow forever. */
export function createTurns(limit = 1000): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.delete(key);
    seen.set(key, n);
    if (seen.size > limit) {
      const oldest = seen.keys().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
    return n;
  };
}

const noContext: PlanContext = { turn: () => 1 };

// Large enough to keep the socket busy, small enough that a slow reader makes us wait
// instead of buffering the whole flood in memory.
const FLOOD_HIGH_WATER = 1 << 20;

function num(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** A timer that dies with the socket, so closing the lab leaves nothing scheduled. */
function later(ws: WebSocket, ms: number, fn: () => void): void {
  const t = setTimeout(fn, ms);
  ws.once('close', () => clearTimeout(t));
}

function closeLater(ws: WebSocket, ms: number, code: number, reason: string): void {
  // Inbound traffic first, so tools see a socket that did something before it ended.
  ws.send(JSON.stringify({ hello: 'close', willCloseWith: { code, reason, afterMs: ms } }));
  later(ws, ms, () => {
    try {
      ws.close(code, reason);
    } catch (err) {
      // ws refuses codes that are illegal on the wire; say so instead of hanging forever.
      ws.close(1011, `lab cannot send code ${code}: ${(err as Error).message}`.slice(0, 123));
    }
  });
}

async function flood(ws: WebSocket, count: number, size: number, binary: boolean): Promise<void> {
  const payload = binary ? Buffer.alloc(size, 0x61) : 'x'.repeat(size);
  for (let i = 0; i < count; i++) {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > FLOOD_HIGH_WATER) {
      // The send callback fires once this frame (and so all before it) reached the kernel,
      // or with an error when the socket dies, so this cannot wait forever.
      await new Promise<void>((resolve) => ws.send(payload, { binary }, () => resolve()));
    } else {
      ws.send(payload, { binary });
    }
  }
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ done: true }));
}

/**
 * `count` text messages at `rate` per second, each stamped with the server's send time
 * (`{"i":<index>,"ts":<Date.now()>}` plus `size` bytes of padding), then `{"done":true}`. With
 * `wait=1` it starts on the client's first message, so a benchmark can get the panel ready
 * first. Used by bench/panel.bench.ts to measure end-to-end latency (server send → panel).
 * With `app=socketio` the same stamps travel as Socket.IO: an Engine.IO open packet first, then
 * `42["tick",{…}]` events and `42["done",{…}]`, so the panel decodes every one.
 */
function paced(ws: WebSocket, count: number, rate: number, size: number, wait: boolean, socketio = false): void {
  const pad = size > 0 ? `,"pad":"${'x'.repeat(size)}"` : '';
  const frame = (event: string, body: string): string => (socketio ? `42["${event}",${body}]` : body);
  if (socketio) ws.send('0{"sid":"paced","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
  let sent = 0;
  let t0 = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  ws.once('close', () => clearTimeout(timer));
  const tick = (): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    // Catch up on whatever the timer's lateness owes: the rate holds on average, in bursts of
    // about a millisecond's worth (setTimeout's floor).
    const due = Math.min(count, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    while (sent < due) ws.send(frame('tick', `{"i":${sent++},"ts":${Date.now()}${pad}}`));
    if (sent < count) timer = setTimeout(tick, 1);
    else ws.send(frame('done', JSON.stringify({ done: true, count })));
  };
  const start = (): void => {
    t0 = performance.now();
    tick();
  };
  if (wait) ws.once('message', start);
  else start();
}

export function planUpgrade(name: string, params: URLSearchParams, ctx: PlanContext = noContext): UpgradePlan {
  const after = num(params, 'after', 200);
  switch (name) {
    // ---- handshake failures: each answers the upgrade the way a real server class does ----
    case 'auth-401':
      return {
        kind: 'respond',
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer realm="lab", error="invalid_token"' },
        body: 'invalid or expired token\n',
      };
    case 'forbidden-403': {
      const origin = ctx.origin ?? '(none)';
      if (ALLOWED_ORIGINS.includes(origin)) return { kind: 'accept', onOpen: (ws) => closeLater(ws, after, 1000, 'origin allowed') };
      return {
        kind: 'respond',
        status: 403,
        body: `Origin ${origin} is not on this server's allow-list (${ALLOWED_ORIGINS.join(', ')})\n`,
      };
    }
    case 'not-found-404':
      return { kind: 'respond', status: 404, body: `No WebSocket endpoint at /ws/${name}\n` };
    case 'html-200':
      return { kind: 'respond', status: 200, contentType: 'text/html; charset=utf-8', body: HTML_FALLBACK };
    case 'upgrade-426':
      return {
        kind: 'respond',
        status: 426,
        headers: { 'Sec-WebSocket-Version': '13', Upgrade: 'websocket' },
        body: 'This endpoint speaks WebSocket version 13 only\n',
      };
    case 'rate-429':
      return { kind: 'respond', status: 429, headers: { 'Retry-After': '30' }, body: 'Too many connections from this client\n' };
    case 'unavailable-503':
      return { kind: 'respond', status: 503, headers: { 'Retry-After': '120' }, body: 'Down for maintenance\n' };
    case 'server-500':
      return { kind: 'respond', status: 500, body: 'Internal Server Error\n' };
    case 'subprotocol':
      // The page asks for lab.v2; a server that speaks none of the offered protocols and still
      // accepts is legal on its side, but the browser must then fail the connection.
      return { kind: 'accept', selectProtocol: false, onOpen: (ws) => closeLater(ws, after, 1000, 'no protocol') };
    case 'same-ms-pair': {
      // Keyed on a value unique per page run, so every run starts again with a refusal.
      if (ctx.turn(`same-ms-pair:${params.get('pair') ?? ''}`) === 1) {
        return { kind: 'respond', status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="lab"' }, body: 'first of the pair\n' };
      }
      return { kind: 'accept', onOpen: (ws) => later(ws, 300, () => ws.close(1000, 'second of the pair')) };
    }
    // ---- closes after a successful handshake ----
    case 'echo':
      return {
        kind: 'accept',
        onOpen(ws) {
          ws.send(JSON.stringify({ hello: 'echo' }));
          ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
          const interval = num(params, 'interval', 0);
          if (interval > 0) {
            let tick = 0;
            const t = setInterval(() => ws.send(JSON.stringify({ tick: ++tick, at: Date.now() })), interval);
            ws.once('close', () => clearInterval(t));
          }
        },
      };
    case 'close':
      return {
        kind: 'accept',
        onOpen: (ws) => closeLater(ws, after, num(params, 'code', 1011), params.get('reason') ?? 'boom'),
      };
    case 'shutdown':
      return { kind: 'accept', onOpen: (ws) => closeLater(ws, after, 1001, 'server shutting down') };
    case 'destroy':
      return {
        kind: 'accept',
        onOpen(ws, socket) {
          ws.send(JSON.stringify({ hello: 'destroy', afterMs: after }));
          // The raw socket, not ws.close(): the point is a connection that ends with no close frame.
          later(ws, after, () => socket.destroy());
        },
      };
    case 'refuse':
      return { kind: 'refuse', status: num(params, 'status', 403) };
    case 'limit':
      return {
        kind: 'accept',
        maxPayload: num(params, 'max', 1024),
        onOpen(ws) {
          const send = num(params, 'send', 0);
          if (send > 0) ws.send('x'.repeat(send));
        },
      };
    case 'idle':
      return { kind: 'accept', onOpen: () => {} };
    case 'flood':
      return {
        kind: 'accept',
        onOpen(ws) {
          void flood(ws, num(params, 'count', 1000), num(params, 'size', 16), params.get('binary') === '1');
        },
      };
    case 'paced':
      return {
        kind: 'accept',
        onOpen(ws) {
          paced(ws, num(params, 'count', 1000), Math.max(1, num(params, 'rate', 1000)), num(params, 'size', 0), params.get('wait') === '1', params.get('app') === 'socketio');
        },
      };
    default:
      return { kind: 'refuse', status: 404 };
  }
}
