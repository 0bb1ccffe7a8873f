// socket-autopsy view <file.har>: the standalone viewer (the panel built as a plain web page,
// npm run build:viewer) and the HAR, served on 127.0.0.1 only, until Ctrl+C. The page loads
// the file from ?har=, as a published copy of the viewer would load any URL.
import { spawn } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, sep } from 'node:path';

import { importHar } from '../core/har/har.ts';
import type { ViewArgs } from './args.ts';
import { findViewer } from './package-root.ts';
import type { Io } from './io.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// The viewer renders captured data as text only and loads nothing from elsewhere; a policy
// makes that a rule of this page too (inline style attributes are how Preact sets sizes).
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface Viewing {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts the server. The HAR is checked first (a bad or too large file is the user's first
 * problem, and fails here, not in the page), then the built viewer is looked for, unless
 * `viewerDir` names one.
 */
export async function startView(
  args: Pick<ViewArgs, 'file' | 'port'>,
  read: (file: string) => { ok: true; text: string } | { ok: false; error: string },
  viewerDir?: string,
): Promise<{ ok: true; viewing: Viewing } | { ok: false; error: string }> {
  const got = read(args.file);
  if (!got.ok) return got;
  const imported = importHar(got.text);
  if (!imported.ok) return { ok: false, error: `${args.file}: ${imported.error}` };
  const viewer = viewerDir !== undefined ? { ok: true as const, dir: viewerDir } : findViewer();
  if (!viewer.ok) return viewer;
  const harPath = `/har/${encodeURIComponent(basename(args.file))}`;
  const har = Buffer.from(got.text, 'utf8');

  let port = 0;
  const server = createServer((req, res) => handle(req, res, { root: viewer.dir, harPath, har, port: () => port }));
  const listening = await new Promise<{ ok: true } | { ok: false; error: string }>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      resolve({ ok: false, error: e.code === 'EADDRINUSE' ? `port ${args.port} is in use: choose another with --port, or omit it` : `cannot listen: ${e.message}` }),
    );
    server.listen(args.port, '127.0.0.1', () => resolve({ ok: true }));
  });
  if (!listening.ok) return listening;
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?har=${encodeURIComponent(harPath)}`;
  return {
    ok: true,
    viewing: {
      url,
      server,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    },
  };
}

function handle(req: IncomingMessage, res: ServerResponse, o: { root: string; harPath: string; har: Buffer; port: () => number }): void {
  const send = (status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(text);
  };
  // DNS rebinding: a page elsewhere that points its own name at 127.0.0.1 must not read the HAR.
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${o.port()}` && host !== `localhost:${o.port()}`) return send(421, 'wrong host\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const headers = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'content-security-policy': CSP, 'referrer-policy': 'no-referrer' };
  if (path === o.harPath) {
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': o.har.length });
    res.end(req.method === 'HEAD' ? undefined : o.har);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(path === '/' ? '/index.html' : path);
  } catch {
    return send(400, 'bad path\n');
  }
  const file = normalize(join(o.root, rel));
  if (!file.startsWith(o.root + sep) || rel.includes('\0')) return send(404, 'not found\n');
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return send(404, 'not found\n');
    size = st.size;
  } catch {
    return send(404, 'not found\n');
  }
  res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

/**
 * Whether a browser can be shown: on Linux only with a display (X11 or Wayland; a CI runner or
 * an SSH session has none, and xdg-open would start a text browser or fail there).
 */
export function canOpenBrowser(platform = process.platform, env = process.env): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

function openBrowser(url: string, io: Io): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => io.stderr(`socket-autopsy: could not start a browser (${cmd}): open the address above yourself\n`));
    child.unref();
  } catch {
    io.stderr(`socket-autopsy: could not start a browser (${cmd}): open the address above yourself\n`);
  }
}

/** Runs `view` until SIGINT or SIGTERM; resolves with the exit status. */
export async function runView(args: ViewArgs, io: Io, read: Parameters<typeof startView>[1]): Promise<number> {
  const started = await startView(args, read);
  if (!started.ok) {
    io.stderr(`socket-autopsy: ${started.error}\n`);
    return 2;
  }
  const { viewing } = started;
  io.stdout(`Socket Autopsy viewer: ${viewing.url}\nServing ${args.file} on 127.0.0.1 only. Press Ctrl+C to stop.\n`);
  if (args.open && canOpenBrowser()) openBrowser(viewing.url, io);
  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void viewing.close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

