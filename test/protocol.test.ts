import * as v from 'valibot';
import { describe, expect, it } from 'vitest';

import {
  DocEventsSchema,
  DocInfoSchema,
  DropCountersSchema,
  HookEventSchema,
  HubToPanelSchema,
  PAYLOAD_CAP_BYTES,
  PageToRelaySchema,
  PanelToHubSchema,
  PROTOCOL_VERSION,
  RelayCommandSchema,
  RelayToHubSchema,
  parseWith,
  zeroDrops,
} from '../src/core/wire/protocol.ts';

const ok = (schema: v.GenericSchema, input: unknown) => {
  const r = parseWith(schema, input);
  if (!r.ok) throw new Error(`expected valid, got: ${r.error}`);
  return r.value;
};
const bad = (schema: v.GenericSchema, input: unknown): string => {
  const r = parseWith(schema, input);
  if (r.ok) throw new Error(`expected invalid: ${JSON.stringify(input).slice(0, 200)}`);
  return r.error;
};

const DOC = 'doc-aaaaaaaa';
const MAX_DATA = PAYLOAD_CAP_BYTES * 2;

const HOOK_SAMPLES = {
  hello: { k: 'hello', t: 0, timeOrigin: 1_700_000_000_000.5, url: 'https://app.example/', top: true },
  create: { k: 'create', sid: 0, t: 1.25, url: 'wss://api.example/ws', protocols: ['graphql-ws'], stack: 'at x', threw: 'SyntaxError: bad' },
  open: { k: 'open', sid: 0, t: 2, protocol: 'graphql-ws', extensions: 'permessage-deflate' },
  send: { k: 'send', sid: 0, t: 3, n: 0, rs: 1, buffered: 0, bin: false, size: 5, data: 'hello', trunc: false, later: false },
  message: { k: 'message', sid: 0, t: 4, n: 0, bin: true, size: 4, data: 'AAECAw==' },
  payload: { k: 'payload', sid: 0, n: 1, dir: 'message', data: 'AA==', trunc: false },
  error: { k: 'error', sid: 0, t: 5, rs: 3 },
  'close-call': { k: 'close-call', sid: 0, t: 6, rs: 1, code: 4000, reason: 'bye', stack: 'at y' },
  close: { k: 'close', sid: 0, t: 7, code: 1006, reason: '', clean: false },
  page: { k: 'page', t: 8, what: 'pagehide', persisted: true },
} as const;

/** Minimal valid samples: optional fields left out. */
const HOOK_MINIMAL = [
  { k: 'create', sid: 0, t: 0, url: 'wss://x/', protocols: [] },
  { k: 'send', sid: 0, t: 0, n: 0, rs: 0, buffered: 0, bin: false, size: 0 },
  { k: 'message', sid: 0, t: 0, n: 0, bin: false, size: 0 },
  { k: 'close-call', sid: 0, t: 0, rs: 3 },
  { k: 'page', t: 0, what: 'online' },
];

const drops = { malformed: 1, evicted: 2, hook: 3 };
const docInfo = { doc: DOC, frameId: 0, order: 0, url: 'https://app.example/', top: true, timeOrigin: 1_700_000_000_000, gone: false, drops };

describe('HookEventSchema', () => {
  it.each(Object.entries(HOOK_SAMPLES))('accepts a valid %s', (_k, sample) => {
    expect(ok(HookEventSchema, sample)).toEqual(sample);
  });

  it.each(HOOK_MINIMAL)('accepts a minimal $k', (sample) => {
    expect(ok(HookEventSchema, sample)).toEqual(sample);
  });

  it('rejects an unknown kind, a missing kind and non-objects', () => {
    expect(bad(HookEventSchema, { k: 'nope', sid: 0, t: 0 })).toMatch(/^k: /);
    expect(bad(HookEventSchema, { sid: 0, t: 0 })).toMatch(/^k: /);
    for (const x of [null, undefined, 5, 'open', [], true]) bad(HookEventSchema, x);
  });

  it.each([
    ['sid as string', { ...HOOK_SAMPLES.open, sid: '0' }, 'sid'],
    ['negative sid', { ...HOOK_SAMPLES.open, sid: -1 }, 'sid'],
    ['fractional sid', { ...HOOK_SAMPLES.open, sid: 1.5 }, 'sid'],
    ['t not finite', { ...HOOK_SAMPLES.open, t: Infinity }, 't'],
    ['t NaN', { ...HOOK_SAMPLES.open, t: NaN }, 't'],
    ['t as string', { ...HOOK_SAMPLES.open, t: '1' }, 't'],
    ['timeOrigin missing', { k: 'hello', t: 0, url: '', top: true }, 'timeOrigin'],
    ['top as string', { ...HOOK_SAMPLES.hello, top: 'yes' }, 'top'],
    ['protocols not an array', { ...HOOK_SAMPLES.create, protocols: 'a' }, 'protocols'],
    ['protocols of numbers', { ...HOOK_SAMPLES.create, protocols: [1] }, 'protocols.0'],
    ['too many protocols', { ...HOOK_SAMPLES.create, protocols: Array.from({ length: 65 }, (_, i) => `p${i}`) }, 'protocols'],
    ['size negative', { ...HOOK_SAMPLES.message, size: -1 }, 'size'],
    ['size fractional', { ...HOOK_SAMPLES.message, size: 1.5 }, 'size'],
    ['bin as number', { ...HOOK_SAMPLES.message, bin: 1 }, 'bin'],
    ['rs out of range', { ...HOOK_SAMPLES.send, rs: 4 }, 'rs'],
    ['payload dir', { ...HOOK_SAMPLES.payload, dir: 'out' }, 'dir'],
    ['payload without trunc', { k: 'payload', sid: 0, n: 0, dir: 'send', data: '' }, 'trunc'],
    ['close code as string', { ...HOOK_SAMPLES.close, code: '1000' }, 'code'],
    ['close clean missing', { k: 'close', sid: 0, t: 0, code: 1000, reason: '' }, 'clean'],
    ['page what unknown', { ...HOOK_SAMPLES.page, what: 'unload' }, 'what'],
    ['page persisted as string', { ...HOOK_SAMPLES.page, persisted: 'true' }, 'persisted'],
  ])('rejects %s', (_name, input, path) => {
    const err = bad(HookEventSchema, input);
    expect(err.startsWith(`${path}: `)).toBe(true);
  });

  it('bounds strings: url, data, stack, reason, threw', () => {
    const url = 'wss://x/' + 'a'.repeat(8192 - 8);
    expect(url.length).toBe(8192);
    ok(HookEventSchema, { ...HOOK_SAMPLES.create, url });
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.create, url: url + 'a' })).toMatch(/^url: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.hello, url: url + 'a' })).toMatch(/^url: /);

    ok(HookEventSchema, { ...HOOK_SAMPLES.message, data: 'x'.repeat(MAX_DATA) });
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.message, data: 'x'.repeat(MAX_DATA + 1) })).toMatch(/^data: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.send, data: 'x'.repeat(MAX_DATA + 1) })).toMatch(/^data: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.payload, data: 'x'.repeat(MAX_DATA + 1) })).toMatch(/^data: /);

    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.create, stack: 's'.repeat(4097) })).toMatch(/^stack: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.create, threw: 't'.repeat(513) })).toMatch(/^threw: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.close, reason: 'r'.repeat(1025) })).toMatch(/^reason: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES['close-call'], reason: 'r'.repeat(1025) })).toMatch(/^reason: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.open, protocol: 'p'.repeat(257) })).toMatch(/^protocol: /);
    expect(bad(HookEventSchema, { ...HOOK_SAMPLES.create, protocols: ['p'.repeat(257)] })).toMatch(/^protocols\.0: /);
  });

  it('strips unknown keys: a forged doc (or seq) on a hook event does not survive', () => {
    for (const sample of Object.values(HOOK_SAMPLES)) {
      const forged = { ...sample, doc: 'doc-forged-123', seq: 99, __proto__x: 1, tabId: 7 };
      const value = ok(HookEventSchema, forged) as Record<string, unknown>;
      expect(value).toEqual(sample);
      expect('doc' in value).toBe(false);
      expect('seq' in value).toBe(false);
      expect('tabId' in value).toBe(false);
    }
  });
});

describe('PageToRelaySchema', () => {
  it('accepts a batch and leaves events unparsed for per-event validation', () => {
    const input = { v: PROTOCOL_VERSION, events: [HOOK_SAMPLES.open, { junk: true }], dropped: 3 };
    expect(ok(PageToRelaySchema, input)).toEqual(input);
    ok(PageToRelaySchema, { v: PROTOCOL_VERSION, events: [] });
  });

  it('rejects another version, wrong types and too many events', () => {
    expect(bad(PageToRelaySchema, { v: PROTOCOL_VERSION + 1, events: [] })).toMatch(/^v: /);
    expect(bad(PageToRelaySchema, { v: PROTOCOL_VERSION, events: {} })).toMatch(/^events: /);
    expect(bad(PageToRelaySchema, { v: PROTOCOL_VERSION, events: [], dropped: -1 })).toMatch(/^dropped: /);
    ok(PageToRelaySchema, { v: PROTOCOL_VERSION, events: new Array(10_000).fill(0) });
    expect(bad(PageToRelaySchema, { v: PROTOCOL_VERSION, events: new Array(10_001).fill(0) })).toMatch(/^events: /);
  });
});

describe('RelayToHubSchema', () => {
  const events = { type: 'relay-events', doc: DOC, events: [{ seq: 0, ev: HOOK_SAMPLES.hello }, { seq: 1, ev: HOOK_SAMPLES.create }], drops };

  it('accepts hello and events', () => {
    const hello = { type: 'relay-hello', v: PROTOCOL_VERSION, doc: DOC, replay: false };
    expect(ok(RelayToHubSchema, hello)).toEqual(hello);
    expect(ok(RelayToHubSchema, events)).toEqual(events);
  });

  it('rejects unknown types, bad doc ids, bad versions, bad events', () => {
    expect(bad(RelayToHubSchema, { type: 'relay-bye', doc: DOC })).toMatch(/^type: /);
    expect(bad(RelayToHubSchema, { type: 'relay-hello', v: 2, doc: DOC, replay: false })).toMatch(/^v: /);
    expect(bad(RelayToHubSchema, { type: 'relay-hello', v: 1, doc: DOC, replay: 'no' })).toMatch(/^replay: /);
    for (const doc of ['short', 'has space 12345', 'x'.repeat(65), 'doc/../../etc', 123, '']) {
      expect(bad(RelayToHubSchema, { ...events, doc })).toMatch(/^doc: /);
    }
    expect(bad(RelayToHubSchema, { ...events, events: [{ seq: -1, ev: HOOK_SAMPLES.open }] })).toMatch(/^events\.0\.seq: /);
    expect(bad(RelayToHubSchema, { ...events, events: [{ seq: 0, ev: { k: 'nope' } }] })).toMatch(/^events\.0\.ev\.k: /);
    expect(bad(RelayToHubSchema, { ...events, events: [{ seq: 0, ev: { ...HOOK_SAMPLES.create, url: 'u'.repeat(8193) } }] })).toBe(
      'events.0.ev.url: Invalid length: Expected <=8192 but received 8193',
    );
    expect(bad(RelayToHubSchema, { ...events, drops: { malformed: 0, evicted: 0 } })).toMatch(/^drops\.hook: /);
  });

  it('rejects too many events', () => {
    const many = Array.from({ length: 50_001 }, (_, seq) => ({ seq, ev: HOOK_SAMPLES.error }));
    expect(bad(RelayToHubSchema, { ...events, events: many })).toMatch(/^events: /);
    ok(RelayToHubSchema, { ...events, events: many.slice(0, 50_000) });
  });

  it('strips a forged doc inside an event and extra keys of the message', () => {
    const value = ok(RelayToHubSchema, {
      ...events,
      tabId: 99,
      events: [{ seq: 0, doc: 'doc-other-doc', ev: { ...HOOK_SAMPLES.open, doc: 'doc-other-doc' } }],
    }) as { events: Array<Record<string, unknown> & { ev: Record<string, unknown> }> } & Record<string, unknown>;
    expect('tabId' in value).toBe(false);
    expect(value.events[0]).toEqual({ seq: 0, ev: HOOK_SAMPLES.open });
    expect('doc' in value.events[0]!.ev).toBe(false);
  });
});

// The one-shot message a content script sends (the viewer shortcut). The hub takes the tab from
// the message's sender, never from the message: nothing else a page could smuggle in may pass.
describe('RelayCommandSchema', () => {
  const cmd = { type: 'relay-open-viewer', v: PROTOCOL_VERSION };

  it('accepts the open-viewer command', () => {
    expect(ok(RelayCommandSchema, cmd)).toEqual(cmd);
  });

  it('rejects another version, in any form', () => {
    for (const version of [PROTOCOL_VERSION + 1, 0, String(PROTOCOL_VERSION), null]) {
      expect(bad(RelayCommandSchema, { ...cmd, v: version })).toMatch(/^v: /);
    }
    expect(bad(RelayCommandSchema, { type: cmd.type })).toMatch(/^v: /);
  });

  it('rejects unknown and near-miss types', () => {
    for (const type of ['relay-open-tab', 'relay-open-viewer ', 'RELAY-OPEN-VIEWER', 'relay-hello', '', 1]) {
      expect(bad(RelayCommandSchema, { ...cmd, type })).toMatch(/^type: /);
    }
    expect(bad(RelayCommandSchema, { v: PROTOCOL_VERSION })).toMatch(/^type: /);
  });

  it('drops extra junk: a forged tab id, url or prototype key never comes out', () => {
    const forged = JSON.parse(`{"type":"relay-open-viewer","v":${PROTOCOL_VERSION},"tabId":7,"url":"javascript:alert(1)","__proto__":{"polluted":true}}`) as unknown;
    const value = ok(RelayCommandSchema, forged) as Record<string, unknown>;
    expect(value).toEqual(cmd);
    expect(Object.keys(value).sort()).toEqual(['type', 'v']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects non-objects', () => {
    for (const input of [null, undefined, 'relay-open-viewer', 1, true, [cmd], () => cmd]) {
      expect(parseWith(RelayCommandSchema, input).ok).toBe(false);
    }
  });
});

describe('DocInfo, DocEvents, DropCounters', () => {
  it('accept valid samples', () => {
    expect(ok(DocInfoSchema, docInfo)).toEqual(docInfo);
    expect(ok(DocEventsSchema, { doc: DOC, events: [{ seq: 3, ev: HOOK_SAMPLES.close }] })).toEqual({ doc: DOC, events: [{ seq: 3, ev: HOOK_SAMPLES.close }] });
    expect(ok(DropCountersSchema, zeroDrops())).toEqual({ malformed: 0, evicted: 0, hook: 0 });
  });

  it('reject wrong types', () => {
    expect(bad(DocInfoSchema, { ...docInfo, gone: 0 })).toMatch(/^gone: /);
    expect(bad(DocInfoSchema, { ...docInfo, order: -1 })).toMatch(/^order: /);
    expect(bad(DocInfoSchema, { ...docInfo, url: 'u'.repeat(8193) })).toMatch(/^url: /);
    expect(bad(DocInfoSchema, { ...docInfo, drops: { ...drops, evicted: 1.5 } })).toMatch(/^drops\.evicted: /);
    expect(bad(DropCountersSchema, { malformed: '1', evicted: 0, hook: 0 })).toMatch(/^malformed: /);
  });

  it('zeroDrops returns a fresh object each time', () => {
    const a = zeroDrops();
    a.evicted = 5;
    expect(zeroDrops().evicted).toBe(0);
  });
});

describe('HubToPanelSchema', () => {
  const batches = [{ doc: DOC, events: [{ seq: 0, ev: HOOK_SAMPLES.hello }] }];

  it('accepts snapshot, update and cleared', () => {
    const snap = { type: 'hub-snapshot', v: PROTOCOL_VERSION, tabId: 4, preserveLog: true, docs: [docInfo], batches };
    expect(ok(HubToPanelSchema, snap)).toEqual(snap);
    const upd = { type: 'hub-update', docs: [docInfo], batches: [] };
    expect(ok(HubToPanelSchema, upd)).toEqual(upd);
    expect(ok(HubToPanelSchema, { type: 'hub-cleared', keepDocs: [DOC] })).toEqual({ type: 'hub-cleared', keepDocs: [DOC] });
  });

  it('rejects wrong types', () => {
    expect(bad(HubToPanelSchema, { type: 'hub-snapshot', v: 1, tabId: '4', preserveLog: true, docs: [], batches: [] })).toMatch(/^tabId: /);
    expect(bad(HubToPanelSchema, { type: 'hub-update', docs: [{ ...docInfo, top: 1 }], batches: [] })).toMatch(/^docs\.0\.top: /);
    expect(bad(HubToPanelSchema, { type: 'hub-cleared', keepDocs: ['bad id'] })).toMatch(/^keepDocs\.0: /);
    expect(bad(HubToPanelSchema, { type: 'hub-reset' })).toMatch(/^type: /);
  });
});

describe('PanelToHubSchema', () => {
  it('accepts subscribe, clear and preserve-log', () => {
    const sub = { type: 'panel-subscribe', v: PROTOCOL_VERSION, tabId: 12, preserveLog: false };
    expect(ok(PanelToHubSchema, sub)).toEqual(sub);
    expect(ok(PanelToHubSchema, { type: 'panel-clear', extra: 1 })).toEqual({ type: 'panel-clear' });
    expect(ok(PanelToHubSchema, { type: 'panel-preserve-log', on: true })).toEqual({ type: 'panel-preserve-log', on: true });
  });

  it('rejects wrong types', () => {
    expect(bad(PanelToHubSchema, { type: 'panel-subscribe', v: PROTOCOL_VERSION, tabId: 1.5, preserveLog: false })).toMatch(/^tabId: /);
    expect(bad(PanelToHubSchema, { type: 'panel-subscribe', v: 0, tabId: 1, preserveLog: false })).toMatch(/^v: /);
    expect(bad(PanelToHubSchema, { type: 'panel-preserve-log', on: 'yes' })).toMatch(/^on: /);
    expect(bad(PanelToHubSchema, { type: 'panel-nuke' })).toMatch(/^type: /);
  });
});

describe('parseWith', () => {
  it('gives one short "path: message" line', () => {
    const err = bad(HookEventSchema, { k: 'open', sid: 'x', t: 1, protocol: '', extensions: '' });
    expect(err).toBe('sid: Invalid type: Expected number but received "x"');
    expect(err).not.toContain('\n');
  });

  it('joins nested paths with dots', () => {
    expect(bad(HubToPanelSchema, { type: 'hub-update', docs: [], batches: [{ doc: DOC, events: [{ seq: 0, ev: { ...HOOK_SAMPLES.close, clean: 'y' } }] }] })).toMatch(
      /^batches\.0\.events\.0\.ev\.clean: /,
    );
  });

  it('has no path prefix for a top-level type error', () => {
    expect(bad(HookEventSchema, 5)).toBe('Invalid type: Expected Object but received 5');
  });

  it('returns the parsed output on success', () => {
    expect(parseWith(DropCountersSchema, { malformed: 0, evicted: 1, hook: 2 })).toEqual({ ok: true, value: { malformed: 0, evicted: 1, hook: 2 } });
  });
});
