import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { releasedPort, waitForListener } from './ports.ts';

/**
 * A reverse proxy whose upstream is down, so that a WebSocket upgrade sent to it is answered
 * 502 Bad Gateway by the proxy itself, the way it happens in production when the app behind
 * nginx has crashed. nginx when it is installed (its real response, headers and HTML body are
 * the point); otherwise a stand-in in Node that tries the same dead upstream and says who it is
 * in `Server: lab-node-proxy`, so no one mistakes it for the real thing.
 */
export interface BadGatewayProxy {
  kind: 'nginx' | 'node';
  port: number;
  /** The closed 127.0.0.1 port the proxy forwards to. */
  upstreamPort: number;
  /** Why nginx did not run, when kind is 'node'. */
  fallbackReason?: string;
  close(): Promise<void>;
}

/**
 * nginx in front of the lab's own `ws` server, with nginx's DEFAULT timeouts: nothing in the conf
 * says proxy_read_timeout, so it is 60 s, and a WebSocket quiet that long in both directions is
 * cut by nginx at the TCP level (the browser sees 1006), the way a default deployment does it.
 * Without nginx the lab's Node idle proxy stands in, cutting at the same 60 s.
 */
export interface NginxIdleProxy {
  kind: 'nginx' | 'node';
  port: number;
  /** nginx's default proxy_read_timeout, which the Node stand-in copies. */
  idleMs: number;
  fallbackReason?: string;
  close(): Promise<void>;
}

/** nginx's compiled-in proxy_read_timeout (ngx_http_proxy_module). */
export const NGINX_DEFAULT_READ_TIMEOUT_MS = 60_000;

export function nginxConf(dir: string, port: number, upstreamPort: number): string {
  const d = (name: string): string => path.join(dir, name);
  return `# Written by the Socket Autopsy lab; lives and dies with it.
daemon off;
master_process off;
worker_processes 1;
pid ${d('nginx.pid')};
error_log ${d('error.log')};

events {}

http {
  access_log off;
  # Every temp path in the lab's own directory: the compiled-in defaults (/var/lib/nginx/...)
  # need root and would make nginx refuse to start for anyone else.
  client_body_temp_path ${d('client_body')};
  proxy_temp_path ${d('proxy')};
  fastcgi_temp_path ${d('fastcgi')};
  uwsgi_temp_path ${d('uwsgi')};
  scgi_temp_path ${d('scgi')};
  # "Server: nginx" without the version: the same on every machine.
  server_tokens off;

  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }

  server {
    listen 127.0.0.1:${port};
    location / {
      # The usual WebSocket proxying, as found in countless deployments.
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_pass http://127.0.0.1:${upstreamPort};
    }
  }
}
`;
}

/**
 * nginx knows nothing of the lab, so a lab that dies without close() (a crashed test, Ctrl-C,
 * SIGKILL) would leave it running for good. It is started through this sh watchdog instead: the
 * lab holds the watchdog's stdin, the kernel closes that pipe however the lab ends, and on EOF
 * the watchdog stops nginx. The watchdog also exits with nginx, so a failed start shows.
 */
const WATCHDOG = [
  'exec 3<&0',
  // Background jobs of a non-interactive shell read /dev/null; fd 3 keeps the lab's pipe.
  '"$0" "$@" </dev/null &',
  'n=$!',
  '{ read -r _ <&3; kill "$n" 2>/dev/null; } &',
  'w=$!',
  'wait "$n"; s=$?',
  'kill "$w" 2>/dev/null',
  // The lab's own mkdtemp directory (conf, pid, logs): a lab that was killed cannot remove it.
  '[ -n "$LAB_NGINX_DIR" ] && rm -rf -- "$LAB_NGINX_DIR"',
  'exit "$s"',
].join('\n');

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    // EOF asks the watchdog to stop nginx (SIGTERM: nginx's fast shutdown); SIGKILL only if
    // that hangs, so close() always ends.
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.stdin?.end();
  });
}

async function startNginx(nginx: string, upstreamPort: number): Promise<BadGatewayProxy & { kind: 'nginx' }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sa-lab-nginx-'));
  let child: ChildProcess | undefined;
  try {
    const port = await releasedPort();
    const conf = path.join(dir, 'nginx.conf');
    await writeFile(conf, nginxConf(dir, port, upstreamPort));
    // -e: the error log from the first moment, before the conf is read (the compiled-in
    // /var/log/nginx/error.log is not writable for everyone). -p: relative paths stay in dir.
    const started = spawn('/bin/sh', ['-c', WATCHDOG, nginx, '-p', `${dir}/`, '-c', conf, '-e', path.join(dir, 'error.log')], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, LAB_NGINX_DIR: dir },
    });
    started.stdin?.on('error', () => {
      // The watchdog is gone already (nginx failed to start): nothing left to tell.
    });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let spawnError: Error | undefined;
    started.once('error', (err) => (spawnError = err));
    await waitForListener(port, 5000, () => {
      if (spawnError) return `nginx did not start: ${spawnError.message}`;
      if (started.exitCode !== null || started.signalCode !== null) {
        return `nginx exited (code ${started.exitCode}, signal ${started.signalCode}): ${stderr.trim()}`;
      }
      return undefined;
    });
    let closing: Promise<void> | undefined;
    return {
      kind: 'nginx',
      port,
      upstreamPort,
      close() {
        closing ??= stopChild(started).then(() => rm(dir, { recursive: true, force: true }));
        return closing;
      },
    };
  } catch (err) {
    if (child) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function badGateway(): string {
  return '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>lab-node-proxy</center>\r\n</body>\r\n</html>\r\n';
}

/** Answers like nginx does when the upstream refuses: only after really trying it. */
async function startNodeProxy(upstreamPort: number, fallbackReason: string): Promise<BadGatewayProxy> {
  const sockets = new Set<net.Socket>();
  const answer = (write: (head: string, body: string) => void): void => {
    const up = net.connect({ host: '127.0.0.1', port: upstreamPort });
    up.once('connect', () => {
      // Someone took the port after the lab released it: still not the app, still a bad gateway.
      up.destroy();
      write('502 Bad Gateway', badGateway());
    });
    up.once('error', () => write('502 Bad Gateway', badGateway()));
  };
  const server = http.createServer((_req, res) => {
    answer((status, body) => {
      res.writeHead(Number(status.slice(0, 3)), {
        Server: 'lab-node-proxy',
        'Content-Type': 'text/html',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close',
      });
      res.end(body);
    });
  });
  server.on('upgrade', (_req, socket) => {
    socket.on('error', () => {});
    answer((status, body) => {
      socket.end(
        `HTTP/1.1 ${status}\r\nServer: lab-node-proxy\r\nContent-Type: text/html\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('node proxy: no TCP address');
  return {
    kind: 'node',
    port: address.port,
    upstreamPort,
    fallbackReason,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * `nginx`: path of the binary, or undefined when none was found (the caller looks it up), in
 * which case, or when nginx fails to start, the Node stand-in runs instead.
 */
export async function startBadGatewayProxy(nginx: string | undefined, upstreamPort: number): Promise<BadGatewayProxy> {
  if (nginx === undefined) return startNodeProxy(upstreamPort, 'nginx not found (set LAB_NGINX or install nginx-light)');
  try {
    return await startNginx(nginx, upstreamPort);
  } catch (err) {
    return startNodeProxy(upstreamPort, `nginx at ${nginx} failed: ${(err as Error).message}`);
  }
}

/**
 * `nginx` as for startBadGatewayProxy; `upstreamPort` the lab's http port. The same conf as the
 * 502 scenario's (the usual WebSocket location, no timeout set), with an upstream that is up.
 */
export async function startNginxIdleProxy(
  nginx: string | undefined,
  upstreamPort: number,
  nodeFallback: (idleMs: number) => Promise<{ port: number; close(): Promise<void> }>,
): Promise<NginxIdleProxy> {
  const idleMs = NGINX_DEFAULT_READ_TIMEOUT_MS;
  let fallbackReason = 'nginx not found (set LAB_NGINX or install nginx-light)';
  if (nginx !== undefined) {
    try {
      const p = await startNginx(nginx, upstreamPort);
      return { kind: 'nginx', port: p.port, idleMs, close: () => p.close() };
    } catch (err) {
      fallbackReason = `nginx at ${nginx} failed: ${(err as Error).message}`;
    }
  }
  const p = await nodeFallback(idleMs);
  return { kind: 'node', port: p.port, idleMs, fallbackReason, close: () => p.close() };
}
