import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * The lowest port the kernel hands out for listen(0) (Linux `ip_local_port_range`; its default
 * 32768 where the file cannot be read).
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 21_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function listenOn(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A 127.0.0.1 port nobody listens on: found free, released. Used both as a free port for a child
 * (nginx) to take and as a port that refuses connections. Chosen below the kernel's ephemeral
 * range: a port the kernel chose for listen(0) and got back can be handed to a later listen(0),
 * and the lab starts a dozen servers right after choosing it — one of them then answered the
 * "closed" port with the lab's own 400 (e2e/network.spec.ts, about one run in three). Above
 * 20000: not a fixed low port such as 1, which Chromium blocks as unsafe before any TCP attempt
 * (ERR_UNSAFE_PORT), a different failure from the refused connection the scenarios want;
 * Chromium's unsafe ports all lie below 10081.
 */
export async function releasedPort(): Promise<number> {
  const low = 20_000;
  const high = ephemeralLow() - 1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const server = await listenOn(low + Math.floor(Math.random() * (high - low + 1)));
    if (!server) continue;
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address !== null && typeof address !== 'string') return address.port;
  }
  throw new Error('releasedPort: no free port below the ephemeral range in 100 tries');
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
