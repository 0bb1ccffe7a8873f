import net from 'node:net';

function listenOnce(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A 127.0.0.1 port nobody listens on: bound by the kernel's choice, noted, released. Used both
 * as a free port for a child (nginx) to take and as a port that refuses connections. Not a
 * fixed low port such as 1: Chromium blocks those as unsafe ports before any TCP attempt, which
 * is a different failure (ERR_UNSAFE_PORT) from the refused connection the scenarios want.
 */
export async function releasedPort(): Promise<number> {
  const server = await listenOnce();
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('releasedPort: no TCP address');
  return address.port;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after timeoutMs. */
export async function waitForListener(port: number, timeoutMs: number, gaveUp: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    // The caller can tell us the process behind the port is already dead: no point in waiting.
    const reason = gaveUp();
    if (reason !== undefined) throw new Error(reason);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
