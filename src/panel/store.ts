// The panel's store: the session model fed by hub messages, plus change notification.
// It knows nothing of chrome.* (that is host.ts), so the same store drives the DevTools panel,
// the standalone viewer and unit tests.
import { faultProblem, type FaultCommand } from '../core/faults/commands.ts';
import type { DocInfo, HubToPanel, PanelToHub } from '../core/wire/protocol.ts';
import type { NetObservation } from '../core/network/net.ts';
import { applyBatch, clearedBelow, clearSession, createSession, endDocSockets, upsertDoc, upsertNet } from '../core/session/session.ts';
import type { SessionLimits, SessionState } from '../core/session/session.ts';
import type { FaultRecord } from '../core/session/connection.ts';
import { commandPhrase, settle, type PendingFault } from './view/faults.ts';
import { DEEP_ANSWER_MS, DEEP_OFF, deepView, type DeepView } from './deep.ts';
import type { StoreInput } from './deriver/protocol.ts';

export type Listener = () => void;

/** One frame at 60 Hz: the shortest time between two notifications under load. */
const FRAME_MS = 16;
/**
 * Under load, the pause between notifications is this many times what the last one cost
 * (renders, the layout they force and the frame that paints them): the views then take at most
 * a third of the panel's thread, however fast data comes.
 */
const COST_FACTOR = 3;
/** …but the list still moves at least four times a second. */
const MAX_GAP_MS = 250;
/** How long the panel waits for the hook's answer to a fault command before saying none came. */
export const FAULT_ANSWER_MS = 5000;
/** Fault commands whose fate the panel remembers (the connection keeps the answers themselves). */
const PENDING_KEPT = 50;

export class PanelStore {
  session: SessionState;
  docs = new Map<string, DocInfo>();
  tabId: number | undefined;
  preserveLog = false;
  connected = false;
  /** Bumped on every change; views compare it to skip work. */
  version = 0;
  private devtoolsNet = new Map<string, NetObservation>();
  /** False when the browser withholds network details (host permission not granted). */
  netAccess = true;
  private hubNetDropped = 0;
  private listeners = new Set<Listener>();
  private notifyScheduled = false;
  private lastNotify = -Infinity;
  /** How long the last notification took, renders it triggered included. */
  private notifyCost = 0;
  private framePending = false;
  private frameChannel: MessageChannel | undefined;
  /** Posts to the hub on the panel's port (host.ts); absent without a tab (viewer, tests). */
  post: ((msg: PanelToHub) => void) | undefined;
  /** Sees every input the session is built from, as it is applied (the deriver's mirror, deriver/client.ts). */
  tap: ((input: StoreInput) => void) | undefined;
  /** Fault commands sent, newest last, with what became of them. */
  faultsSent: PendingFault[] = [];
  /** The user confirmed, once per panel session, that faults really affect the page. */
  faultsConfirmed = false;
  private faultId = 0;
  private faultAnswers = new WeakSet<FaultRecord>();
  /** Deep capture as the hub last said (hub-deep), or `attaching` while a request waits. */
  deep: DeepView = DEEP_OFF;
  /** Requests for deep capture sent; an answer timer checks it is still the one it was set for. */
  private deepAsks = 0;
  private deepHeard = false;

  constructor(
    private readonly limits: Partial<SessionLimits> = {},
    // Coalesces bursts of hub updates into one render per frame at most (see changed()).
    private readonly schedule: (fn: () => void, delayMs: number) => void = (fn, ms) => setTimeout(fn, ms),
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.session = createSession(limits);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Leading edge: the first change after a quiet spell is shown in the next task (latency,
   * bench/panel.bench.ts "server → on screen"). Under load, at most one notification per frame,
   * or per COST_FACTOR × what the last one cost with the renders it triggered, whichever is
   * longer: a flood then cannot take the whole panel thread for rendering (profiled at 10,000
   * msg/s before this: rendering every frame kept the panel's thread 94% busy, and on a 2-core
   * machine that CPU came out of the page's and DevTools' share).
   */
  private changed(): void {
    this.version++;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const gap = Math.min(MAX_GAP_MS, Math.max(FRAME_MS, COST_FACTOR * this.notifyCost));
    this.schedule(() => this.notify(), Math.max(0, this.lastNotify + gap - this.clock()));
  }

  private notify(): void {
    this.notifyScheduled = false;
    const t0 = this.clock();
    this.lastNotify = t0;
    for (const fn of this.listeners) fn();
    // Preact renders in a microtask queued by the listeners' setState; this one runs after it.
    queueMicrotask(() => {
      const script = this.clock() - t0;
      this.notifyCost = script;
      this.measureFrame(script);
    });
  }

  /**
   * Adds the frame's own cost (style, layout, paint of what the render changed) to the last
   * notification's: from the frame's start (requestAnimationFrame) to the first task after it
   * (a MessagePort message posted from the frame callback runs once rendering is done). Without
   * frames (a hidden DevTools window, Node) the script cost alone stands.
   */
  private measureFrame(script: number): void {
    if (this.framePending || typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') return;
    this.framePending = true;
    requestAnimationFrame(() => {
      const f0 = this.clock();
      const ch = (this.frameChannel ??= new MessageChannel());
      ch.port1.onmessage = () => {
        this.framePending = false;
        this.notifyCost = script + (this.clock() - f0);
      };
      ch.port2.postMessage(null);
    });
  }

  /**
   * Sends a fault command for a socket of document `doc`, after the contract's check. Returns the
   * problem (nothing is sent) or the pending record, which settles when the hook's `inject`
   * answer reaches the connection, or says after FAULT_ANSWER_MS that none came.
   */
  fault(doc: string, cmd: FaultCommand): { problem: string } | { pending: PendingFault } {
    const problem = faultProblem(cmd);
    if (problem) return { problem };
    if (!this.post) return { problem: 'no live tab to send it to' };
    const p: PendingFault = { id: ++this.faultId, doc, op: cmd.op, what: commandPhrase(cmd), sentAt: Date.now(), state: 'pending' };
    if ('sid' in cmd && cmd.sid !== undefined) p.sid = cmd.sid;
    this.faultsSent.push(p);
    if (this.faultsSent.length > PENDING_KEPT) this.faultsSent.splice(0, this.faultsSent.length - PENDING_KEPT);
    this.post({ type: 'panel-fault', doc, cmd });
    this.schedule(() => {
      if (p.state !== 'pending') return;
      p.state = 'timeout';
      this.changed();
    }, FAULT_ANSWER_MS);
    this.changed();
    return { pending: p };
  }

  /** The hub could not pass a fault command on (the document is gone, another tab's): settles the oldest pending one of that op. */
  faultRefused(doc: string, op: FaultCommand['op'], error: string): void {
    const p = this.faultsSent.find((x) => x.state === 'pending' && x.doc === doc && x.op === op);
    if (!p) return;
    p.state = 'refused';
    p.error = error;
    this.changed();
  }

  /**
   * Asks the hub to turn deep capture on or off for the watched tab. On: the switch reads
   * `attaching` until the hub answers; no answer in DEEP_ANSWER_MS (a hub without the engine)
   * reads as unsupported rather than "attaching…" forever.
   */
  setDeep(on: boolean): void {
    if (!this.post) return;
    this.post({ type: 'panel-deep', on });
    const ask = ++this.deepAsks;
    this.deepHeard = false;
    this.deep = on ? { state: 'attaching' } : DEEP_OFF;
    if (on)
      this.schedule(() => {
        if (ask !== this.deepAsks || this.deepHeard || this.deep.state !== 'attaching') return;
        this.deep = { state: 'error', error: 'unsupported' };
        this.changed();
      }, DEEP_ANSWER_MS);
    this.changed();
  }

  setConnected(on: boolean): void {
    this.connected = on;
    this.changed();
  }

  /** `wire`: the message as it came off the port, when there was one (host.ts), for `tap`. */
  receive(msg: HubToPanel, wire?: unknown): void {
    this.tap?.(wire === undefined ? { type: 'hub', msg } : { type: 'wire', raw: wire });
    switch (msg.type) {
      case 'hub-snapshot':
        // A snapshot is the whole truth (after a reconnect the hub may hold less or more).
        this.session = createSession(this.limits);
        this.docs.clear();
        this.tabId = msg.tabId;
        this.applyDocs(msg.docs);
        for (const b of msg.batches) applyBatch(this.session, b.doc, b.events);
        this.endGoneDocs(msg.docs);
        this.hubNetDropped = msg.netDropped ?? 0;
        this.netAccess = msg.netAccess ?? true;
        upsertNet(this.session, [...(msg.net ?? []), ...this.devtoolsNet.values()]);
        break;
      case 'hub-net':
        this.hubNetDropped = msg.netDropped;
        upsertNet(this.session, msg.net);
        break;
      case 'hub-update':
        this.applyDocs(msg.docs);
        for (const b of msg.batches) applyBatch(this.session, b.doc, b.events);
        this.endGoneDocs(msg.docs);
        break;
      case 'hub-deep':
        this.deepHeard = true;
        this.deep = deepView(msg);
        break;
      case 'hub-fault-refused':
        this.faultRefused(msg.doc, msg.op, msg.error);
        break;
      case 'hub-cleared': {
        const keep = new Set(msg.keepDocs);
        clearSession(this.session, keep);
        // A relay says hello only once woken by a watching panel, so DevTools may have logged
        // the new page's first handshakes (a Worker's) before the hello that clears the old page.
        const since = msg.since;
        for (const [id, o] of this.devtoolsNet) if (since === undefined || o.at < since) this.devtoolsNet.delete(id);
        upsertNet(this.session, [...this.devtoolsNet.values()]);
        this.hubNetDropped = 0;
        for (const id of [...this.docs.keys()]) if (!keep.has(id)) this.docs.delete(id);
        break;
      }
    }
    settle(this.faultsSent, this.session.connections.values(), this.faultAnswers, 1000, this.session.faults);
    this.changed();
  }

  /**
   * Handshakes from DevTools' own network log (panel/devtools-network.ts). Kept apart from the
   * session too, so that a hub snapshot, which replaces the session, does not lose them.
   */
  addDevtoolsNet(obs: readonly NetObservation[]): void {
    this.tap?.({ type: 'net', obs: [...obs] });
    for (const o of obs) this.devtoolsNet.set(o.id, o);
    while (this.devtoolsNet.size > this.session.limits.maxNet) {
      const first = this.devtoolsNet.keys().next().value as string;
      this.devtoolsNet.delete(first);
    }
    upsertNet(this.session, obs);
    this.changed();
  }

  /** Network observations the hub had to evict for this tab (its bound), plus the panel's own. */
  netDropped(): number {
    return this.hubNetDropped + this.session.netDropped;
  }

  private applyDocs(docs: DocInfo[]): void {
    for (const d of docs) {
      this.docs.set(d.doc, d);
      if (d.timeOrigin) upsertDoc(this.session, d);
      if (d.base) clearedBelow(this.session, d.doc, d.base);
    }
  }

  /** A document whose relay went away without a pagehide (frame removed, crash): end its sockets. */
  private endGoneDocs(docs: DocInfo[]): void {
    for (const d of docs) {
      if (!d.gone) continue;
      endDocSockets(this.session, d.doc, Date.now(), 'frame-gone');
    }
  }

  /**
   * Totals of data not kept, shown in the status bar. `evicted` is what this panel is missing:
   * the sequence numbers it never received (evicted by the relay's or the hub's buffer before it
   * got them; session.ts gaps) less those the hub refused (counted as malformed), plus the
   * message records it evicted itself to stay within its bounds (session.ts limits). Not the
   * buffers' own counters: an event a buffer evicted after forwarding it, or that two buffers
   * evicted, would count as lost when it is not, or twice.
   */
  drops(): { malformed: number; evicted: number; hook: number } {
    let malformed = 0;
    let evicted = 0;
    let hook = 0;
    for (const d of this.docs.values()) {
      malformed += d.drops.malformed;
      hook += d.drops.hook;
    }
    for (const d of this.session.docs.values()) evicted += Math.max(0, d.gaps - (this.docs.get(d.doc)?.rejected ?? 0));
    for (const c of this.session.connections.values()) evicted += c.stats.evicted;
    return { malformed, evicted, hook };
  }
}
