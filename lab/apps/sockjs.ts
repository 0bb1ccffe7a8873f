/**
 * A real SockJS server (the `sockjs` package) for the sockjs-close scenario, on its own
 * 127.0.0.1 port under /sockjs. heartbeat_delay is short (the default is 25 s) so that
 * heartbeats show up within the scenario. Over a native WebSocket, sockjs-node 0.3 does not
 * send the SockJS `h` frame but a WebSocket ping (lib/trans-websocket.js heartbeat: `h` only
 * when ping is unsupported) and closes 3000 "No response from heartbeat" without a pong in 10 s;
 * the browser answers pings itself, so page scripts never see these heartbeats.
 *
 * conn.close(3000, 'Go away!') is the example close of the SockJS protocol tests
 * (sockjs-protocol, "close" frame `c[3000,"Go away!"]`): the server sends that frame inside the
 * WebSocket, and the WebSocket's own close code says nothing about it.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Server as SockjsServer } from 'sockjs';
import { listenTracked, timers, type AppServer } from './common.ts';

export const SOCKJS_HEARTBEAT_MS = 500;

export async function startSockjs(): Promise<AppServer> {
  // CommonJS, and its types only describe `createServer`: require keeps it simple.
  const sockjs = createRequire(import.meta.url)('sockjs') as typeof import('sockjs');
  const server: SockjsServer = sockjs.createServer({
    prefix: '/sockjs',
    heartbeat_delay: SOCKJS_HEARTBEAT_MS,
    // Silence its per-request log lines in the lab's console.
    log: () => {},
  });
  const t = timers();
  server.on('connection', (conn) => {
    if (!conn) return;
    let n = 0;
    const stop = t.every(200, () => {
      n++;
      conn.write(JSON.stringify({ n }));
      if (n === 3) {
        stop();
        // After a couple of heartbeats, so they are part of what the page saw.
        // A number: sockjs writes the code with JSON.stringify into the `c` frame, and the
        // protocol's frame carries a number (@types/sockjs says string).
        t.after(1200, () => conn.close(3000 as unknown as string, 'Go away!'));
      }
    });
    conn.on('data', (data: string) => conn.write(JSON.stringify({ echo: data })));
    conn.on('close', stop);
  });
  const httpServer = http.createServer();
  server.installHandlers(httpServer);
  const listening = await listenTracked(httpServer);
  return {
    port: listening.port,
    path: '/sockjs',
    async close() {
      t.clear();
      await listening.close();
    },
  };
}
