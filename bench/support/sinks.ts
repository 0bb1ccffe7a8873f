// WebSocket servers that accept and discard, on several ports of 127.0.0.1. Chromium admits one
// pending WebSocket handshake per endpoint at a time (RFC 6455 §4.1): opening 1,000 sockets to
// one port takes ~20–40 ms each, in sequence. With several ports, that many open at once.
import http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';

export interface Sinks {
  /** ws://127.0.0.1:PORT, one per server. */
  urls: string[];
  close(): Promise<void>;
}

export async function startSinks(count: number): Promise<Sinks> {
  const servers: Array<{ server: http.Server; wss: WebSocketServer; sockets: Set<Socket> }> = [];
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const sockets = new Set<Socket>();
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on('connection', (s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    const wss = new WebSocketServer({ server, clientTracking: false });
    wss.on('connection', (ws) => ws.on('error', () => undefined));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('sinks: no TCP address');
    urls.push(`ws://127.0.0.1:${address.port}`);
    servers.push({ server, wss, sockets });
  }
  return {
    urls,
    async close() {
      await Promise.all(
        servers.map(({ server, wss, sockets }) => {
          for (const s of sockets) s.destroy();
          wss.close();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
    },
  };
}
