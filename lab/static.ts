import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, head = false, cacheable = false): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    // The lab page changes while people work on it; a cached copy would test stale code.
    // `no-cache` for the bfcache variant: it still revalidates every load, but unlike no-store it
    // does not make Chrome refuse the back/forward cache (NotRestoredReason
    // MainResourceHasCacheControlNoStore).
    'Cache-Control': cacheable ? 'no-cache' : 'no-store',
  });
  res.end(head ? undefined : body);
}

/** Maps a URL path to a file inside public/, or null when it would escape it. */
function resolvePublic(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(publicDir, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return file.startsWith(publicDir) ? file : null;
}

/**
 * `cacheable`: the page may enter the back/forward cache (a `?bfcache=1` request, see
 * server.ts); everything else stays no-store.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, cacheable = false): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8');
    return;
  }
  const file = resolvePublic(pathname);
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) {
    send(res, 404, 'not found\n', 'text/plain; charset=utf-8', head);
    return;
  }
  const body = await readFile(file);
  send(res, 200, body, contentTypes[path.extname(file)] ?? 'application/octet-stream', head, cacheable);
}
