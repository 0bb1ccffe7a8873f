/**
 * An Action Cable stand-in: a `ws` server that speaks the wire format of Rails' Action Cable
 * server byte for byte, for the actioncable-unauthorized scenario (Rails itself cannot run
 * here). From the Rails sources (github.com/rails/rails):
 *   - actioncable/lib/action_cable.rb, INTERNAL: the message types (welcome, disconnect, ping,
 *     confirm_subscription, reject_subscription), the disconnect reasons (unauthorized, …) and
 *     the subprotocols ["actioncable-v1-json", "actioncable-unsupported"];
 *   - actioncable/lib/action_cable/connection/base.rb: `{"type":"welcome"}` on open, `beat`
 *     sends `{"type":"ping","message":<Time.now.to_i>}`, and `close(reason:, reconnect:)`
 *     transmits `{"type":"disconnect","reason":…,"reconnect":…}` and then closes the socket
 *     (websocket-driver's default close: 1000, no reason);
 *   - actioncable/lib/action_cable/server/connections.rb: BEAT_INTERVAL = 3 (seconds);
 *   - actioncable/lib/action_cable/channel/base.rb: a subscription is confirmed with
 *     `{"identifier":…,"type":"confirm_subscription"}`, and broadcasts arrive as
 *     `{"identifier":…,"message":…}`.
 * The same constants are in the client, @rails/actioncable's INTERNAL.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenTracked, timers, type AppServer } from './common.ts';

const PROTOCOL = 'actioncable-v1-json';
const BEAT_INTERVAL_MS = 3000;
/** After the confirmation: long enough for one ping to land before the disconnect. */
const DISCONNECT_AFTER_MS = 3500;

export async function startActionCable(): Promise<AppServer> {
  const httpServer = http.createServer();
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/cable',
    // websocket-driver picks the first protocol the client offers that the server supports.
    handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
  });
  const t = timers();
  const transmit = (ws: WebSocket, msg: object): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    transmit(ws, { type: 'welcome' });
    // Rails beats all connections from one server-wide timer; per socket is the same on the wire.
    const stopBeat = t.every(BEAT_INTERVAL_MS, () => transmit(ws, { type: 'ping', message: Math.floor(Date.now() / 1000) }));
    ws.once('close', stopBeat);
    ws.on('message', (raw) => {
      let data: { command?: unknown; identifier?: unknown };
      try {
        data = JSON.parse(String(raw)) as typeof data;
      } catch {
        return;
      }
      if (data.command !== 'subscribe' || typeof data.identifier !== 'string') return;
      const identifier = data.identifier;
      transmit(ws, { identifier, type: 'confirm_subscription' });
      t.after(200, () => transmit(ws, { identifier, message: { body: 'hello from the channel' } }));
      // What a connection whose user lost access gets: the app calls
      // `connection.close(reason: :unauthorized, reconnect: false)`.
      t.after(DISCONNECT_AFTER_MS, () => {
        transmit(ws, { type: 'disconnect', reason: 'unauthorized', reconnect: false });
        if (ws.readyState === ws.OPEN) ws.close(1000);
      });
    });
  });
  const listening = await listenTracked(httpServer);
  return {
    port: listening.port,
    path: '/cable',
    async close() {
      t.clear();
      for (const ws of wss.clients) ws.terminate();
      await Promise.all([new Promise<void>((resolve) => wss.close(() => resolve())), listening.close()]);
    },
  };
}
