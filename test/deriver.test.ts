import { describe, expect, it } from 'vitest';
import type { DocInfo, HubToPanel } from '../src/core/wire/protocol.ts';
import { packHub } from '../src/core/wire/wire.ts';
import { derive } from '../src/panel/derive.ts';
import { DeriverClient, localHar, type WorkerLike } from '../src/panel/deriver/client.ts';
import { Deriver } from '../src/panel/deriver/core.ts';
import { parseDeriverToPanel, parsePanelToDeriver, type PanelToDeriver } from '../src/panel/deriver/protocol.ts';
import { PanelStore } from '../src/panel/store.ts';
import { DOC_A, HookSeq, ORIGIN, zero } from './helpers/hook-events.ts';

// har-io.ts writes the build's version into the HAR (a vite define); Node has no build.
(globalThis as { __SA_VERSION__?: string }).__SA_VERSION__ = '0.0.0-test';

const info = (doc: string): DocInfo => ({ doc, frameId: 0, order: 0, url: 'https://app.example/', top: true, timeOrigin: ORIGIN, gone: false, drops: zero() });

/** A session with a clean close, an abnormal one, a reconnect and a live socket with traffic. */
function hubMessages(): HubToPanel[] {
  const a = new HookSeq(DOC_A)
    .create(1, 10, 'wss://api.example/ws')
    .open(1, 20)
    .send(1, 30, 5)
    .payload(1, 1, 'send', 'hello')
    .message(1, 40, 3)
    .payload(1, 1, 'message', 'hey')
    .close(1, 500, 1006)
    .create(2, 1500, 'wss://api.example/ws')
    .open(2, 1510)
    .create(3, 2000, 'wss://other.example/live')
    .open(3, 2010)
    .message(3, 2020, 7);
  const k = a.events.length;
  a.close(2, 3000, 1000, 'bye');
  return [
    { type: 'hub-snapshot', v: 1, tabId: 7, preserveLog: false, docs: [info(DOC_A)], batches: [{ doc: DOC_A, events: a.events.slice(0, k) }] },
    { type: 'hub-update', docs: [info(DOC_A)], batches: [{ doc: DOC_A, events: a.events.slice(k) }] },
  ];
}

/** Runs the deriver in this process behind the same message boundary a Worker has (structured clone, checks, a later task). */
function inProcessWorker(posted: PanelToDeriver[] = []): WorkerLike {
  const d = new Deriver();
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    terminate() {},
    postMessage(msg) {
      posted.push(msg);
      const m = parsePanelToDeriver(structuredClone(msg));
      if (!m) throw new Error('the deriver refused a panel message');
      setTimeout(() => {
        const out = d.handle(m);
        if (!out) return;
        w.onmessage?.({ data: out.type === 'derived' ? structuredClone(out) : out });
      }, 0);
    },
  };
  return w;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the deriver worker', () => {
  it('derives what the panel thread would: the same rows, diagnoses, chains and summary', async () => {
    const store = new PanelStore({}, () => {});
    const posted: PanelToDeriver[] = [];
    const client = new DeriverClient(store, () => inProcessWorker(posted));
    expect(client.mode).toBe('worker');
    let heard = 0;
    client.subscribe(() => heard++);
    // As host.ts gives them: parsed, with the packed form that came off the port.
    for (const m of hubMessages()) store.receive(m, packHub(m));
    client.want(store.version, 0);
    await settle();
    expect(heard).toBe(1);
    const got = client.current()!;
    const here = derive(store.session, got.now);
    expect(got.connections.map((c) => c.id)).toEqual(here.connections.map((c) => c.id));
    // Joined to the panel's own connection objects, not copies.
    for (const c of got.connections) expect(c).toBe(store.session.connections.get(c.id));
    expect(got.diagnoses).toEqual(here.diagnoses);
    expect(got.chains).toEqual(here.chains);
    expect(got.summary).toEqual(here.summary);
    expect(got.rows).toEqual(here.rows);
    expect([...got.chainOf.keys()]).toEqual([...here.chainOf.keys()]);
    // The hub's messages went over once each, before the derive request.
    expect(posted.map((p) => p.type)).toEqual(['input', 'derive']);
    const inputs = posted[0]!.type === 'input' ? posted[0]!.inputs : [];
    expect(inputs.map((i) => i.type)).toEqual(['wire', 'wire']);
  });

  it('writes the same HAR as the panel thread', async () => {
    const store = new PanelStore({}, () => {});
    const client = new DeriverClient(store, () => inProcessWorker());
    for (const m of hubMessages()) store.receive(m);
    const now = ORIGIN + 10_000;
    for (const choice of [{ redact: true }, { redact: false, payloadCap: 2 }, { redact: false, selected: [[...store.session.connections.keys()][0]!] }]) {
      const d = new Deriver();
      d.input(hubMessages().map((msg) => ({ type: 'hub', msg })));
      const main = localHar(store, choice, 'en', 'https://app.example/', derive(store.session, now));
      expect(d.harText(now, choice, 'en', 'https://app.example/')).toBe(main);
    }
    const blob = await client.exportHar({ redact: true }, 'ja', 'https://app.example/', () => 'not this');
    const har = JSON.parse(await blob.text()) as { log: { entries: unknown[] } };
    expect(har.log.entries.length).toBe(store.session.connections.size);
  });

  it('falls back to the panel thread when the worker cannot start', async () => {
    const store = new PanelStore({}, () => {});
    const client = new DeriverClient(store, () => {
      throw new Error('refused by the content security policy');
    });
    expect(client.mode).toBe('local');
    expect(store.tap).toBeUndefined();
    for (const m of hubMessages()) store.receive(m);
    client.want(store.version, 0);
    await settle();
    expect(client.current()).toBeUndefined();
    const blob = await client.exportHar({ redact: true }, 'en', '', () => 'here');
    expect(await blob.text()).toBe('here');
  });

  it('falls back when the worker fails after starting, and answers a pending export here', async () => {
    const store = new PanelStore({}, () => {});
    let worker: WorkerLike | undefined;
    const client = new DeriverClient(store, () => (worker = { onmessage: null, onerror: null, terminate() {}, postMessage() {} }));
    let heard = 0;
    client.subscribe(() => heard++);
    const pending = client.exportHar({ redact: true }, 'en', '', () => 'here');
    worker!.onerror!(new Event('error'));
    expect(client.mode).toBe('local');
    expect(heard).toBe(1);
    expect(store.tap).toBeUndefined();
    expect(await (await pending).text()).toBe('here');
  });

  it('checks what crosses the boundary', () => {
    expect(parsePanelToDeriver({ type: 'derive', id: 1.5, now: 0 })).toBeUndefined();
    expect(parsePanelToDeriver({ type: 'har', id: 1, now: 0, choice: { redact: 'yes' }, lang: 'en', pageUrl: '' })).toBeUndefined();
    expect(parsePanelToDeriver({ type: 'input', inputs: [{ type: 'hub' }] })).toBeUndefined();
    expect(parsePanelToDeriver({ type: 'nope' })).toBeUndefined();
    expect(parseDeriverToPanel({ type: 'derived', id: 1, ms: 1, derived: { order: [1] } })).toBeUndefined();
    expect(parseDeriverToPanel({ type: 'har', id: 1, blob: 'text', pageUrl: '' })).toBeUndefined();
    const d = new Deriver().derive(0);
    expect(parseDeriverToPanel({ type: 'derived', id: 1, ms: 1, derived: d })).toBeDefined();
  });
});
