import net from 'node:net';

export interface IdleProxy {
  port: number;
  close(): Promise<void>;
}

export interface IdleProxyOptions {
  targetPort: number;
  idleMs: number;
  port?: number;
}

/**
 * A byte-level TCP proxy that behaves like nginx's proxy_read_timeout or a cloud load
 * balancer: when a connection is quiet for idleMs it is dropped at the TCP level, with no
 * WebSocket close frame, so the browser can only report 1006. It works below HTTP on
 * purpose — it must not understand (or politely close) the WebSocket it carries.
 */
export async function startIdleProxy(opts: IdleProxyOptions): Promise<IdleProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; timer: NodeJS.Timeout }>();

  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: opts.targetPort });
    const cut = (): void => {
      clearTimeout(pair.timer);
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // One timer for the pair: the idle clock of a real proxy counts traffic in either
    // direction, so a chatty server keeps a silent client alive and vice versa.
    const pair = { client, upstream, timer: setTimeout(cut, opts.idleMs) };
    pairs.add(pair);

    const touch = (): void => {
      pair.timer.refresh();
    };
    client.on('data', touch);
    upstream.on('data', touch);
    client.pipe(upstream);
    upstream.pipe(client);

    // Either side failing or ending means the tunnel is gone; tearing both down mirrors
    // what a proxy does and keeps half-open sockets from outliving the test.
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', cut);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('idle proxy: no TCP address');

  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of [...pairs]) {
          clearTimeout(pair.timer);
          pair.client.destroy();
          pair.upstream.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      }),
  };
}
