/**
 * A Socket.IO v4 server in its own process, so that the lab can freeze it with SIGSTOP
 * (lab/apps/sio-frozen.ts): a hung backend whose TCP connections stay open (the kernel still
 * ACKs) but that never sends another Engine.IO PING. Only the client's own heartbeat timer can
 * then tell it is gone: engine.io-client closes with "ping timeout" after pingInterval +
 * pingTimeout without a PING.
 *
 * Protocol with the parent, one JSON object per stdout line:
 *   {"port": N}            once listening
 *   {"event":"connection"} for every client
 *   {"event":"chat","n":N} after acknowledging a client's N-th chat event
 *
 * SIO_PING_INTERVAL_MS / SIO_PING_TIMEOUT_MS set the heartbeat.
 */
import http from 'node:http';
import { Server } from 'socket.io';

const say = (msg: object): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

const ms = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

const httpServer = http.createServer();
const io = new Server(httpServer, {
  transports: ['websocket'],
  pingInterval: ms('SIO_PING_INTERVAL_MS', 1000),
  pingTimeout: ms('SIO_PING_TIMEOUT_MS', 1500),
  serveClient: false,
});

io.on('connection', (socket) => {
  say({ event: 'connection' });
  let n = 0;
  socket.emit('welcome', { pid: process.pid });
  socket.on('chat', (text: unknown, ack?: (reply: unknown) => void) => {
    n++;
    ack?.({ ok: true, n, echo: text });
    say({ event: 'chat', n });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('sio child: no TCP address');
  say({ port: address.port });
});

// The parent keeps our stdin open; when it goes away (even by being killed itself) stdin ends
// and we follow instead of lingering as an orphan holding a port.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
