// Deep capture's engine (src/background/deep.ts, deep-shared.ts) against a scripted
// chrome.debugger (test/helpers/fake-debugger.ts): the order of the commands a worker gets, and
// what the engine reports and undoes when Chrome refuses, a target vanishes, the user cancels the
// bar, the tab closes or navigates, a Shared Worker is held by another debugger, and a worker
// floods frames. Timers are vitest's fake ones (the engine polls and scans on setTimeout).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { DeepCapture, type DeepReport } from '../src/background/deep.ts';
import { NetBook } from '../src/background/net-book.ts';
import { FRAME_ERRORS_MAX, type CdpPatch } from '../src/core/network/net-cdp.ts';
import { HubToPanelSchema, parseWith } from '../src/core/wire/protocol.ts';
import { deepLabel, deepNote, deepView } from '../src/panel/deep.ts';
import { ui } from '../src/panel/i18n.ts';
import { CHROME, evalKind, FakeDebugger, type Call } from './helpers/fake-debugger.ts';

const TAB = 7;
const PAGE = 'https://app.example/';
const SHARED_URL = 'https://app.example/shared.js';

class Sink {
  states: DeepReport[] = [];
  docs: { doc: string; url: string }[] = [];
  gone: string[] = [];
  batches: { doc: string; text: string }[] = [];
  net: CdpPatch[] = [];
  onNet?: (tabId: number, patch: CdpPatch) => void;
  state = (_tabId: number, r: DeepReport) => void this.states.push(r);
  workerDoc = (_tabId: number, doc: string, url: string) => void this.docs.push({ doc, url });
  workerBatch = (_tabId: number, doc: string, text: string) => void this.batches.push({ doc, text });
  workerGone = (_tabId: number, doc: string) => void this.gone.push(doc);
  netPatch = (tabId: number, patch: CdpPatch) => {
    this.net.push(patch);
    this.onNet?.(tabId, patch);
  };
  last(): DeepReport | undefined {
    return this.states.at(-1);
  }
}

function setup() {
  const api = new FakeDebugger();
  const sink = new Sink();
  let n = 0;
  const deep = new DeepCapture(
    api,
    { state: sink.state, workerDoc: sink.workerDoc, workerBatch: sink.workerBatch, workerGone: sink.workerGone, net: sink.netPatch },
    (binding, url) => `/*hook*/${binding}|${url}`,
    () => (++n).toString(16).padStart(6, '0'),
    () => 1_700_000_000_000,
  );
  api.targets = [{ type: 'page', id: 'P7', tabId: TAB, url: PAGE, attached: false, title: 'app' }];
  return { api, sink, deep };
}

/** Lets the engine's awaits and timers due within `ms` run. */
async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const onSession = (s: string) => (t: Call['target']) => t.sessionId === s;
const onTab = (t: Call['target']) => t.tabId === TAB && !t.sessionId;
const onShared = (t: Call['target']) => t.targetId === 'SW1';

function addShared(api: FakeDebugger): void {
  api.targets.push({ type: 'worker', id: 'SW1', url: SHARED_URL, attached: false, title: 'shared' });
}

/** The panel's words for a report, as the hub sends it (validated as the panel validates it). */
function shown(r: DeepReport | undefined, lang: 'en' | 'ja' = 'en') {
  const msg = parseWith(HubToPanelSchema, { type: 'hub-deep', ...r });
  if (!msg.ok || msg.value.type !== 'hub-deep') throw new Error('the panel would refuse this report');
  const view = deepView(msg.value);
  const label = deepLabel(view);
  const note = deepNote(view);
  return { label: label ? ui(lang, label.key, label.params) : '', note: note ? ui(lang, note.key, note.params) : undefined };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('deep capture: attach and workers', () => {
  it('enables the network and auto-attach on the tab, then reports on', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    expect(api.script(onTab)).toEqual(['attach', 'Network.enable', 'Target.setAutoAttach']);
    expect(api.sends((c) => c.method === 'Target.setAutoAttach')[0]?.params).toEqual({ autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    expect(sink.states).toEqual([{ state: 'attaching' }, { state: 'on', workers: 0 }]);
    expect(shown(sink.last()).label).toBe('on · 0 workers');
  });

  it('evaluates a dedicated worker’s hook, and waits for its answer, before releasing it', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    let answerHook!: (v: unknown) => void;
    const normal = api.reply;
    api.reply = (t, m, p) => (t.sessionId === 'S1' && evalKind(p) === 'hook' ? new Promise((res) => (answerHook = res)) : normal(t, m, p));
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle();
    // Held: the hook has not answered, so the worker is not released yet.
    expect(api.script(onSession('S1'))).toEqual(['Runtime.evaluate:hook']);
    expect(String(api.sends((c) => c.target.sessionId === 'S1')[0]?.params?.expression)).toContain('|https://app.example/w.js');
    answerHook({ result: { type: 'undefined' } });
    await settle();
    expect(api.script(onSession('S1'))).toEqual(['Runtime.evaluate:hook', 'Target.setAutoAttach', 'Network.enable', 'Runtime.runIfWaitingForDebugger']);
    expect(sink.docs).toEqual([{ doc: expect.stringMatching(/^w-/), url: 'https://app.example/w.js' }]);
    expect(sink.last()).toEqual({ state: 'on', workers: 1 });
  });

  it('sends a held service worker its hook and Network.enable before the release that answers them', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    // The fake answers nothing on a held service worker's session until it is released.
    api.childAttached(TAB, 'S2', 'service_worker', 'https://app.example/sw.js');
    await settle();
    expect(api.script(onSession('S2'))).toEqual(['Runtime.evaluate:hook', 'Network.enable', 'Runtime.runIfWaitingForDebugger']);
    expect(api.heldSessions.has('S2')).toBe(false);
    expect(sink.last()).toEqual({ state: 'on', workers: 2 });
  });

  it('reads a worker’s batches every poll and passes them on as they are', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    const normal = api.reply;
    api.reply = (t, m, p) => (t.sessionId === 'S1' && evalKind(p) === 'poll' ? { result: { value: ['{"b":1}', 42, '{"b":2}'] } } : normal(t, m, p));
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle(200);
    const doc = sink.docs[0]?.doc;
    expect(sink.batches).toEqual([
      { doc, text: '{"b":1}' },
      { doc, text: '{"b":2}' },
    ]);
  });
});

describe('deep capture: Chrome refuses the tab', () => {
  it('another debugger holds the tab: other-debugger, said plainly, and nothing sent', async () => {
    const { api, sink, deep } = setup();
    api.refuse.set(`tab:${TAB}`, CHROME.otherDebuggerTab(TAB));
    await deep.set(TAB, true);
    await settle(1000);
    expect(sink.states).toEqual([{ state: 'attaching' }, { state: 'error', error: 'other-debugger' }]);
    expect(api.calls.map((c) => c.kind)).toEqual(['attach']);
    // Nothing of the tab's page capture is touched: no document made, marked gone or patched.
    expect([sink.docs, sink.gone, sink.batches, sink.net]).toEqual([[], [], [], []]);
    expect(shown(sink.last()).label).toMatch(/Another debugger is attached to this tab/);
    expect(shown(sink.last(), 'ja').label).toMatch(/別のデバッガー/);
    // Once the other debugger is gone, the switch works again.
    api.refuse.clear();
    await deep.set(TAB, true);
    expect(sink.last()).toEqual({ state: 'on', workers: 0 });
  });

  it.each([
    [CHROME.chromeUrl, 'not-allowed'],
    [CHROME.noTab(TAB), 'target-gone'],
  ])('"%s" → %s', async (text, error) => {
    const { api, sink, deep } = setup();
    api.refuse.set(`tab:${TAB}`, text);
    await deep.set(TAB, true);
    expect(sink.last()).toEqual({ state: 'error', error });
    expect(api.sends()).toEqual([]);
  });

  it('the tab goes away between attach and Network.enable: target-gone, and the debugger detached', async () => {
    const { api, sink, deep } = setup();
    api.reply = (_t, m) => {
      if (m === 'Network.enable') throw new Error(CHROME.targetClosed);
      return {};
    };
    await deep.set(TAB, true);
    await settle();
    expect(sink.last()).toEqual({ state: 'error', error: 'target-gone' });
    expect(api.calls.filter((c) => c.kind === 'detach').map((c) => c.target)).toEqual([{ tabId: TAB }]);
  });
});

describe('deep capture: a worker vanishes while it is set up', () => {
  it('detached while its hook is evaluated: still released, no throw, not counted, not polled', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    let failHook!: (e: Error) => void;
    const normal = api.reply;
    api.reply = (t, m, p) => (t.sessionId === 'S1' && evalKind(p) === 'hook' ? new Promise((_res, rej) => (failHook = rej)) : normal(t, m, p));
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle();
    api.childDetached(TAB, 'S1');
    failHook(new Error(CHROME.noSession));
    await settle(1000);
    expect(api.script(onSession('S1'))).toEqual(['Runtime.evaluate:hook', 'Network.enable', 'Runtime.runIfWaitingForDebugger']);
    expect(sink.gone).toEqual([sink.docs[0]?.doc]);
    expect(sink.last()).toEqual({ state: 'on', workers: 0 });
  });

  it('every command of its session rejected ("Target closed"): released anyway, one failed poll, then gone', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    const normal = api.reply;
    api.reply = (t, m, p) => {
      if (t.sessionId === 'S1') throw new Error(CHROME.targetClosed);
      return normal(t, m, p);
    };
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle(1000);
    expect(api.script(onSession('S1'))).toEqual(['Runtime.evaluate:hook', 'Network.enable', 'Runtime.runIfWaitingForDebugger', 'Runtime.evaluate:poll']);
    api.childDetached(TAB, 'S1');
    await settle(1000);
    expect(api.sends(onSessionCall('S1')).length).toBe(4);
    expect(sink.last()).toEqual({ state: 'on', workers: 0 });
  });

  it('a hook that threw (exceptionDetails): the worker is released unwrapped, its network still watched', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    const normal = api.reply;
    api.reply = (t, m, p) => (t.sessionId === 'S1' && evalKind(p) === 'hook' ? { exceptionDetails: { text: 'Uncaught' } } : normal(t, m, p));
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle();
    expect(api.script(onSession('S1'))).toEqual(['Runtime.evaluate:hook', 'Network.enable', 'Runtime.runIfWaitingForDebugger']);
    expect(sink.last()).toEqual({ state: 'on', workers: 1 });
  });
});

function onSessionCall(s: string) {
  return (c: Call) => c.target.sessionId === s;
}

/** Deep capture on, one dedicated worker (S1) and the origin's Shared Worker (SW1) attached. */
async function withWorkers() {
  const env = setup();
  addShared(env.api);
  await env.deep.set(TAB, true);
  env.api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
  await settle();
  expect(env.api.script(onShared)).toEqual(['attach', 'Runtime.evaluate:kind', 'Network.enable', 'Runtime.evaluate:hook']);
  expect(env.sink.last()).toEqual({ state: 'on', workers: 2 });
  return env;
}

describe('deep capture: it ends', () => {
  it('the user cancels Chrome’s bar: detached-by-user, workers gone, the Shared Worker let go, no more polls', async () => {
    const { api, sink, deep } = await withWorkers();
    api.detached({ tabId: TAB }, 'canceled_by_user');
    await settle();
    expect(sink.last()).toEqual({ state: 'error', error: 'detached-by-user' });
    expect(sink.gone).toHaveLength(2);
    expect(api.calls.filter((c) => c.kind === 'detach').map((c) => c.target)).toEqual([{ targetId: 'SW1' }]);
    expect(api.held.size).toBe(0);
    const before = api.calls.length;
    await settle(2000);
    expect(api.calls.length).toBe(before);
    expect(shown(sink.last()).label).toMatch(/bar was closed/);
    expect(deep.report(TAB)).toEqual({ state: 'error', error: 'detached-by-user' });
  });

  it('Cancel reaches the Shared Worker first: it is gone and not attached again; then the tab', async () => {
    const { api, sink } = await withWorkers();
    api.detached({ targetId: 'SW1' }, 'canceled_by_user');
    await settle(1000);
    expect(sink.last()).toEqual({ state: 'on', workers: 1 });
    expect(api.calls.filter((c) => c.kind === 'attach' && c.target.targetId === 'SW1')).toHaveLength(1);
    api.detached({ tabId: TAB }, 'canceled_by_user');
    await settle(1000);
    expect(sink.last()).toEqual({ state: 'error', error: 'detached-by-user' });
    expect(sink.gone).toHaveLength(2);
  });

  it('the tab closes: target-gone, the Shared Worker detached, then nothing left of the tab', async () => {
    const { api, sink, deep } = await withWorkers();
    api.targets = api.targets.filter((t) => t.tabId !== TAB);
    api.detached({ tabId: TAB }, 'target_closed');
    deep.removeTab(TAB);
    await settle();
    expect(sink.states.at(-1)).toEqual({ state: 'error', error: 'target-gone' });
    expect(api.calls.filter((c) => c.kind === 'detach').map((c) => c.target)).toEqual([{ targetId: 'SW1' }]);
    expect(deep.report(TAB)).toEqual({ state: 'off' });
    const before = api.calls.length;
    await settle(2000);
    expect(api.calls.length).toBe(before);
  });

  it('the tab navigates to another origin: its Shared Worker let go, its old workers gone, the tab stays on', async () => {
    const { api, sink } = await withWorkers();
    api.targets = [{ type: 'page', id: 'P7', tabId: TAB, url: 'https://other.example/', attached: false, title: 'other' }, ...api.targets.filter((t) => t.type !== 'page')];
    // Chrome ends the old page's dedicated worker on the tab's session.
    api.childDetached(TAB, 'S1');
    await settle(300);
    expect(api.calls.filter((c) => c.kind === 'detach').map((c) => c.target)).toEqual([{ targetId: 'SW1' }]);
    expect(sink.gone).toHaveLength(2);
    expect(sink.last()).toEqual({ state: 'on', workers: 0 });
    expect(api.held.has(`tab:${TAB}`)).toBe(true);
  });

  it('the switch turned off: the tab and its Shared Worker detached', async () => {
    const { api, sink, deep } = await withWorkers();
    await deep.set(TAB, false);
    await settle();
    expect(sink.last()).toEqual({ state: 'off' });
    expect(api.held.size).toBe(0);
    expect(sink.gone).toHaveLength(2);
  });
});

describe('deep capture: a Shared Worker another debugger holds', () => {
  it('is said in the tab’s state, with Chrome’s words, in English and Japanese', async () => {
    const { api, sink, deep } = setup();
    addShared(api);
    api.refuse.set('target:SW1', CHROME.otherDebuggerTarget('SW1'));
    await deep.set(TAB, true);
    await settle();
    const refused = { url: SHARED_URL, text: CHROME.otherDebuggerTarget('SW1') };
    expect(sink.last()).toEqual({ state: 'on', workers: 0, sharedRefused: refused });
    expect(deep.report(TAB)).toEqual({ state: 'on', workers: 0, sharedRefused: refused });
    expect(shown(sink.last()).note).toBe(`A Shared Worker could not be attached (${SHARED_URL}): Chrome said “${CHROME.otherDebuggerTarget('SW1')}”. Its sockets show only their handshake, as the network saw it.`);
    expect(shown(sink.last(), 'ja').note).toContain(CHROME.otherDebuggerTarget('SW1'));
    expect(shown(sink.last(), 'ja').note).toMatch(/共有 Worker/);
    // Not tried again while deep capture runs (attaching again would not change Chrome's answer).
    await settle(1000);
    expect(api.calls.filter((c) => c.kind === 'attach' && c.target.targetId === 'SW1')).toHaveLength(1);
    // The worker ends: nothing left to say.
    api.targets = api.targets.filter((t) => t.id !== 'SW1');
    await settle(300);
    expect(sink.last()).toEqual({ state: 'on', workers: 0 });
  });

  it('is not said for a worker that closed before the attach, nor for a tab of another origin', async () => {
    const { api, sink, deep } = setup();
    addShared(api);
    api.targets.push({ type: 'worker', id: 'SW2', url: 'https://other.example/s.js', attached: false, title: 's' });
    api.refuse.set('target:SW1', 'No target with given id SW1');
    api.refuse.set('target:SW2', CHROME.otherDebuggerTarget('SW2'));
    await deep.set(TAB, true);
    await settle(1000);
    expect(sink.states.every((s) => s.sharedRefused === undefined)).toBe(true);
  });

  it('an over-long text is cut to what the wire accepts', async () => {
    const { api, sink, deep } = setup();
    addShared(api);
    api.refuse.set('target:SW1', `${CHROME.otherDebuggerTarget('SW1')} ${'x'.repeat(5000)}`);
    await deep.set(TAB, true);
    await settle();
    expect(() => shown(sink.last())).not.toThrow();
    expect(sink.last()?.sharedRefused?.text.startsWith('Another debugger')).toBe(true);
  });
});

describe('deep capture: a worker floods frames', () => {
  it('frames are not passed on at all (the hook records them): a flood costs the sink nothing', async () => {
    const { api, sink, deep } = setup();
    await deep.set(TAB, true);
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle();
    const src = { tabId: TAB, sessionId: 'S1' };
    api.event(src, 'Network.webSocketCreated', { requestId: 'r1', url: 'wss://app.example/ws' });
    for (let i = 0; i < 50_000; i++) api.event(src, 'Network.webSocketFrameReceived', { requestId: 'r1', timestamp: i, response: { opcode: 1, mask: false, payloadData: 'x'.repeat(64) } });
    expect(sink.net).toHaveLength(1);
    expect(sink.last()).toEqual({ state: 'on', workers: 1 });
  });

  it('frame errors add up to FRAME_ERRORS_MAX per socket in the hub’s NetBook', async () => {
    const { api, sink, deep } = setup();
    const book = new NetBook();
    sink.onNet = (tabId, patch) => book.apply(tabId, patch);
    await deep.set(TAB, true);
    api.childAttached(TAB, 'S1', 'worker', 'https://app.example/w.js');
    await settle();
    const src = { tabId: TAB, sessionId: 'S1' };
    api.event(src, 'Network.webSocketCreated', { requestId: 'r1', url: 'wss://app.example/ws' });
    for (let i = 0; i < 10_000; i++) api.event(src, 'Network.webSocketFrameError', { requestId: 'r1', timestamp: i, errorMessage: `Invalid frame header ${i}` });
    const { net } = book.snapshot(TAB);
    expect(net).toHaveLength(1);
    expect(net[0]?.frameErrors).toHaveLength(FRAME_ERRORS_MAX);
    expect(net[0]?.frameErrors?.[0]?.text).toBe('Invalid frame header 0');
  });
});
