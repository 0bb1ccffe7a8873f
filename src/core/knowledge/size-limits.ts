// Message size limits of known services: a large send followed by a cut is evidence of a size
// limit only when the endpoint is one of these and the send exceeds its limit; otherwise a
// large send is a coincidence worth a note, not a diagnosis.
import { splitUrl } from './close-codes.ts';

export interface SizeLimit {
  service: string;
  /** Bytes; the send must exceed it. */
  bytes: number;
  /** What the limit applies to, as the vendor words it. */
  unit: 'frame' | 'message';
  label: string;
  docs: string;
}

const KB = 1024;

/** Host (and path) patterns → limits. */
const LIMITS: readonly { host: RegExp; path?: RegExp; limits: SizeLimit[] }[] = [
  {
    // API Gateway quotas: "WebSocket frame size 32 KB", "Message payload size 128 KB".
    host: /\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/,
    limits: [
      { service: 'AWS API Gateway (WebSocket)', bytes: 32 * KB, unit: 'frame', label: '32 KB', docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html' },
      { service: 'AWS API Gateway (WebSocket)', bytes: 128 * KB, unit: 'message', label: '128 KB', docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html' },
    ],
  },
  {
    // Socket.IO server option maxHttpBufferSize, 1e6 bytes by default: a larger message disconnects.
    host: /.*/,
    path: /\/socket\.io\//,
    limits: [{ service: 'Socket.IO server (maxHttpBufferSize)', bytes: 1_000_000, unit: 'message', label: '1 MB', docs: 'https://socket.io/docs/v4/server-options/#maxhttpbuffersize' }],
  },
];

/** The largest known limit of this endpoint that `size` exceeds. */
export function exceededLimit(url: string, size: number): SizeLimit | undefined {
  const u = splitUrl(url);
  const host = u.host.replace(/:\d+$/, '');
  let best: SizeLimit | undefined;
  for (const entry of LIMITS) {
    if (!entry.host.test(host) || (entry.path && !entry.path.test(u.path))) continue;
    for (const l of entry.limits) if (size > l.bytes && (!best || l.bytes > best.bytes)) best = l;
  }
  return best;
}
