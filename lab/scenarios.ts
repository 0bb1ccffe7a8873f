import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/**
 * What to do with an upgrade request, decided before the handshake so that refusals are
 * real HTTP refusals (the browser then reports 1006 without ever opening).
 */
export type UpgradePlan =
  | { kind: 'refuse'; status: number }
  | { kind: 'accept'; maxPayload?: number; onOpen(ws: WebSocket, socket: Duplex): void };

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
 */
function paced(ws: WebSocket, count: number, rate: number, size: number, wait: boolean): void {
  const pad = size > 0 ? `,"pad":"${'x'.repeat(size)}"` : '';
  let sent = 0;
  let t0 = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  ws.once('close', () => clearTimeout(timer));
  const tick = (): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    // Catch up on whatever the timer's lateness owes: the rate holds on average, in bursts of
    // about a millisecond's worth (setTimeout's floor).
    const due = Math.min(count, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    while (sent < due) ws.send(`{"i":${sent++},"ts":${Date.now()}${pad}}`);
    if (sent < count) timer = setTimeout(tick, 1);
    else ws.send(JSON.stringify({ done: true, count }));
  };
  const start = (): void => {
    t0 = performance.now();
    tick();
  };
  if (wait) ws.once('message', start);
  else start();
}

export function planUpgrade(name: string, params: URLSearchParams): UpgradePlan {
  const after = num(params, 'after', 200);
  switch (name) {
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
          paced(ws, num(params, 'count', 1000), Math.max(1, num(params, 'rate', 1000)), num(params, 'size', 0), params.get('wait') === '1');
        },
      };
    default:
      return { kind: 'refuse', status: 404 };
  }
}
