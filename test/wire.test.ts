// core/wire/wire.ts: packed events travel as one string and are validated after unpacking exactly as
// unpacked ones; the watch messages between hub and relay.
import { describe, expect, it } from 'vitest';

import { HubToRelaySchema, PROTOCOL_VERSION, RelayToHubSchema, parseWith } from '../src/core/wire/protocol.ts';
import type { HubToPanel, RelayToHub, SeqEvent } from '../src/core/wire/protocol.ts';
import { checkSeqEvents, packHub, packRelay, parseHubToPanel, unpack } from '../src/core/wire/wire.ts';

const DOC = 'doc-aaaaaaaa';
const drops = { malformed: 0, evicted: 0, hook: 0 };
const docInfo = { doc: DOC, frameId: 0, order: 0, url: 'https://app.example/', top: true, timeOrigin: 1_700_000_000_000, gone: false, drops };
const events: SeqEvent[] = [
  { seq: 0, ev: { k: 'create', sid: 0, t: 1, url: 'wss://x/', protocols: [] } },
  { seq: 1, ev: { k: 'message', sid: 0, t: 2, n: 0, bin: false, size: 2, data: 'hi' } },
  { seq: 2, ev: { k: 'close', sid: 0, t: 3, code: 1011, reason: 'boom', clean: true } },
];

describe('relay → hub packing', () => {
  it('round-trips a relay-events message through JSON (as extension messaging does)', () => {
    const msg: RelayToHub = { type: 'relay-events', doc: DOC, events, drops, replayed: true };
    const wire = packRelay(msg) as { packed?: string; events: unknown[] };
    expect(wire.events).toEqual([]);
    expect(typeof wire.packed).toBe('string');
    const back = unpack(JSON.parse(JSON.stringify(wire)), 'events');
    expect(parseWith(RelayToHubSchema, back)).toEqual({ ok: true, value: msg });
  });

  it('leaves hello and empty batches as they are', () => {
    const hello: RelayToHub = { type: 'relay-hello', v: PROTOCOL_VERSION, doc: DOC, replay: false };
    expect(packRelay(hello)).toBe(hello);
    const empty: RelayToHub = { type: 'relay-events', doc: DOC, events: [], drops };
    expect(packRelay(empty)).toBe(empty);
  });

  it('refuses broken packing instead of guessing', () => {
    expect(unpack({ type: 'relay-events', doc: DOC, drops, events: [], packed: '[{' }, 'events')).toBeUndefined();
    expect(unpack({ type: 'relay-events', doc: DOC, drops, events: [], packed: 5 }, 'events')).toBeUndefined();
    // Events both packed and unpacked: which ones would count? Neither.
    expect(unpack({ type: 'relay-events', doc: DOC, drops, events: [events[0]], packed: '[]' }, 'events')).toBeUndefined();
    // A packed value that is not an array fails the schema afterwards.
    const notArray = unpack({ type: 'relay-events', doc: DOC, drops, events: [], packed: '{"a":1}' }, 'events');
    expect(parseWith(RelayToHubSchema, notArray).ok).toBe(false);
  });
});

describe('hub → panel packing and validation', () => {
  const update: HubToPanel = { type: 'hub-update', docs: [docInfo], batches: [{ doc: DOC, events }] };

  it('round-trips an update and a snapshot', () => {
    const got = parseHubToPanel(JSON.parse(JSON.stringify(packHub(update))));
    expect(got).toEqual({ ok: true, value: update, rejected: 0 });
    const snap: HubToPanel = { type: 'hub-snapshot', v: PROTOCOL_VERSION, tabId: 3, preserveLog: false, docs: [docInfo], batches: [{ doc: DOC, events }] };
    expect(parseHubToPanel(JSON.parse(JSON.stringify(packHub(snap))))).toEqual({ ok: true, value: snap, rejected: 0 });
  });

  it('accepts unpacked messages too, and hub-cleared', () => {
    expect(parseHubToPanel(update)).toMatchObject({ ok: true, value: update });
    expect(parseHubToPanel({ type: 'hub-cleared', keepDocs: [DOC] })).toEqual({ ok: true, value: { type: 'hub-cleared', keepDocs: [DOC] } });
  });

  it('drops and counts events that fail validation, keeps the rest', () => {
    const bad = [events[0], { seq: 1, ev: { ...events[1]!.ev, size: -1 } }, { seq: 'x', ev: events[2]!.ev }, events[2], null, 7];
    const wire = { type: 'hub-update', docs: [docInfo], batches: [], packed: JSON.stringify([{ doc: DOC, events: bad }]) };
    const got = parseHubToPanel(wire);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.rejected).toBe(4);
    expect(got.value.type === 'hub-update' && got.value.batches[0]!.events.map((e) => e.seq)).toEqual([0, 2]);
  });

  it('rejects a bad envelope with a readable error', () => {
    const wrongDoc = parseHubToPanel({ type: 'hub-update', docs: [docInfo], batches: [], packed: JSON.stringify([{ doc: '<script>', events: [] }]) });
    expect(wrongDoc).toMatchObject({ ok: false });
    expect(!wrongDoc.ok && wrongDoc.error).toMatch(/^batches\.0\.doc: /);
    expect(parseHubToPanel({ type: 'hub-update', docs: [], batches: [], packed: 'nope' })).toEqual({ ok: false, error: 'packed: not a JSON array' });
    expect(parseHubToPanel({ type: 'hub-update', docs: [{ ...docInfo, top: 1 }], batches: [] }).ok).toBe(false);
    expect(parseHubToPanel({ type: 'hub-snapshot', docs: [], batches: [] }).ok).toBe(false);
    for (const x of [null, 5, 'hub-update', [], { type: 'nope' }]) expect(parseHubToPanel(x).ok).toBe(false);
    // A batch that is not an object or has no events array.
    expect(parseHubToPanel({ type: 'hub-update', docs: [], batches: [7] }).ok).toBe(false);
    const noEvents = parseHubToPanel({ type: 'hub-update', docs: [], batches: [{ doc: DOC, events: 'x' }] });
    expect(noEvents).toMatchObject({ ok: true, rejected: 1 });
  });

  it('prototype keys in packed events do not reach the output', () => {
    const packed = `[{"doc":"${DOC}","events":[{"seq":0,"ev":{"k":"message","sid":0,"t":1,"n":0,"bin":false,"size":0,"__proto__":{"polluted":true}}}]}]`;
    const got = parseHubToPanel({ type: 'hub-update', docs: [], batches: [], packed });
    expect(got.ok).toBe(true);
    if (!got.ok || (got.value.type !== 'hub-update' && got.value.type !== 'hub-snapshot')) return;
    const ev = got.value.batches[0]!.events[0]!.ev as unknown as Record<string, unknown>;
    expect(Object.keys(ev)).toEqual(['k', 'sid', 't', 'n', 'bin', 'size']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checkSeqEvents counts what it leaves out', () => {
    expect(checkSeqEvents([events[0], { seq: -1, ev: events[1]!.ev }, { seq: 3 }])).toEqual({ events: [events[0]], rejected: [3], unnumbered: 1 });
  });
});

describe('hub ↔ relay watch messages', () => {
  it('HubToRelaySchema accepts hub-watch on and off only', () => {
    expect(parseWith(HubToRelaySchema, { type: 'hub-watch', on: true })).toEqual({ ok: true, value: { type: 'hub-watch', on: true } });
    expect(parseWith(HubToRelaySchema, { type: 'hub-watch', on: false }).ok).toBe(true);
    for (const x of [{ type: 'hub-watch' }, { type: 'hub-watch', on: 'yes' }, { type: 'hub-snapshot' }, null, 'hub-watch']) {
      expect(parseWith(HubToRelaySchema, x).ok).toBe(false);
    }
  });

  it('relay-events may mark the end of a replay, as a boolean only', () => {
    expect(parseWith(RelayToHubSchema, { type: 'relay-events', doc: DOC, events: [], drops, replayed: true }).ok).toBe(true);
    expect(parseWith(RelayToHubSchema, { type: 'relay-events', doc: DOC, events: [], drops, replayed: 1 }).ok).toBe(false);
  });
});
