// The lab's protocol breakers (lab/raw.ts): each must write exactly the fault it is named for,
// or the browser text recorded for it (docs/deep-capture.md) would describe something else.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptKey, frame } from '../lab/raw.ts';
import { startLab, type Lab } from '../lab/server.ts';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** Sends an upgrade request by hand; resolves with the raw bytes the server wrote within `ms`. */
function upgrade(port: number, name: string, ms = 300): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`GET /ws/${name} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      setTimeout(() => {
        s.destroy();
        resolve(Buffer.concat(chunks));
      }, ms);
    });
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
  });
}

function split(raw: Buffer): { head: string; frames: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  return { head: raw.subarray(0, end).toString('latin1'), frames: raw.subarray(end + 4) };
}

/** The frames after the greeting: the greeting is a short unmasked text frame. */
function afterGreeting(frames: Buffer): Buffer {
  expect(frames[0]).toBe(0x81);
  return frames.subarray(2 + frames[1]!);
}

describe('lab protocol breakers', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ idleMs: 300, nginx: null, openssl: null, log: () => {} });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('computes Sec-WebSocket-Accept as RFC 6455 §1.3 does (its own example)', () => {
    expect(acceptKey(KEY)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('frames: 7-bit and 16-bit lengths, RSV bits, FIN, and masking', () => {
    expect([...frame(0x8, Buffer.from([0x03, 0xed]))]).toEqual([0x88, 2, 0x03, 0xed]);
    expect([...frame(0x9, Buffer.alloc(126)).subarray(0, 4)]).toEqual([0x89, 126, 0, 126]);
    expect(frame(0x1, Buffer.from('x'), { rsv: 4 })[0]).toBe(0xc1);
    expect(frame(0x9, Buffer.from('p'), { fin: false })[0]).toBe(0x09);
    expect(frame(0x1, Buffer.from('m'), { mask: true })[1]! & 0x80).toBe(0x80);
  });

  it('bad-close-1005: a correct handshake, then a close frame carrying 1005', async () => {
    const { head, frames } = split(await upgrade(lab.port, 'bad-close-1005'));
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    expect(head).toContain(`Sec-WebSocket-Accept: ${acceptKey(KEY)}`);
    expect([...afterGreeting(frames)]).toEqual([0x88, 2, 0x03, 0xed]);
  });

  it('bad-close-404: a close frame carrying 404', async () => {
    const { frames } = split(await upgrade(lab.port, 'bad-close-404'));
    expect([...afterGreeting(frames)]).toEqual([0x88, 2, 0x01, 0x94]);
  });

  it('bad-utf8: a text frame whose bytes are not UTF-8', async () => {
    const rest = afterGreeting(split(await upgrade(lab.port, 'bad-utf8')).frames);
    expect(rest[0]).toBe(0x81);
    const payload = rest.subarray(2, 2 + rest[1]!);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(payload)).toThrow();
  });

  it('bad-accept: 101 with an accept value for another key, and no frames', async () => {
    const { head, frames } = split(await upgrade(lab.port, 'bad-accept'));
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    const accept = /Sec-WebSocket-Accept: (\S+)/.exec(head)?.[1];
    expect(accept).toBeDefined();
    expect(accept).not.toBe(acceptKey(KEY));
    expect(frames.length).toBe(0);
  });

  it('bad-rsv and bad-ping-big: RSV1 set; a 126-byte ping', async () => {
    expect(afterGreeting(split(await upgrade(lab.port, 'bad-rsv')).frames)[0]).toBe(0xc1);
    const ping = afterGreeting(split(await upgrade(lab.port, 'bad-ping-big')).frames);
    expect([...ping.subarray(0, 4)]).toEqual([0x89, 126, 0, 126]);
  });
});
