import { describe, expect, it } from 'vitest';

import { TabStore } from '../src/background/tab-store.ts';
import { HUB_TAB_EVENTS_MAX } from '../src/core/wire/limits.ts';
import type { SeqEvent } from '../src/core/wire/protocol.ts';
import { DOC_A, DOC_B, DOC_C, HookSeq, ORIGIN, zero } from './helpers/hook-events.ts';

const TAB = 7;
const URL_A = 'https://app.example/a';

const seqs = (events: SeqEvent[] | undefined) => events?.map((e) => e.seq);

describe('TabStore.hello', () => {
  it('registers a document with its frame, order and defaults', () => {
    const store = new TabStore();
    expect(store.has(TAB)).toBe(false);
    expect(store.hello(TAB, DOC_A, 0, URL_A, false)).toEqual({ removed: [] });
    expect(store.has(TAB)).toBe(true);
    expect(store.docInfo(TAB, DOC_A)).toEqual({ doc: DOC_A, frameId: 0, order: 0, url: URL_A, top: true, timeOrigin: 0, gone: false, drops: zero() });
    store.hello(TAB, DOC_B, 3, 'https://frame.example/', false);
    expect(store.docInfo(TAB, DOC_B)).toMatchObject({ frameId: 3, order: 1, top: false });
  });

  it('a new top document without preserve log removes the earlier documents', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.hello(TAB, DOC_B, 5, 'https://frame.example/', false);
    store.events(TAB, DOC_A, new HookSeq(DOC_A).create(1, 0).events, zero());
    const r = store.hello(TAB, DOC_C, 0, 'https://app.example/next', false);
    expect(r.removed.sort()).toEqual([DOC_A, DOC_B].sort());
    expect(store.docInfo(TAB, DOC_A)).toBeUndefined();
    expect(store.docInfo(TAB, DOC_B)).toBeUndefined();
    const snap = store.snapshot(TAB);
    expect(snap.docs.map((d) => d.doc)).toEqual([DOC_C]);
    expect(snap.batches).toEqual([{ doc: DOC_C, events: [] }]);
    // Events for a removed document are refused.
    expect(store.events(TAB, DOC_A, new HookSeq(DOC_A).events, zero())).toBeUndefined();
  });

  it("a new top document keeps its own iframes that said hello before it (relays are woken together)", () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false, false, 1_000);
    // The next page's iframe is born after its top document, and says hello first.
    store.hello(TAB, DOC_B, 5, 'https://frame.example/', false, false, 2_050);
    const r = store.hello(TAB, DOC_C, 0, 'https://app.example/next', false, false, 2_000);
    expect(r.removed).toEqual([DOC_A]);
    expect(store.snapshot(TAB).docs.map((d) => d.doc).sort()).toEqual([DOC_B, DOC_C].sort());
  });

  it('with preserve log on, a new top document keeps the earlier ones', () => {
    const store = new TabStore();
    store.setPreserveLog(TAB, true);
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.events(TAB, DOC_A, new HookSeq(DOC_A).create(1, 0).events, zero());
    store.markGone(TAB, DOC_A);
    expect(store.hello(TAB, DOC_B, 0, 'https://app.example/next', false)).toEqual({ removed: [] });
    const snap = store.snapshot(TAB);
    expect(snap.preserveLog).toBe(true);
    expect(snap.docs.map((d) => [d.doc, d.gone])).toEqual([
      [DOC_A, true],
      [DOC_B, false],
    ]);
    expect(snap.batches[0]!.events).toHaveLength(2);
  });

  it('a top document restored from the back/forward cache replaces the page we came back from, unless preserve log', () => {
    const DOC_D = 'doc-dddddddd';
    const store = new TabStore();
    // A (with its iframe D) was left for B, which removed them (no preserve log); B has an iframe C.
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.hello(TAB, DOC_B, 0, 'https://other.example/', false);
    store.hello(TAB, DOC_C, 2, 'https://frame.example/', false);
    store.markGone(TAB, DOC_C);
    // Back: A's iframe D comes back first, then A itself, restored.
    store.hello(TAB, DOC_D, 1, 'https://a-frame.example/', true);
    const r = store.hello(TAB, DOC_A, 0, URL_A, true, true);
    expect(r.removed.sort()).toEqual([DOC_B, DOC_C].sort());
    expect(store.docIds(TAB).sort()).toEqual([DOC_A, DOC_D].sort());
    // With preserve log on, nothing goes.
    const kept = new TabStore();
    kept.setPreserveLog(TAB, true);
    kept.hello(TAB, DOC_A, 0, URL_A, false);
    kept.hello(TAB, DOC_B, 0, 'https://other.example/', false);
    expect(kept.hello(TAB, DOC_A, 0, URL_A, true, true)).toEqual({ removed: [] });
    expect(kept.docIds(TAB)).toEqual([DOC_A, DOC_B]);
    // A restored iframe clears nothing.
    const frames = new TabStore();
    frames.hello(TAB, DOC_A, 0, URL_A, false);
    expect(frames.hello(TAB, DOC_B, 3, 'https://frame.example/', true, true)).toEqual({ removed: [] });
  });

  it('a replayed hello (service worker restart) never clears', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.hello(TAB, DOC_B, 4, 'https://frame.example/', true);
    expect(store.hello(TAB, DOC_C, 0, URL_A, true)).toEqual({ removed: [] });
    expect(store.snapshot(TAB).docs.map((d) => d.doc)).toEqual([DOC_A, DOC_B, DOC_C]);
  });

  it('an iframe hello never clears', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    expect(store.hello(TAB, DOC_B, 1, 'about:blank', false)).toEqual({ removed: [] });
    expect(store.hello(TAB, DOC_C, 2, 'https://frame.example/', false)).toEqual({ removed: [] });
    expect(store.snapshot(TAB).docs.map((d) => d.doc)).toEqual([DOC_A, DOC_B, DOC_C]);
  });

  it('a repeated hello for a known document (port reconnect) clears nothing and revives it', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.hello(TAB, DOC_B, 1, 'about:blank', false);
    store.events(TAB, DOC_A, new HookSeq(DOC_A).create(1, 0).events, zero());
    store.markGone(TAB, DOC_A);
    expect(store.hello(TAB, DOC_A, 0, URL_A, false)).toEqual({ removed: [] });
    expect(store.docInfo(TAB, DOC_A)).toMatchObject({ gone: false, order: 0 });
    expect(store.docInfo(TAB, DOC_B)).toBeDefined();
    expect(store.snapshot(TAB).batches[0]!.events).toHaveLength(2);
  });
});

describe('TabStore.events', () => {
  it('drops events at or below the last seq and returns only the fresh ones', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    const s = new HookSeq(DOC_A).create(1, 0).open(1, 5).send(1, 6, 3).message(1, 7, 4).close(1, 9, 1000);
    expect(seqs(store.events(TAB, DOC_A, s.events.slice(0, 3), zero()))).toEqual([0, 1, 2]);
    // The relay resends its whole ring: only the new part is fresh.
    expect(seqs(store.events(TAB, DOC_A, s.events, zero()))).toEqual([3, 4, 5]);
    expect(store.events(TAB, DOC_A, s.events, zero())).toEqual([]);
    expect(store.events(TAB, DOC_A, s.events.slice(1, 2), zero())).toEqual([]);
    expect(seqs(store.snapshot(TAB).batches[0]!.events)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps gaps (they are the relay’s evictions) and orders by arrival', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    const s = new HookSeq(DOC_A).create(1, 0).skip(10).open(1, 5);
    expect(seqs(store.events(TAB, DOC_A, s.events, zero()))).toEqual([0, 1, 12]);
  });

  it('returns undefined for an unknown tab or document', () => {
    const store = new TabStore();
    expect(store.events(TAB, DOC_A, new HookSeq(DOC_A).events, zero())).toBeUndefined();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    expect(store.events(TAB, DOC_B, new HookSeq(DOC_B).events, zero())).toBeUndefined();
    expect(store.events(TAB + 1, DOC_A, new HookSeq(DOC_A).events, zero())).toBeUndefined();
  });

  it('a hello event sets the document’s time origin and url', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, '', false);
    store.events(TAB, DOC_A, new HookSeq(DOC_A, ORIGIN + 123, { url: 'https://app.example/real' }).events, zero());
    expect(store.docInfo(TAB, DOC_A)).toMatchObject({ timeOrigin: ORIGIN + 123, url: 'https://app.example/real' });
  });

  it('reports drops: the relay’s counters, with evicted adding the hub ring’s own evictions', () => {
    const store = new TabStore(8);
    store.hello(TAB, DOC_A, 0, URL_A, false);
    const s = new HookSeq(DOC_A).create(1, 0).open(1, 1);
    for (let i = 0; i < 40; i++) s.message(1, 2 + i, 1);
    const fresh = store.events(TAB, DOC_A, s.events, { malformed: 2, evicted: 5, hook: 1 });
    expect(fresh).toHaveLength(43);
    const held = store.snapshot(TAB).batches[0]!.events.length;
    expect(held).toBeLessThanOrEqual(8);
    const ringEvicted = 43 - held;
    expect(ringEvicted).toBeGreaterThan(0);
    expect(store.docInfo(TAB, DOC_A)!.drops).toEqual({ malformed: 2, evicted: 5 + ringEvicted, hook: 1 });
    // Lifecycle events are what the hub keeps.
    expect(store.snapshot(TAB).batches[0]!.events.slice(0, 3).map((e) => e.ev.k)).toEqual(['hello', 'create', 'open']);
    // The relay's counters are cumulative: the latest replaces, the ring's own still add.
    store.events(TAB, DOC_A, [], { malformed: 3, evicted: 5, hook: 1 });
    expect(store.docInfo(TAB, DOC_A)!.drops).toEqual({ malformed: 3, evicted: 5 + ringEvicted, hook: 1 });
  });

  it('the default bound is HUB_TAB_EVENTS_MAX', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    const events: SeqEvent[] = [];
    for (let i = 0; i <= HUB_TAB_EVENTS_MAX; i++) events.push({ seq: i, ev: { k: 'message', sid: 1, t: i, n: i, bin: false, size: 1 } });
    store.events(TAB, DOC_A, events, zero());
    const held = store.snapshot(TAB).batches[0]!.events.length;
    expect(held).toBeLessThanOrEqual(HUB_TAB_EVENTS_MAX);
    expect(store.docInfo(TAB, DOC_A)!.drops.evicted).toBe(HUB_TAB_EVENTS_MAX + 1 - held);
  });

  it('the bound holds per tab, across all documents of the tab (limits.ts: HUB_TAB_EVENTS_MAX)', () => {
    // limits.ts documents HUB_TAB_EVENTS_MAX as "Events the hub keeps per tab, across all
    // documents of the tab"; the background must not hold unbounded memory, even with
    // preserve log on over many reloads or with many iframes.
    const max = 50;
    const store = new TabStore(max);
    store.setPreserveLog(TAB, true);
    const docs = ['doc-00000001', 'doc-00000002', 'doc-00000003', 'doc-00000004'];
    for (const [i, doc] of docs.entries()) {
      store.hello(TAB, doc, i === 0 ? 0 : i, URL_A, false);
      const s = new HookSeq(doc).create(1, 0).open(1, 1);
      for (let j = 0; j < 100; j++) s.message(1, 2 + j, 1);
      store.events(TAB, doc, s.events, zero());
    }
    const held = store.snapshot(TAB).batches.reduce((n, b) => n + b.events.length, 0);
    expect(held).toBeLessThanOrEqual(max);
  });
});

describe('TabStore.markGone, clear, snapshot', () => {
  it('markGone flags the document and returns its info', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    expect(store.markGone(TAB, DOC_A)).toMatchObject({ doc: DOC_A, gone: true });
    expect(store.docInfo(TAB, DOC_A)!.gone).toBe(true);
    expect(store.markGone(TAB, DOC_B)).toBeUndefined();
    expect(store.markGone(TAB + 1, DOC_A)).toBeUndefined();
  });

  it('clear drops gone documents, empties live ones and keeps their seq continuity', () => {
    const store = new TabStore();
    store.setPreserveLog(TAB, true);
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.events(TAB, DOC_A, new HookSeq(DOC_A).create(1, 0).events, zero());
    store.markGone(TAB, DOC_A);
    store.hello(TAB, DOC_B, 0, URL_A, false);
    store.hello(TAB, DOC_C, 1, 'about:blank', false);
    const b = new HookSeq(DOC_B, ORIGIN + 50).create(1, 0).open(1, 1).message(1, 2, 3);
    store.events(TAB, DOC_B, b.events, { malformed: 1, evicted: 0, hook: 0 });

    expect(store.clear(TAB).sort()).toEqual([DOC_B, DOC_C].sort());
    expect(store.docInfo(TAB, DOC_A)).toBeUndefined();
    const snap = store.snapshot(TAB);
    expect(snap.docs.map((d) => d.doc)).toEqual([DOC_B, DOC_C]);
    expect(snap.batches).toEqual([
      { doc: DOC_B, events: [] },
      { doc: DOC_C, events: [] },
    ]);
    // What the document is stays known (its clock anchor above all) and its drops stay counted.
    expect(store.docInfo(TAB, DOC_B)).toMatchObject({ timeOrigin: ORIGIN + 50, drops: { malformed: 1, evicted: 0, hook: 0 } });
    // A panel that looks later must not count the cleared seqs 0..3 as evicted.
    expect(store.docInfo(TAB, DOC_B)!.base).toBe(4);

    // An event with an old seq after clear (a relay replay) is still ignored...
    expect(store.events(TAB, DOC_B, b.events, zero())).toEqual([]);
    expect(store.snapshot(TAB).batches[0]!.events).toEqual([]);
    // ...while new ones go on.
    b.message(1, 10, 4);
    expect(seqs(store.events(TAB, DOC_B, b.events, zero()))).toEqual([4]);
    expect(seqs(store.snapshot(TAB).batches[0]!.events)).toEqual([4]);
  });

  it('snapshot lists documents in the order first seen, with copies of their info', () => {
    const store = new TabStore();
    store.setPreserveLog(TAB, true);
    store.hello(TAB, DOC_C, 0, URL_A, false);
    store.hello(TAB, DOC_A, 2, 'about:blank', false);
    store.hello(TAB, DOC_B, 0, URL_A, false);
    // A hello again does not change the order.
    store.hello(TAB, DOC_C, 0, URL_A, true);
    const snap = store.snapshot(TAB);
    expect(snap.docs.map((d) => [d.doc, d.order])).toEqual([
      [DOC_C, 0],
      [DOC_A, 1],
      [DOC_B, 2],
    ]);
    expect(snap.batches.map((b) => b.doc)).toEqual([DOC_C, DOC_A, DOC_B]);
    snap.docs[0]!.gone = true;
    expect(store.docInfo(TAB, DOC_C)!.gone).toBe(false);
  });

  it('the order keeps increasing after documents are removed', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.hello(TAB, DOC_B, 0, URL_A, false);
    expect(store.docInfo(TAB, DOC_B)!.order).toBe(1);
  });

  it('a snapshot of an unknown tab is empty and not preserving', () => {
    expect(new TabStore().snapshot(99)).toEqual({ preserveLog: false, docs: [], batches: [] });
  });

  it('removeTab forgets everything of that tab', () => {
    const store = new TabStore();
    store.hello(TAB, DOC_A, 0, URL_A, false);
    store.removeTab(TAB);
    expect(store.has(TAB)).toBe(false);
    expect(store.docInfo(TAB, DOC_A)).toBeUndefined();
  });
});

describe('TabStore: tabs never mix', () => {
  it('the same document id in two tabs stays separate', () => {
    const store = new TabStore();
    store.hello(1, DOC_A, 0, 'https://one.example/', false);
    store.hello(2, DOC_A, 0, 'https://two.example/', false);
    const one = new HookSeq(DOC_A, ORIGIN + 1, { url: 'https://one.example/' }).create(1, 0, 'wss://one/');
    const two = new HookSeq(DOC_A, ORIGIN + 2, { url: 'https://two.example/' }).create(1, 0, 'wss://two/').open(1, 3).message(1, 4, 1);
    expect(seqs(store.events(1, DOC_A, one.events, { malformed: 9, evicted: 0, hook: 0 }))).toEqual([0, 1]);
    // Tab 2's seqs overlap tab 1's: they are not replays there.
    expect(seqs(store.events(2, DOC_A, two.events, zero()))).toEqual([0, 1, 2, 3]);
    expect(store.docInfo(1, DOC_A)).toMatchObject({ url: 'https://one.example/', timeOrigin: ORIGIN + 1, drops: { malformed: 9 } });
    expect(store.docInfo(2, DOC_A)).toMatchObject({ url: 'https://two.example/', timeOrigin: ORIGIN + 2, drops: { malformed: 0 } });
    expect(store.snapshot(1).batches[0]!.events).toEqual(one.events);
    expect(store.snapshot(2).batches[0]!.events).toEqual(two.events);

    // Navigation, preserve log, gone and clear in one tab leave the other alone.
    store.setPreserveLog(2, true);
    expect(store.snapshot(1).preserveLog).toBe(false);
    store.markGone(1, DOC_A);
    expect(store.docInfo(2, DOC_A)!.gone).toBe(false);
    expect(store.clear(1)).toEqual([]);
    expect(store.snapshot(2).batches[0]!.events).toEqual(two.events);
    store.hello(2, DOC_B, 0, 'https://two.example/next', false);
    store.hello(1, DOC_C, 0, 'https://one.example/next', false);
    expect(store.snapshot(2).docs.map((d) => d.doc)).toEqual([DOC_A, DOC_B]);
    expect(store.snapshot(1).docs.map((d) => d.doc)).toEqual([DOC_C]);
  });
});
