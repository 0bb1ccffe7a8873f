// Deep capture's engine (deep.ts) wired to the hub: chrome.debugger as its API, and a sink that
// makes each worker a document of its tab. A worker's hook is page-controlled code like any page's,
// so its batches take the relay's path: the relay's parse of the hook's text (parseHookBatch:
// envelope and columns), per-document sequence numbers as the relay gives them, then the hub's own
// validation of every event (parseRelay), the tab store's bounds and the panels' updates.
import type { CdpPatch } from '../core/network/net-cdp.ts';
import { TEXT_BLOCK_MAX_CHARS } from '../core/wire/limits.ts';
import type { DocEvents, DocInfo, DropCounters, HubToPanel, RelayToHub } from '../core/wire/protocol.ts';
import { zeroDrops } from '../core/wire/protocol.ts';
import { parseHookBatch } from '../core/wire/text-block.ts';
import { DeepCapture, type DebuggerApi } from './deep.ts';
import { workerHookSource } from './deep-hook.ts';
import type { TabStore } from './tab-store.ts';

export interface DeepHub {
  store: TabStore;
  update(tabId: number, docs: DocInfo[], batches: DocEvents[]): void;
  send(tabId: number, msg: HubToPanel): void;
  parseRelay(raw: unknown): { msg: RelayToHub; rejected: number[] } | { error: string };
  net(tabId: number, patch: CdpPatch): void;
}

/**
 * A worker's document: no frame of the tab (a frame id no frame has), never the top document, so
 * it never clears the tab's page (TabStore.hello).
 */
const WORKER_FRAME_ID = -1;

function hex(bytes: number): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  let s = '';
  for (const b of a) s += b.toString(16).padStart(2, '0');
  return s;
}

/** The engine for this browser, or undefined without chrome.debugger (Firefox, no permission). */
export function startDeep(hub: DeepHub): DeepCapture | undefined {
  const api = (globalThis as { chrome?: { debugger?: DebuggerApi } }).chrome?.debugger;
  if (!api) return undefined;
  /** Per worker document: the next sequence number, and drops as a relay counts them. */
  const docs = new Map<string, { next: number; drops: DropCounters }>();

  return new DeepCapture(
    api,
    {
      state(tabId, report) {
        hub.send(tabId, { type: 'hub-deep', ...report });
      },
      workerDoc(tabId, doc, url) {
        docs.set(doc, { next: 0, drops: zeroDrops() });
        // Born now: the page document that started it was born before, and its relay's hello
        // (relays connect once a panel watches, often after the worker started) keeps what is younger.
        hub.store.hello(tabId, doc, WORKER_FRAME_ID, url.slice(0, 8192), false, false, Date.now());
        const info = hub.store.docInfo(tabId, doc);
        if (info) hub.update(tabId, [info], []);
      },
      workerBatch(tabId, doc, text) {
        const d = docs.get(doc);
        if (!d) return;
        const batch = text.length > TEXT_BLOCK_MAX_CHARS ? 'too long' : parseHookBatch(text);
        if (typeof batch === 'string' || typeof batch.events === 'string') {
          d.drops.malformed++;
          return;
        }
        d.drops.hook += batch.dropped;
        const events = batch.events.map((ev) => ({ seq: d.next++, ev }));
        const parsed = hub.parseRelay({ type: 'relay-events', doc, events, drops: d.drops });
        if ('error' in parsed || parsed.msg.type !== 'relay-events') {
          d.drops.malformed += events.length;
          return;
        }
        const fresh = hub.store.events(tabId, doc, parsed.msg.events, parsed.msg.drops, parsed.rejected);
        const info = hub.store.docInfo(tabId, doc);
        if (fresh && info) hub.update(tabId, [info], fresh.length ? [{ doc, events: fresh }] : []);
      },
      workerGone(tabId, doc) {
        docs.delete(doc);
        const info = hub.store.markGone(tabId, doc);
        if (info) hub.update(tabId, [info], []);
      },
      net: hub.net,
    },
    workerHookSource,
    () => hex(12),
  );
}
