// Deep capture's panel side (src/panel/deep.ts, the store's part): remembered origins on a fake
// Storage, the hub's state as the switch's label, the request and its answer timer, and the
// hints for sockets the page hook cannot see.
import { describe, expect, it } from 'vitest';

import { HubToPanelSchema, parseWith, PanelToHubSchema, type PanelToHub } from '../src/core/wire/protocol.ts';
import {
  DEEP_ANSWER_MS,
  DEEP_OFF,
  DEEP_REMEMBER_KEY,
  deepChecked,
  deepLabel,
  deepView,
  isRemembered,
  originOf,
  setRemembered,
  unseenHints,
  workerLabel,
  workerTitle,
} from '../src/panel/deep.ts';
import { ui } from '../src/panel/i18n.ts';
import { PanelStore } from '../src/panel/store.ts';

class FakeStorage {
  data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
}

describe('remembered origins', () => {
  it('remembers only what was set, per origin', () => {
    const s = new FakeStorage();
    expect(isRemembered(s, 'https://a.example')).toBe(false);
    setRemembered(s, 'https://a.example', true);
    expect(isRemembered(s, 'https://a.example')).toBe(true);
    expect(isRemembered(s, 'https://b.example')).toBe(false);
    expect(isRemembered(s, 'http://a.example')).toBe(false);
  });

  it('forgets an origin turned off, keeps the others', () => {
    const s = new FakeStorage();
    setRemembered(s, 'https://a.example', true);
    setRemembered(s, 'https://b.example', true);
    setRemembered(s, 'https://a.example', false);
    expect(isRemembered(s, 'https://a.example')).toBe(false);
    expect(isRemembered(s, 'https://b.example')).toBe(true);
  });

  it('stores nothing without an origin, and never twice the same', () => {
    const s = new FakeStorage();
    setRemembered(s, undefined, true);
    expect(s.data.size).toBe(0);
    expect(isRemembered(s, undefined)).toBe(false);
    setRemembered(s, 'https://a.example', true);
    setRemembered(s, 'https://a.example', true);
    expect(JSON.parse(s.getItem(DEEP_REMEMBER_KEY)!)).toEqual(['https://a.example']);
  });

  it('survives a corrupt or foreign value', () => {
    const s = new FakeStorage();
    s.setItem(DEEP_REMEMBER_KEY, '{not json');
    expect(isRemembered(s, 'https://a.example')).toBe(false);
    s.setItem(DEEP_REMEMBER_KEY, JSON.stringify({ 'https://a.example': true }));
    expect(isRemembered(s, 'https://a.example')).toBe(false);
    s.setItem(DEEP_REMEMBER_KEY, JSON.stringify([1, 'https://a.example']));
    expect(isRemembered(s, 'https://a.example')).toBe(true);
    setRemembered(s, 'https://b.example', true);
    expect(JSON.parse(s.getItem(DEEP_REMEMBER_KEY)!)).toEqual(['https://a.example', 'https://b.example']);
  });

  it('is bounded: the newest stay', () => {
    const s = new FakeStorage();
    for (let i = 0; i < 250; i++) setRemembered(s, `https://h${i}.example`, true);
    const list = JSON.parse(s.getItem(DEEP_REMEMBER_KEY)!) as string[];
    expect(list.length).toBe(200);
    expect(isRemembered(s, 'https://h249.example')).toBe(true);
    expect(isRemembered(s, 'https://h0.example')).toBe(false);
  });

  it('origin of a page URL; none for opaque ones', () => {
    expect(originOf('https://a.example:8443/x?y#z')).toBe('https://a.example:8443');
    expect(originOf('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf('data:text/html,hi')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
    expect(originOf(undefined)).toBeUndefined();
  });
});

describe('state → switch', () => {
  it('maps every state and error to a text in both languages', () => {
    expect(deepLabel(DEEP_OFF)).toBeUndefined();
    expect(deepLabel({ state: 'attaching' })).toEqual({ key: 'deepAttaching' });
    const on = deepLabel(deepView({ type: 'hub-deep', state: 'on', workers: 3 }))!;
    expect(ui('en', on.key, on.params)).toBe('on · 3 workers');
    expect(ui('ja', on.key, on.params)).toBe('オン · Worker 3 個');
    const one = deepLabel(deepView({ type: 'hub-deep', state: 'on', workers: 1 }))!;
    expect(ui('en', one.key, one.params)).toBe('on · 1 worker');
    const none = deepLabel(deepView({ type: 'hub-deep', state: 'on' }))!;
    expect(ui('en', none.key, none.params)).toBe('on · 0 workers');
    const errors = {
      'other-debugger': /Another debugger/,
      'detached-by-user': /bar was closed/,
      'target-gone': /page went away/,
      'not-allowed': /Not allowed/,
      unsupported: /not supported/,
    } as const;
    const seen = new Set<string>();
    for (const [error, re] of Object.entries(errors)) {
      const l = deepLabel(deepView({ type: 'hub-deep', state: 'error', error: error as keyof typeof errors }))!;
      expect(ui('en', l.key)).toMatch(re);
      expect(ui('ja', l.key)).not.toBe(ui('en', l.key));
      seen.add(l.key);
    }
    expect(seen.size).toBe(5);
  });

  it('an error without a code reads as unsupported; workers only count when on', () => {
    expect(deepView({ type: 'hub-deep', state: 'error' })).toEqual({ state: 'error', error: 'unsupported' });
    expect(deepView({ type: 'hub-deep', state: 'off', workers: 2 })).toEqual({ state: 'off' });
  });

  it('the switch reads on while attaching or on, off otherwise', () => {
    expect(deepChecked({ state: 'attaching' })).toBe(true);
    expect(deepChecked({ state: 'on', workers: 0 })).toBe(true);
    expect(deepChecked(DEEP_OFF)).toBe(false);
    expect(deepChecked({ state: 'error', error: 'detached-by-user' })).toBe(false);
  });
});

describe('the contract', () => {
  it('panel-deep and hub-deep validate; unknown states and errors do not', () => {
    expect(parseWith(PanelToHubSchema, { type: 'panel-deep', on: true }).ok).toBe(true);
    expect(parseWith(PanelToHubSchema, { type: 'panel-deep', on: 'yes' }).ok).toBe(false);
    expect(parseWith(HubToPanelSchema, { type: 'hub-deep', state: 'on', workers: 2 }).ok).toBe(true);
    expect(parseWith(HubToPanelSchema, { type: 'hub-deep', state: 'error', error: 'other-debugger' }).ok).toBe(true);
    expect(parseWith(HubToPanelSchema, { type: 'hub-deep', state: 'error', error: 'boom' }).ok).toBe(false);
    expect(parseWith(HubToPanelSchema, { type: 'hub-deep', state: 'half' }).ok).toBe(false);
    expect(parseWith(HubToPanelSchema, { type: 'hub-deep', state: 'on', workers: -1 }).ok).toBe(false);
  });
});

describe('the store asks, the hub answers', () => {
  function setup() {
    const timers: Array<{ fn: () => void; ms: number }> = [];
    const store = new PanelStore({}, (fn, ms) => void timers.push({ fn, ms }));
    const sent: PanelToHub[] = [];
    store.post = (m) => sent.push(m);
    const fire = (ms: number) => {
      for (const t of timers.splice(0)) if (t.ms === ms) t.fn();
    };
    return { store, sent, fire };
  }

  it('posts panel-deep and shows attaching, then the hub’s state', () => {
    const { store, sent, fire } = setup();
    store.setDeep(true);
    expect(sent).toEqual([{ type: 'panel-deep', on: true }]);
    expect(store.deep).toEqual({ state: 'attaching' });
    store.receive({ type: 'hub-deep', state: 'on', workers: 2 });
    fire(DEEP_ANSWER_MS);
    expect(store.deep).toEqual({ state: 'on', workers: 2 });
    store.setDeep(false);
    expect(sent.at(-1)).toEqual({ type: 'panel-deep', on: false });
    expect(store.deep).toEqual(DEEP_OFF);
  });

  it('no answer in time reads as unsupported, not attaching forever', () => {
    const { store, fire } = setup();
    store.setDeep(true);
    fire(DEEP_ANSWER_MS);
    expect(store.deep).toEqual({ state: 'error', error: 'unsupported' });
  });

  it('a stale timer does not touch a later request', () => {
    const { store, fire } = setup();
    store.setDeep(true);
    store.setDeep(false);
    store.setDeep(true);
    store.receive({ type: 'hub-deep', state: 'attaching' });
    fire(DEEP_ANSWER_MS);
    expect(store.deep).toEqual({ state: 'attaching' });
  });

  it('without a live tab nothing is sent', () => {
    const store = new PanelStore({}, () => undefined);
    store.setDeep(true);
    expect(store.deep).toEqual(DEEP_OFF);
  });
});

describe('what the panel says of sockets it cannot see', () => {
  it('Chrome: deep capture is the way; once on, it says so', () => {
    expect(unseenHints('chrome', DEEP_OFF)).toEqual({ row: 'netOnlyHintChrome', note: 'workerNoteChrome' });
    expect(unseenHints('chrome', { state: 'error', error: 'not-allowed' }).row).toBe('netOnlyHintChrome');
    expect(unseenHints('chrome', { state: 'on', workers: 1 })).toEqual({ note: 'workerNoteDeep' });
    expect(ui('en', 'netOnlyHintChrome')).toBe('Turn on Deep capture to see inside workers');
  });

  it('Firefox: not visible to an extension; a file: no advice', () => {
    expect(unseenHints('firefox', DEEP_OFF)).toEqual({ row: 'netOnlyHintFirefox', note: 'workerNoteFirefox' });
    expect(ui('en', 'netOnlyHintFirefox')).toMatch(/not visible to an extension in Firefox/i);
    expect(unseenHints('file', DEEP_OFF)).toEqual({ note: 'workerNote' });
  });

  it('names the worker and its script', () => {
    const w = { type: 'shared' as const, url: 'https://a.example/sw.js' };
    expect(workerLabel('en', w)).toBe('shared worker');
    expect(workerTitle('en', w)).toBe('Opened in a shared worker: https://a.example/sw.js');
    expect(workerLabel('en', { type: 'service', url: '' })).toBe('service worker');
    expect(workerLabel('en', { type: 'dedicated', url: '' })).toBe('worker');
    expect(workerTitle('ja', w)).toContain('https://a.example/sw.js');
  });
});

describe('a worker named on its connections', () => {
  it('a worker document’s hello names every connection it creates', async () => {
    const { createSession, applyBatch, connectionId } = await import('../src/core/session/session.ts');
    const s = createSession();
    const w = { type: 'dedicated' as const, url: 'http://a.example/w.js' };
    applyBatch(s, 'doc-worker01', [
      { seq: 0, ev: { k: 'hello', v: 1, timeOrigin: 1_000, url: 'http://a.example/w.js', top: false, worker: w } },
      { seq: 1, ev: { k: 'create', sid: 0, t: 5, url: 'ws://a.example/feed', protocols: [] } },
    ] as never);
    applyBatch(s, 'doc-page0001', [
      { seq: 0, ev: { k: 'hello', v: 1, timeOrigin: 1_000, url: 'http://a.example/', top: true } },
      { seq: 1, ev: { k: 'create', sid: 0, t: 5, url: 'ws://a.example/feed', protocols: [] } },
    ] as never);
    expect(s.connections.get(connectionId('doc-worker01', 0))?.worker).toEqual(w);
    expect(s.connections.get(connectionId('doc-page0001', 0))?.worker).toBeUndefined();
  });
});
