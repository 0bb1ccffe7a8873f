/**
 * A real STOMP broker, the `stomp-broker-js` package (its own `ws` server on /stomp), for the
 * stomp-error scenario. It negotiates heart-beats in one direction: when the client offers to
 * send them it answers CONNECTED `heart-beat:0,<ms>` and closes a client that stays quiet
 * longer than that plus its error margin (stompServer.js heartbeatOn). It speaks STOMP 1.1 in
 * CONNECTED whatever the client offers.
 *
 * The failure is the usual broker answer to a forbidden destination: an ERROR frame
 * (`message:` header plus a body, STOMP 1.2 "ERROR"), then the broker closes the connection,
 * as the specification says a server must after an ERROR
 * (https://stomp.github.io/stomp-specification-1.2.html#ERROR). stomp-broker-js has no
 * authorisation of its own: a `send` middleware sends its ERROR frame (lib/stomp.js
 * ServerFrame.ERROR) and closes the socket.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { listenTracked, timers, type AppServer } from './common.ts';

export const STOMP_FORBIDDEN = '/queue/forbidden';
/** The client must beat at least this often; the broker closes it past this plus 1 s. */
const STOMP_HEARTBEAT_MS = 1000;

/** The parts of the untyped CommonJS package the lab uses. */
interface BrokerSocket {
  readyState: number;
  send(data: string): void;
  close(): void;
}
interface StompBroker {
  socket: { close(cb?: () => void): void; clients?: Set<{ terminate(): void }> };
  addMiddleware(command: 'send', handler: (socket: BrokerSocket, args: { dest: string }, next: () => unknown) => unknown): void;
  send(topic: string, headers: Record<string, string>, body: string): void;
  on(event: 'error', handler: (err: unknown) => void): void;
  on(event: 'subscribe', handler: (sub: { topic: string }) => void): void;
}
type StompBrokerCtor = new (config: { server: http.Server; path: string; heartbeat: [number, number]; heartbeatErrorMargin: number }) => StompBroker;
interface ServerFrames {
  ERROR(socket: BrokerSocket, message: string, description: string): void;
}

export async function startStomp(): Promise<AppServer> {
  const require = createRequire(import.meta.url);
  const StompServer = require('stomp-broker-js') as StompBrokerCtor;
  const { ServerFrame } = require('stomp-broker-js/lib/stomp') as { ServerFrame: ServerFrames };
  const httpServer = http.createServer();
  const broker = new StompServer({
    server: httpServer,
    path: '/stomp',
    heartbeat: [STOMP_HEARTBEAT_MS, STOMP_HEARTBEAT_MS],
    heartbeatErrorMargin: 1000,
  });
  broker.on('error', () => {
    // A client vanishing is data here, not a lab failure.
  });
  const t = timers();
  broker.on('subscribe', (sub) => {
    // Something to receive before the failure: two messages to whoever subscribes.
    for (const n of [1, 2]) t.after(100 * n, () => broker.send(sub.topic, { 'content-type': 'text/plain' }, `hello ${n}`));
  });
  broker.addMiddleware('send', (socket, args, next) => {
    if (args.dest !== STOMP_FORBIDDEN) return next();
    ServerFrame.ERROR(socket, 'Access denied', `You may not send to ${STOMP_FORBIDDEN}\n`);
    // Close right after the ERROR frame, as brokers do (RabbitMQ, ActiveMQ): the frame is queued
    // before the close frame, so the client still reads it.
    socket.close();
    return false;
  });
  const listening = await listenTracked(httpServer);
  return {
    port: listening.port,
    path: '/stomp',
    async close() {
      t.clear();
      for (const c of broker.socket.clients ?? []) c.terminate();
      await Promise.all([new Promise<void>((resolve) => broker.socket.close(() => resolve())), listening.close()]);
    },
  };
}
