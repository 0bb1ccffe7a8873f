/**
 * A real MQTT broker (aedes) over WebSocket, as aedes' docs/Examples.md "MQTT server over
 * WebSocket" does it: a `ws` server whose sockets become streams (ws.createWebSocketStream) that
 * aedes handles. The page's clients ask for keepalive 1 s, so PINGREQ/PINGRESP flow every second.
 *
 * authenticate refuses the password "wrong": aedes answers a plain refusal with CONNACK return
 * code 5, "not authorized" (lib/handlers/connect.js; MQTT 3.1.1 §3.2.2.3), then closes.
 */
import http from 'node:http';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { listenTracked, type AppServer } from './common.ts';

export const MQTT_BAD_PASSWORD = 'wrong';

export async function startMqtt(): Promise<AppServer> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker({
    authenticate: (_client, _username, password, done) => done(null, password?.toString() !== MQTT_BAD_PASSWORD),
  });
  const httpServer = http.createServer();
  // MQTT over WebSocket uses the "mqtt" subprotocol (MQTT 3.1.1 §6): ws selects it from the offer.
  const wss = new WebSocketServer({ server: httpServer, path: '/mqtt' });
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    const stream = createWebSocketStream(ws);
    stream.on('error', () => {});
    broker.handle(stream);
  });
  const listening = await listenTracked(httpServer);
  return {
    port: listening.port,
    path: '/mqtt',
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await Promise.all([
        new Promise<void>((resolve) => broker.close(() => resolve())),
        new Promise<void>((resolve) => wss.close(() => resolve())),
        listening.close(),
      ]);
    },
  };
}
