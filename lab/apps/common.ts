import http from 'node:http';
import type { Socket } from 'node:net';

/** Where one protocol server listens, or why the lab has none (its scenario then reports that). */
export type AppEndpoint = { port: number; path: string } | { skipped: string };

export interface AppServer {
  port: number;
  /** The URL path the client library connects to. */
  path: string;
  close(): Promise<void>;
}

/**
 * An http server on 127.0.0.1, port chosen by the OS, whose every TCP connection is tracked:
 * upgraded sockets leave the http server's bookkeeping, and close() must cut them all for the
 * lab's process to be able to exit.
 */
export async function listenTracked(server: http.Server): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('lab app: no TCP address'));
      else resolve(address.port);
    });
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

/** A timer that the server's close() clears, so closing the lab leaves nothing scheduled. */
export function timers(): { after(ms: number, fn: () => void): void; every(ms: number, fn: () => void): () => void; clear(): void } {
  const live = new Set<NodeJS.Timeout>();
  return {
    after(ms, fn) {
      const t = setTimeout(() => {
        live.delete(t);
        fn();
      }, ms);
      live.add(t);
    },
    every(ms, fn) {
      const t = setInterval(fn, ms);
      live.add(t);
      return () => {
        clearInterval(t);
        live.delete(t);
      };
    },
    clear() {
      for (const t of live) clearTimeout(t);
      live.clear();
    },
  };
}
