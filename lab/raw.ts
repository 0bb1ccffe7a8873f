// Servers that break the WebSocket protocol on purpose, answered by hand on the raw socket: `ws`
// refuses to write a reserved close code, invalid UTF-8 in a text frame or a wrong accept key,
// which is exactly what these must send. Each completes (or spoils) the handshake, writes one
// bad frame and leaves the browser to fail the connection (RFC 6455 §7.1.7): the page then sees
// only 1006, and the browser's own text (console, CDP Network.webSocketFrameError) names why.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** The GUID every server appends to the key (RFC 6455 §1.3). */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)), RFC 6455 §1.3. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** One unmasked server frame (servers must not mask, §5.1), FIN set unless told otherwise. */
export function frame(opcode: number, payload: Buffer, opts: { fin?: boolean; rsv?: number; mask?: boolean } = {}): Buffer {
  const first = (opts.fin === false ? 0 : 0x80) | ((opts.rsv ?? 0) << 4) | opcode;
  const len = payload.length;
  const maskBit = opts.mask ? 0x80 : 0;
  const head =
    len < 126
      ? Buffer.from([first, maskBit | len])
      : len < 65536
        ? Buffer.from([first, maskBit | 126, len >> 8, len & 0xff])
        : (() => {
            const b = Buffer.alloc(10);
            b[0] = first;
            b[1] = maskBit | 127;
            b.writeBigUInt64BE(BigInt(len), 2);
            return b;
          })();
  if (!opts.mask) return Buffer.concat([head, payload]);
  const key = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([head, key, masked]);
}

function closePayload(code: number, reason = ''): Buffer {
  const b = Buffer.alloc(2 + Buffer.byteLength(reason));
  b.writeUInt16BE(code, 0);
  b.write(reason, 2);
  return b;
}

/** What each raw server writes after its handshake (empty: the handshake itself is the fault). */
const BAD: Record<string, () => Buffer[]> = {
  // 1005 is "no status received": reserved for the API, never to be sent on the wire (§7.4.1).
  'bad-close-1005': () => [frame(0x8, closePayload(1005))],
  // 404 is no close code at all: 0–999 are unused (§7.4.2).
  'bad-close-404': () => [frame(0x8, closePayload(404))],
  // 0xC3 starts a two-byte sequence; 0x28 "(" is no continuation byte (§8.1).
  'bad-utf8': () => [frame(0x1, Buffer.from([0x6f, 0x6b, 0x20, 0xc3, 0x28]))],
  // RSV1 without a negotiated extension (§5.2).
  'bad-rsv': () => [frame(0x1, Buffer.from('rsv1'), { rsv: 4 })],
  // A masked frame from the server (§5.1).
  'bad-masked': () => [frame(0x1, Buffer.from('masked'), { mask: true })],
  // Opcode 3 is reserved for further non-control frames (§5.2).
  'bad-opcode': () => [frame(0x3, Buffer.from('op3'))],
  // Control frames carry at most 125 bytes (§5.5).
  'bad-ping-big': () => [frame(0x9, Buffer.alloc(126, 0x70))],
  // …and must not be fragmented (§5.5).
  'bad-ping-fragmented': () => [frame(0x9, Buffer.from('p'), { fin: false })],
};

export const RAW_SERVERS: readonly string[] = [...Object.keys(BAD), 'bad-accept'];

/**
 * Answers the upgrade for one of RAW_SERVERS by hand; false when `name` is not one. The socket
 * stays open after the bad frame: it is the browser that must fail the connection.
 */
export function answerRaw(name: string, req: IncomingMessage, socket: Duplex): boolean {
  const bad = BAD[name];
  if (!bad && name !== 'bad-accept') return false;
  const key = String(req.headers['sec-websocket-key'] ?? '');
  // A proxy that answers the upgrade itself, or rewrites the key, ends up with an accept value
  // for another key: here, the accept of the key with its first character changed.
  const accept = name === 'bad-accept' ? acceptKey(`${key.startsWith('A') ? 'B' : 'A'}${key.slice(1)}`) : acceptKey(key);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  if (bad) {
    // A greeting first, so the page sees the socket open before the fault.
    socket.write(frame(0x1, Buffer.from(JSON.stringify({ hello: name }))));
    for (const f of bad()) socket.write(f);
  }
  // Whatever the browser does, the lab must not keep the socket forever.
  const t = setTimeout(() => socket.destroy(), 10_000);
  socket.once('close', () => clearTimeout(t));
  socket.on('data', () => {
    // The browser's close frame or nothing at all: a raw server reads nothing.
  });
  return true;
}
