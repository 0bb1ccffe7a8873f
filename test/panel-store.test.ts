import { describe, expect, it } from 'vitest';

import type { DocInfo, HubToPanel } from '../src/core/wire/protocol.ts';
import { connectionId, listConnections } from '../src/core/session/session.ts';
import { PanelStore } from '../src/panel/store.ts';
import { DOC_A, DOC_B, DOC_C, HookSeq, ORIGIN, zero } from './helpers/hook-events.ts';

/** A scheduler the test runs by hand: notifications happen only when we flush. */
function manual() {
  const queue: Array<() => void> = [];
  return {
    schedule: (fn: () => void) => queue.push(fn),
    flush() {
      const fns = queue.splice(0);
      for (const fn of fns) fn();
      return fns.length;
    },
    get pending() {
      return queue.length;
    },
  };
}

const info = (doc: string, more: Partial<DocInfo> = {}): DocInfo => ({
  doc,
  frameId: 0,
  order: 0,
  url: 'https://app.example/',
  top: true,
  timeOrigin: ORIGIN,
  gone: false,
  drops: zero(),
  ...more,
});

const snapshot = (docs: DocInfo[], batches: Array<{ doc: string; events: HookSeq['events'] }>, tabId = 3): HubToPanel => ({
  type: 'hub-snapshot',
  v: 1,
  tabId,
  preserveLog: false,
  docs,
  batches,
});

const update = (docs: DocInfo[], batches: Array<{ doc: string; events: HookSeq['events'] }> = []): HubToPanel => ({ type: 'hub-update', docs, batches });

const newStore = () => {
  const sch = manual();
  return { store: new PanelStore({}, sch.schedule), sch };
};

describe('PanelStore: snapshot', () => {
  it('builds the session from a snapshot', () => {
    const { store } = newStore();
    const a = new HookSeq(DOC_A).create(1, 10).open(1, 20).message(1, 30, 5);
    store.receive(snapshot([info(DOC_A)], [{ doc: DOC_A, events: a.events }], 42));
    expect(store.tabId).toBe(42);
    expect([...store.docs.keys()]).toEqual([DOC_A]);
    const c = store.session.connections.get(connectionId(DOC_A, 1))!;
    expect(c).toMatchObject({ state: 'open', createdAt: ORIGIN + 10, openedAt: ORIGIN + 20 });
    expect(c.stats.received).toBe(1);
  });

  it('a snapshot replaces the whole state (the hub may hold less or more after a reconnect)', () => {
    const { store } = newStore();
    const a = new HookSeq(DOC_A).create(1, 0).open(1, 1);
    store.receive(snapshot([info(DOC_A)], [{ doc: DOC_A, events: a.events }]));
    store.receive(update([], [{ doc: DOC_A, events: new HookSeq(DOC_A, ORIGIN, { hello: false, firstSeq: 3 }).create(2, 5).events }]));
    expect(listConnections(store.session)).toHaveLength(2);

    const b = new HookSeq(DOC_B, ORIGIN + 1000).create(9, 0);
    store.receive(snapshot([info(DOC_B, { order: 1 })], [{ doc: DOC_B, events: b.events }], 5));
    expect(store.tabId).toBe(5);
    expect([...store.docs.keys()]).toEqual([DOC_B]);
    expect(listConnections(store.session).map((c) => c.id)).toEqual([connectionId(DOC_B, 9)]);
    expect([...store.session.docs.keys()]).toEqual([DOC_B]);
    expect(store.session.duplicates).toBe(0);

    // The same events again in a new snapshot are not duplicates: the state starts afresh.
    store.receive(snapshot([info(DOC_B, { order: 1 })], [{ doc: DOC_B, events: b.events }], 5));
    expect(listConnections(store.session)).toHaveLength(1);
    expect(store.session.duplicates).toBe(0);
  });

  it('keeps its session limits across snapshots', () => {
    const sch = manual();
    const store = new PanelStore({ maxMessagesPerConnection: 2 }, sch.schedule);
    const a = new HookSeq(DOC_A).create(1, 0).open(1, 1);
    for (let i = 0; i < 30; i++) a.message(1, 2 + i, 1);
    store.receive(snapshot([info(DOC_A)], [{ doc: DOC_A, events: a.events }]));
    store.receive(snapshot([info(DOC_A)], [{ doc: DOC_A, events: a.events }]));
    const c = store.session.connections.get(connectionId(DOC_A, 1))!;
    expect(store.session.limits.maxMessagesPerConnection).toBe(2);
    expect(c.messages.length).toBeLessThanOrEqual(3);
    expect(c.stats.received).toBe(30);
  });

  it('a doc info with a time origin anchors events even when the hello event was cleared from the hub', () => {
    const { store } = newStore();
    // After a hub clear, the ring no longer holds the hello: only the doc info has the anchor.
    const rest = new HookSeq(DOC_A, ORIGIN, { hello: false, firstSeq: 10 }).create(1, 7);
    store.receive(snapshot([info(DOC_A, { timeOrigin: ORIGIN + 500 })], [{ doc: DOC_A, events: rest.events }]));
    expect(store.session.connections.get(connectionId(DOC_A, 1))!.createdAt).toBe(ORIGIN + 500 + 7);
  });
});

describe('PanelStore: updates', () => {
  it('applies batches and doc infos; replays are ignored', () => {
    const { store } = newStore();
    store.receive(snapshot([], []));
    const a = new HookSeq(DOC_A).create(1, 0).open(1, 5);
    store.receive(update([info(DOC_A)], []));
    expect(store.docs.get(DOC_A)).toEqual(info(DOC_A));
    store.receive(update([], [{ doc: DOC_A, events: a.events.slice(0, 2) }]));
    expect(store.session.connections.get(connectionId(DOC_A, 1))!.state).toBe('connecting');
    store.receive(update([], [{ doc: DOC_A, events: a.events }]));
    expect(store.session.connections.get(connectionId(DOC_A, 1))!.state).toBe('open');
    expect(store.session.duplicates).toBe(2);

    // An iframe document arrives in the same update as its events.
    const b = new HookSeq(DOC_B, ORIGIN + 300, { top: false, url: 'https://frame.example/' }).create(4, 1);
    store.receive(update([info(DOC_B, { frameId: 2, top: false, order: 1, url: 'https://frame.example/', timeOrigin: ORIGIN + 300 })], [{ doc: DOC_B, events: b.events }]));
    expect(store.session.connections.get(connectionId(DOC_B, 4))!.createdAt).toBe(ORIGIN + 301);
    expect(listConnections(store.session).map((c) => c.id)).toEqual([connectionId(DOC_A, 1), connectionId(DOC_B, 4)]);
    expect(store.docs.get(DOC_B)!.top).toBe(false);
  });

  it('a doc info replaces the earlier one (drops, url, gone)', () => {
    const { store } = newStore();
    store.receive(update([info(DOC_A)]));
    store.receive(update([info(DOC_A, { url: 'https://app.example/2', drops: { malformed: 1, evicted: 2, hook: 3 } })]));
    expect(store.docs.get(DOC_A)).toMatchObject({ url: 'https://app.example/2', drops: { malformed: 1, evicted: 2, hook: 3 } });
  });
});

describe('PanelStore: gone documents', () => {
  it('a document marked gone ends its live sockets as frame-gone, and only those', () => {
    const { store } = newStore();
    const a = new HookSeq(DOC_A)
      .create(1, 0)
      .open(1, 1) // live
      .create(2, 0)
      .open(2, 1)
      .close(2, 50, 1011, 'oops', true) // already closed
      .create(3, 60); // connecting
    const b = new HookSeq(DOC_B, ORIGIN, { top: false }).create(1, 0).open(1, 1);
    store.receive(snapshot([info(DOC_A), info(DOC_B, { frameId: 1, top: false, order: 1 })], [
      { doc: DOC_A, events: a.events },
      { doc: DOC_B, events: b.events },
    ]));
    store.receive(update([info(DOC_A, { gone: true })]));
    for (const sid of [1, 3]) {
      const c = store.session.connections.get(connectionId(DOC_A, sid))!;
      expect(c.state).toBe('closed');
      expect(c.close).toMatchObject({ code: 1001, reason: '', wasClean: false, synthetic: 'frame-gone' });
    }
    expect(store.session.connections.get(connectionId(DOC_A, 2))!.close).toEqual({ at: ORIGIN + 50, code: 1011, reason: 'oops', wasClean: true });
    expect(store.session.connections.get(connectionId(DOC_B, 1))!.state).toBe('open');
    expect(store.docs.get(DOC_A)!.gone).toBe(true);
  });

  it('a socket already ended by pagehide keeps its pagehide end', () => {
    const { store } = newStore();
    const a = new HookSeq(DOC_A).create(1, 0).open(1, 1).page(100, 'pagehide');
    store.receive(snapshot([info(DOC_A)], [{ doc: DOC_A, events: a.events }]));
    store.receive(update([info(DOC_A, { gone: true })]));
    expect(store.session.connections.get(connectionId(DOC_A, 1))!.close).toEqual({ at: ORIGIN + 100, code: 1001, reason: '', wasClean: false, synthetic: 'pagehide' });
  });

  it('a snapshot with a gone document ends its live sockets too', () => {
    const { store } = newStore();
    const a = new HookSeq(DOC_A).create(1, 0).open(1, 1);
    store.receive(snapshot([info(DOC_A, { gone: true })], [{ doc: DOC_A, events: a.events }]));
    expect(store.session.connections.get(connectionId(DOC_A, 1))!.close).toMatchObject({ code: 1001, synthetic: 'frame-gone' });
  });
});

describe('PanelStore: hub-cleared', () => {
  const setup = () => {
    const { store, sch } = newStore();
    const a = new HookSeq(DOC_A).create(1, 0).open(1, 1).page(5, 'offline').page(50, 'pagehide');
    const b = new HookSeq(DOC_B, ORIGIN + 100).create(1, 0).open(1, 1).page(2, 'hidden');
    const c = new HookSeq(DOC_C, ORIGIN + 200, { top: false }).create(2, 0);
    store.receive(
      snapshot(
        [info(DOC_A, { gone: true }), info(DOC_B, { order: 1, timeOrigin: ORIGIN + 100 }), info(DOC_C, { order: 2, frameId: 1, top: false, timeOrigin: ORIGIN + 200 })],
        [
          { doc: DOC_A, events: a.events },
          { doc: DOC_B, events: b.events },
          { doc: DOC_C, events: c.events },
        ],
      ),
    );
    return { store, sch, a, b, c };
  };

  it('removes the documents not kept, with their connections and context', () => {
    const { store } = setup();
    store.receive({ type: 'hub-cleared', keepDocs: [DOC_B, DOC_C] });
    expect([...store.docs.keys()].sort()).toEqual([DOC_B, DOC_C]);
    expect([...store.session.docs.keys()].sort()).toEqual([DOC_B, DOC_C]);
    expect(listConnections(store.session).every((c) => c.doc !== DOC_A)).toBe(true);
    expect(store.session.context.every((e) => e.doc !== DOC_A)).toBe(true);
  });

  it('an empty keep list (navigation without preserve log) empties everything', () => {
    const { store } = setup();
    store.receive({ type: 'hub-cleared', keepDocs: [] });
    expect(store.docs.size).toBe(0);
    expect(listConnections(store.session)).toEqual([]);
    expect(store.session.context).toEqual([]);
    expect(store.drops()).toEqual(zero());
  });

  it('Clear ("Clear all connections") empties the list even for live documents, whose sequence goes on', () => {
    // The hub's clear forgets every event of the tab (the live documents' create events
    // included) and keeps the live documents only so that their seq numbers go on. A panel that
    // subscribes after the clear therefore shows no connection: the panel that asked for the
    // clear must show the same, as the button's title promises.
    const { store, b } = setup();
    store.receive({ type: 'hub-cleared', keepDocs: [DOC_B, DOC_C] });
    expect(listConnections(store.session)).toEqual([]);
    // Seq continuity: a replay of old events does not resurrect anything...
    store.receive(update([], [{ doc: DOC_B, events: b.events }]));
    expect(listConnections(store.session)).toEqual([]);
    // ...and new ones still apply.
    b.create(2, 500);
    store.receive(update([], [{ doc: DOC_B, events: b.events.slice(-1) }]));
    expect(listConnections(store.session).map((c) => c.id)).toEqual([connectionId(DOC_B, 2)]);
    expect(store.session.connections.get(connectionId(DOC_B, 2))!.createdAt).toBe(ORIGIN + 100 + 500);
  });
});

describe('PanelStore: drops and notification', () => {
  it('drops() totals every document’s counters', () => {
    const { store } = newStore();
    expect(store.drops()).toEqual(zero());
    store.receive(
      update([
        info(DOC_A, { drops: { malformed: 1, evicted: 10, hook: 0 } }),
        info(DOC_B, { drops: { malformed: 2, evicted: 0, hook: 5 } }),
        info(DOC_C, { drops: { malformed: 0, evicted: 7, hook: 1 } }),
      ]),
    );
    // The buffers' own eviction counters are not what the panel misses (see the next test).
    expect(store.drops()).toEqual({ malformed: 3, evicted: 0, hook: 6 });
    store.receive(update([info(DOC_A, { drops: { malformed: 4, evicted: 10, hook: 0 } })]));
    expect(store.drops()).toEqual({ malformed: 6, evicted: 0, hook: 6 });
  });

  it('counts as evicted exactly the events this panel never got, whichever buffer dropped them', () => {
    const { store } = newStore();
    // DOC_A: the hub had evicted seqs 0..4 before the panel looked, and 8..10 later went from the
    // relay's ring before a replay; the relay's and hub's counters say more (they also count
    // events evicted after forwarding them), which must not show.
    const a = new HookSeq(DOC_A, ORIGIN, { firstSeq: 5 }).create(1, 0).send(1, 1, 4).skip(3).send(1, 2, 4);
    // DOC_B: seq 2 was refused by the hub (malformed), not evicted.
    const b = new HookSeq(DOC_B).create(2, 0).skip(1).send(2, 1, 4);
    store.receive(
      snapshot(
        [info(DOC_A, { drops: { malformed: 0, evicted: 40, hook: 0 } }), info(DOC_B, { drops: { malformed: 1, evicted: 0, hook: 0 }, rejected: 1 })],
        [
          { doc: DOC_A, events: a.events },
          { doc: DOC_B, events: b.events },
        ],
      ),
    );
    expect(store.drops()).toEqual({ malformed: 1, evicted: 5 + 3, hook: 0 });
    // A replay of what the panel has changes nothing.
    store.receive(update([], [{ doc: DOC_A, events: a.events }]));
    expect(store.drops().evicted).toBe(8);
  });

  it('listeners are notified once per burst', () => {
    const { store, sch } = newStore();
    let a = 0;
    let b = 0;
    store.subscribe(() => a++);
    const unsubscribe = store.subscribe(() => b++);
    const v0 = store.version;

    store.receive(snapshot([info(DOC_A)], [{ doc: DOC_A, events: new HookSeq(DOC_A).create(1, 0).events }]));
    store.receive(update([info(DOC_A)]));
    store.setConnected(true);
    store.receive({ type: 'hub-cleared', keepDocs: [] });
    // Every change bumps the version at once; notification waits for the scheduler.
    expect(store.version).toBe(v0 + 4);
    expect(store.connected).toBe(true);
    expect([a, b]).toEqual([0, 0]);
    expect(sch.pending).toBe(1);
    expect(sch.flush()).toBe(1);
    expect([a, b]).toEqual([1, 1]);
    expect(sch.flush()).toBe(0);
    expect([a, b]).toEqual([1, 1]);

    // A new burst after the flush notifies again; an unsubscribed listener no longer hears it.
    unsubscribe();
    store.receive(update([]));
    store.setConnected(false);
    expect(sch.flush()).toBe(1);
    expect([a, b]).toEqual([2, 1]);
    expect(store.version).toBe(v0 + 6);
  });
});

describe('network observations in the panel store', () => {
  const obs = (i: number, source: 'webrequest' | 'devtools' = 'webrequest') => ({ id: `${source}:${i}`, source, url: 'ws://127.0.0.1:9/', at: ORIGIN + i, error: 'NS_ERROR_CONNECTION_REFUSED' });

  it('a retry storm of thousands of refused attempts stays bounded and is counted', () => {
    const store = new PanelStore({ maxNet: 100 }, manual().schedule);
    store.receive({ type: 'hub-snapshot', v: 1, tabId: 1, preserveLog: false, docs: [], batches: [], net: [], netDropped: 0 });
    for (let k = 0; k < 50; k++) store.receive({ type: 'hub-net', net: Array.from({ length: 100 }, (_, i) => obs(k * 100 + i)), netDropped: 7 });
    expect(store.session.net.size).toBe(100);
    // The hub's own evictions (7, as it last said) plus the panel's (4,900).
    expect(store.netDropped()).toBe(7 + 4_900);
    expect([...store.session.net.keys()][0]).toBe('webrequest:4900');
  });

  it("DevTools' observations survive a snapshot, and a Clear forgets them", () => {
    const store = new PanelStore({}, manual().schedule);
    store.addDevtoolsNet([obs(1, 'devtools')]);
    const snap: HubToPanel = { type: 'hub-snapshot', v: 1, tabId: 1, preserveLog: false, docs: [], batches: [], net: [obs(2)], netDropped: 0 };
    store.receive(snap);
    expect([...store.session.net.keys()].sort()).toEqual(['devtools:1', 'webrequest:2']);
    store.receive({ type: 'hub-cleared', keepDocs: [] });
    expect(store.session.net.size).toBe(0);
    store.receive(snap);
    expect([...store.session.net.keys()]).toEqual(['webrequest:2']);
  });

  it("a navigation's clear keeps what DevTools logged for the new page before its hello", () => {
    const store = new PanelStore({}, manual().schedule);
    store.addDevtoolsNet([obs(1, 'devtools'), { ...obs(2, 'devtools'), at: ORIGIN + 5_000 }]);
    store.receive({ type: 'hub-cleared', keepDocs: [], since: ORIGIN + 1_000 });
    expect([...store.session.net.keys()]).toEqual(['devtools:2']);
    // The user's Clear (no since) forgets everything.
    store.receive({ type: 'hub-cleared', keepDocs: [] });
    expect(store.session.net.size).toBe(0);
  });

  it('says when the browser withholds network details', () => {
    const store = new PanelStore({}, manual().schedule);
    store.receive({ type: 'hub-snapshot', v: 1, tabId: 1, preserveLog: false, docs: [], batches: [], netAccess: false });
    expect(store.netAccess).toBe(false);
    store.receive({ type: 'hub-snapshot', v: 1, tabId: 1, preserveLog: false, docs: [], batches: [] });
    expect(store.netAccess).toBe(true);
  });
});
