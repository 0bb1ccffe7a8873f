/**
 * A real Socket.IO v4 server (the `socket.io` package) for the socketio-normal and
 * socketio-kicked scenarios, on its own 127.0.0.1 port: the lab's own upgrade handler refuses
 * every path but /ws/<name>, and Socket.IO wants /socket.io/ for itself.
 *
 * The page picks the scenario in the handshake's `auth` payload ({scenario: 'kicked'}), which
 * Socket.IO v4 sends in the namespace CONNECT packet (socket.io-protocol v5).
 */
import http from 'node:http';
import { listenTracked, timers, type AppServer } from './common.ts';

/**
 * Short Engine.IO heartbeat: the server PINGs every second and the client gives up when no
 * PING came for pingInterval + pingTimeout (engine.io-client's resetPingTimeout), so a few
 * seconds of traffic already show heartbeats.
 */
export const SIO_PING_INTERVAL_MS = 1000;
export const SIO_PING_TIMEOUT_MS = 1500;

/** Chat events after which the kicked scenario's server calls socket.disconnect(true). */
const KICK_AFTER = 3;

export async function startSocketIo(): Promise<AppServer> {
  const { Server } = await import('socket.io');
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    // WebSocket only, as the page asks: the socket is the WebSocket from the first byte.
    transports: ['websocket'],
    pingInterval: SIO_PING_INTERVAL_MS,
    pingTimeout: SIO_PING_TIMEOUT_MS,
    serveClient: false,
  });
  const t = timers();
  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as { scenario?: unknown };
    const kicked = auth.scenario === 'kicked';
    let chats = 0;
    socket.emit('welcome', { id: socket.id, scenario: kicked ? 'kicked' : 'normal' });
    socket.on('chat', (text: unknown, ack?: (reply: unknown) => void) => {
      chats++;
      ack?.({ ok: true, n: chats, echo: text });
      socket.emit('news', { n: chats });
      // true: close the underlying connection too, not only leave the namespace; the client
      // then reports "io server disconnect" and does not reconnect by itself.
      if (kicked && chats === KICK_AFTER) t.after(100, () => socket.disconnect(true));
    });
    socket.on('blob', (data: unknown, ack?: (reply: unknown) => void) => {
      const size = data instanceof Buffer ? data.byteLength : -1;
      ack?.({ bytes: size });
      // Binary back as well: an Engine.IO binary attachment in the other direction.
      socket.emit('blob', Buffer.from([0xca, 0xfe, 0xba, 0xbe]));
    });
  });
  const listening = await listenTracked(httpServer);
  return {
    port: listening.port,
    path: '/socket.io/',
    async close() {
      t.clear();
      io.disconnectSockets(true);
      await Promise.all([new Promise<void>((resolve) => io.close(() => resolve())), listening.close()]);
    },
  };
}
