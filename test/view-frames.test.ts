import { describe, expect, it } from 'vitest';

import type { MessageResult } from '../src/core/protocols/index.ts';
import { frameCell, frameTypes, NO_FRAME_FILTER, passesFrames } from '../src/panel/view/frames.ts';

const ping: MessageResult = { frames: [{ protocol: 'engine.io', type: 'ping', cls: 'heartbeat' }], latencyMs: [undefined] };
const event: MessageResult = { frames: [{ protocol: 'socket.io', type: 'EVENT chat', cls: 'data', id: '3', pair: 'request' }], latencyMs: [undefined] };
const ack: MessageResult = { frames: [{ protocol: 'socket.io', type: 'ACK', cls: 'data', id: '3', pair: 'response' }], latencyMs: [42] };
const two: MessageResult = {
  frames: [
    { protocol: 'signalr', type: 'item', cls: 'data' },
    { protocol: 'signalr', type: 'ping', cls: 'heartbeat' },
  ],
  latencyMs: [undefined, undefined],
};
const stompError: MessageResult = { frames: [{ protocol: 'stomp', type: 'ERROR', cls: 'error', close: { by: 'server', reason: 'Access denied' } }], latencyMs: [undefined] };

describe('frame cells', () => {
  it('label with the first type, +N for more, and the latency of an answer', () => {
    expect(frameCell(event).text).toBe('EVENT chat');
    expect(frameCell(ack).text).toBe('ACK · 42 ms');
    expect(frameCell(two).text).toBe('item +1');
    expect(frameCell(two).title).toBe('item\nping');
    expect(frameCell(stompError).cls).toBe('error');
    expect(frameCell({ error: 'not JSON' })).toEqual({ text: 'raw', cls: 'raw', title: 'not JSON' });
    expect(frameCell(undefined).text).toBe('');
  });
});

describe('frame filter', () => {
  it('hides heartbeat-only messages with one toggle, keeps mixed ones and raw ones', () => {
    const f = { ...NO_FRAME_FILTER, hideHeartbeats: true };
    expect(passesFrames(ping, f)).toBe(false);
    expect(passesFrames(two, f)).toBe(true);
    expect(passesFrames(event, f)).toBe(true);
    expect(passesFrames({ error: 'x' }, f)).toBe(true);
    expect(passesFrames(ping, NO_FRAME_FILTER)).toBe(true);
  });
  it('picks a frame type', () => {
    const f = { hideHeartbeats: false, type: 'ACK' };
    expect(passesFrames(ack, f)).toBe(true);
    expect(passesFrames(event, f)).toBe(false);
    expect(passesFrames(undefined, f)).toBe(false);
  });
  it('lists types by frequency', () => {
    expect(frameTypes([ping, ping, event, ack, undefined, { error: 'x' }])).toEqual(['ping', 'ACK', 'EVENT chat']);
  });
});
