// The facts the page hook records, and the messages that carry them between contexts.
//
// Direction-named unions (PageToRelay, RelayToHub, HubToPanel, PanelToHub) with one valibot
// schema each: every receiver validates what it gets, because the page side is hostile
// territory (any page can dispatch our event name, overwrite built-ins, or send garbage).
import * as v from 'valibot';

import { PAYLOAD_CAP_BYTES, PROTOCOL_VERSION } from './limits.ts';
import { DEEP_ERRORS, DEEP_STATES, SharedRefusalSchema } from './deep.ts';
import { NetObservationSchema } from '../network/net.ts';
import { FaultCommandSchema } from '../faults/commands.ts';

const FAULT_OPS = ['drop', 'close', 'silence', 'delay', 'drop-next', 'block-sends', 'fail-next', 'send', 'clear'] as const;

export { PAYLOAD_CAP_BYTES, PROTOCOL_VERSION };
export { DEEP_ERRORS, DEEP_STATES, type DeepError, type DeepState, type SharedRefusal } from './deep.ts';

// Bounds that keep a hostile page from making us store unbounded strings.
const MAX_URL = 8192;
const MAX_STACK = 4096;
const MAX_REASON = 1024; // a valid close reason is ≤ 123 UTF-8 bytes; we accept more and keep it
const MAX_DATA = PAYLOAD_CAP_BYTES * 2; // base64 of the cap is 4/3 of it
const MAX_PROTOCOLS = 64;
/** A CSP header can be long; what explains a blocked socket is its connect-src / default-src. */
const MAX_POLICY = 2048;

const str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const time = v.pipe(v.number(), v.finite());
const sid = v.pipe(v.number(), v.integer(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const readyState = v.picklist([0, 1, 2, 3]);

const Payload = {
  /** Binary frame (ArrayBuffer/Blob/typed array), as opposed to a text frame. */
  bin: v.boolean(),
  /** Full size in bytes (UTF-8 for text), even when `data` is truncated or absent. */
  size: count,
  /** Text as is, binary as base64; at most PAYLOAD_CAP_BYTES of the original. */
  data: v.optional(str(MAX_DATA)),
  /** True when `data` holds only the first PAYLOAD_CAP_BYTES. */
  trunc: v.optional(v.boolean()),
  /** Binary payload not copied synchronously (a Blob): a `payload` event may follow. */
  later: v.optional(v.boolean()),
};

export const HookEventSchema = v.variant('k', [
  v.object({
    k: v.literal('hello'),
    t: time,
    /** performance.timeOrigin: the wall-clock anchor for every monotonic `t` of this document. */
    timeOrigin: time,
    url: str(MAX_URL),
    top: v.boolean(),
    /** The hook runs in a worker (deep capture installs it there): which kind, and its script URL. */
    worker: v.optional(v.object({ type: v.picklist(['dedicated', 'shared', 'service']), url: str(MAX_URL) })),
  }),
  v.object({
    k: v.literal('create'),
    sid,
    t: time,
    url: str(MAX_URL),
    protocols: v.pipe(v.array(str(256)), v.maxLength(MAX_PROTOCOLS)),
    stack: v.optional(str(MAX_STACK)),
    /** Creation threw (bad URL, bad protocol): no socket exists. */
    threw: v.optional(str(512)),
    /**
     * readyState right after the constructor returned. 3 (CLOSED) when the browser refused the
     * socket at once, e.g. the page's CSP connect-src (Chromium 156, docs/page-signals.md).
     * Optional: older hooks did not send it.
     */
    rs: v.optional(readyState),
  }),
  v.object({ k: v.literal('open'), sid, t: time, protocol: str(256), extensions: str(1024) }),
  /** `inj`: put there from the panel (core/faults/), not by the page or the server. */
  v.object({ k: v.literal('send'), sid, t: time, n: count, rs: readyState, buffered: count, ...Payload, inj: v.optional(v.literal(true)) }),
  v.object({ k: v.literal('message'), sid, t: time, n: count, ...Payload, inj: v.optional(v.literal(true)) }),
  v.object({
    k: v.literal('payload'),
    sid,
    n: count,
    dir: v.picklist(['send', 'message']),
    data: str(MAX_DATA),
    trunc: v.boolean(),
  }),
  v.object({ k: v.literal('error'), sid, t: time, rs: readyState }),
  v.object({
    k: v.literal('close-call'),
    sid,
    t: time,
    rs: readyState,
    code: v.optional(v.number()),
    reason: v.optional(str(MAX_REASON)),
    stack: v.optional(str(MAX_STACK)),
    /** The native close() threw this (name: message); the socket state is unchanged. */
    threw: v.optional(str(512)),
  }),
  v.object({
    k: v.literal('close'),
    sid,
    t: time,
    code: v.number(),
    reason: str(MAX_REASON),
    clean: v.boolean(),
    /** The close the page was shown by an injected fault; the real socket closed with INJECTED_CLOSE_CODE. */
    inj: v.optional(v.literal(true)),
  }),
  /**
   * A fault command the hook applied (`ok`) or refused (`error` says why), from the panel
   * (core/faults/commands.ts). `sid` absent for document-wide commands (fail-next, clear all).
   */
  v.object({
    k: v.literal('inject'),
    t: time,
    sid: v.optional(sid),
    op: v.picklist(FAULT_OPS),
    ok: v.boolean(),
    error: v.optional(str(512)),
    code: v.optional(v.number()),
    reason: v.optional(str(MAX_REASON)),
    ms: v.optional(count),
    n: v.optional(count),
    mode: v.optional(v.picklist(['hold', 'drop'])),
    url: v.optional(str(MAX_URL)),
    as: v.optional(v.picklist(['before-open', 'after-open'])),
    dir: v.optional(v.picklist(['in', 'out'])),
    pattern: v.optional(str(256)),
    size: v.optional(count),
  }),
  /**
   * A trusted `securitypolicyviolation` of the document whose effective directive governs
   * WebSocket connections: connect-src, or default-src standing in for it (CSP Level 3, the
   * "connect-src" and "default-src" directives). No sid: the event does not name a socket; the
   * session links it to one by URL and time (session/csp.ts).
   */
  v.object({
    k: v.literal('csp'),
    t: time,
    /** blockedURI as the browser reported it: the full URL in Chromium 156, possibly cut elsewhere. */
    blocked: str(MAX_URL),
    directive: str(64),
    /** originalPolicy, cut to MAX_POLICY. */
    policy: str(MAX_POLICY),
    disposition: v.optional(v.picklist(['enforce', 'report'])),
  }),
  /**
   * A wall-clock anchor: at the page's monotonic `t`, Date.now() read `wall`. The hook samples
   * the wall clock once per batch and sends this only when wall − (timeOrigin + t) moved by more
   * than CLOCK_STEP_MS since the last anchor (hello's timeOrigin is the first): after a sleep or a
   * clock change. The session maps later times with it (session/clock.ts).
   */
  v.object({ k: v.literal('clock'), t: time, wall: time }),
  v.object({
    k: v.literal('page'),
    t: time,
    what: v.picklist(['pagehide', 'pageshow', 'online', 'offline', 'hidden', 'visible', 'freeze', 'resume']),
    persisted: v.optional(v.boolean()),
  }),
]);
export type HookEvent = v.InferOutput<typeof HookEventSchema>;
export type HookEventKind = HookEvent['k'];
export type HookEventOf<K extends HookEventKind> = Extract<HookEvent, { k: K }>;

/**
 * What the page hook sends the isolated relay: a JSON string of this, per batch. Send and message
 * events travel as columns (`cols`, core/wire/page-batch.ts says why), a `0` in `events` holding each
 * one's place; the relay rebuilds and validates them one by one (for a batch of traffic alone,
 * the hub does: core/wire/text-block.ts). Its type is PageBatch (page-batch.ts), which imports
 * HookEvent from here; the schema checks the envelope only.
 */
export const PageToRelaySchema = v.object({
  v: v.literal(PROTOCOL_VERSION),
  /** The hook's count of `events` and of its objects (page-batch.ts rawHeader); checked by the relay. */
  c: v.optional(count),
  l: v.optional(count),
  events: v.pipe(v.array(v.unknown()), v.maxLength(10_000)),
  /** Traffic columns (page-batch.ts TrafficColumns), checked by decodeEvents. */
  cols: v.optional(v.unknown()),
  /** Events the hook itself had to drop (its own buffer overflowed before the relay listened). */
  dropped: v.optional(count),
});

/** A hook event stamped by the relay with its document-unique, gap-free sequence number. */
export interface SeqEvent {
  seq: number;
  ev: HookEvent;
}
const SeqEventSchema = v.object({ seq: count, ev: HookEventSchema });

/** Counters of data we did not keep: shown in the panel, never silent. */
export const DropCountersSchema = v.object({
  /** Events from the page that failed validation (forged or broken). */
  malformed: count,
  /** Events evicted from a bounded buffer (oldest message events go first). */
  evicted: count,
  /** Events the hook dropped before the relay was listening. */
  hook: count,
});
export type DropCounters = v.InferOutput<typeof DropCountersSchema>;
export const zeroDrops = (): DropCounters => ({ malformed: 0, evicted: 0, hook: 0 });

const docId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{8,64}$/));

/** Events per relay → hub message at most (events plus the counts of its text blocks). */
export const RELAY_EVENTS_MAX = 50_000;

/**
 * A hook batch of traffic alone, forwarded as the hook's own JSON text with the sequence numbers
 * the relay reserved for it, [from, from + count); the hub decodes and validates it
 * (core/wire/text-block.ts). The count is the page's claim, checked there.
 */
export const TextBlockSchema = v.object({
  from: count,
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)),
  /**
   * Bounded before the hub parses it: decodeTextBlock refuses a text longer than
   * TEXT_BLOCK_MAX_CHARS (limits.ts) and counts its events as malformed. Not refused here, where
   * the whole message would go uncounted.
   */
  text: v.string(),
});
export type TextBlock = v.InferOutput<typeof TextBlockSchema>;

export const RelayToHubSchema = v.variant('type', [
  v.object({
    type: v.literal('relay-hello'),
    v: v.literal(PROTOCOL_VERSION),
    doc: docId,
    /** True on a reconnect after the hub's port dropped (service worker restart). */
    replay: v.boolean(),
    /**
     * The document is shown again from the back/forward cache: for the tab it is a navigation
     * back to it, so the page it replaces goes unless "preserve log" is on (tab-store.ts).
     */
    restored: v.optional(v.boolean()),
    /**
     * performance.timeOrigin of the document: its navigation's start, wall clock. The first hello
     * of a top document (a navigation) clears the documents born before it only, not subframes
     * of its own that happened to say hello first (they are woken together, hub.ts).
     */
    born: v.optional(time),
  }),
  v.object({
    type: v.literal('relay-events'),
    doc: docId,
    events: v.pipe(v.array(SeqEventSchema), v.maxLength(RELAY_EVENTS_MAX)),
    /** Batches of traffic the relay did not parse (relay-buffer.ts), interleaved with `events` by sequence number. */
    blocks: v.optional(v.pipe(v.array(TextBlockSchema), v.maxLength(RELAY_EVENTS_MAX))),
    drops: DropCountersSchema,
    /** The last batch of the replay a `hub-watch` asked for (the hub waits for it, hub.ts). */
    replayed: v.optional(v.boolean()),
  }),
]);
export type RelayToHub = v.InferOutput<typeof RelayToHubSchema>;

/**
 * Hub → relay, over the relay's port. A relay forwards events only while a panel or viewer
 * watches its tab; otherwise it only keeps them in its ring (relay.iife.ts says why). `hub-watch`
 * with `on` starts forwarding: the relay replays its ring first, then sends as events come.
 */
export const HubToRelaySchema = v.variant('type', [
  v.object({ type: v.literal('hub-watch'), on: v.boolean() }),
  /** A fault command for the document `doc` of this frame (the relay drops one for another document). */
  v.object({ type: v.literal('hub-fault'), doc: docId, cmd: FaultCommandSchema }),
]);
export type HubToRelay = v.InferOutput<typeof HubToRelaySchema>;

/**
 * Hub → every frame of a watched tab, by tabs.sendMessage: "a panel watches this tab, connect".
 * A relay opens no port of its own accord (a port to the background would wake a stopped service
 * worker for a tab nobody inspects, relay.iife.ts), so this is how it learns to connect. The relay
 * accepts it only from our extension's background (sender.id is ours, no sender.tab).
 */
export const HubWakeSchema = v.object({ type: v.literal('hub-watch'), v: v.literal(PROTOCOL_VERSION), on: v.boolean() });
export type HubWake = v.InferOutput<typeof HubWakeSchema>;

/**
 * One-shot requests from a content script to the hub (runtime.sendMessage, not the relay port:
 * a message wakes a stopped service worker or unloaded Firefox event page, while the port may be
 * down at that moment and reconnecting). The hub acts on `sender.tab`, never on a tab id in here.
 */
export const RelayCommandSchema = v.variant('type', [
  /** The user pressed the viewer shortcut (a trusted key event) in this tab. */
  v.object({ type: v.literal('relay-open-viewer'), v: v.literal(PROTOCOL_VERSION) }),
]);
export type RelayCommand = v.InferOutput<typeof RelayCommandSchema>;

/** One document (a frame's page load) as the hub knows it. */
export const DocInfoSchema = v.object({
  doc: docId,
  frameId: v.number(),
  /** Order in which the hub first saw the document in this tab: stable sort key. */
  order: count,
  url: str(MAX_URL),
  top: v.boolean(),
  timeOrigin: time,
  /** The document is gone (navigation, frame removed, tab closed). */
  gone: v.boolean(),
  drops: DropCountersSchema,
  /**
   * Events of this document the hub refused (also in drops.malformed): their sequence numbers
   * are gaps the panel sees, which it must not count as evicted (panel/store.ts drops()).
   */
  rejected: v.optional(count),
  /** Sequence numbers below this were cleared (Clear), not evicted: not gaps either. */
  base: v.optional(count),
});
export type DocInfo = v.InferOutput<typeof DocInfoSchema>;

export const DocEventsSchema = v.object({ doc: docId, events: v.array(SeqEventSchema) });
export type DocEvents = v.InferOutput<typeof DocEventsSchema>;

/** Network observations per hub → panel message at most (the hub keeps fewer per tab). */
export const NET_MESSAGE_MAX = 5_000;
const NetList = v.pipe(v.array(NetObservationSchema), v.maxLength(NET_MESSAGE_MAX));

export const HubToPanelSchema = v.variant('type', [
  v.object({
    type: v.literal('hub-snapshot'),
    v: v.literal(PROTOCOL_VERSION),
    tabId: v.number(),
    preserveLog: v.boolean(),
    docs: v.array(DocInfoSchema),
    batches: v.array(DocEventsSchema),
    /** The tab's network observations (net.ts) and how many the hub's bound evicted. */
    net: v.optional(NetList),
    netDropped: v.optional(count),
    /** False when the browser withholds network details (Firefox: host permission not granted). */
    netAccess: v.optional(v.boolean()),
  }),
  /** Observations new or changed since the last message (each webRequest stage updates one). */
  v.object({ type: v.literal('hub-net'), net: NetList, netDropped: count }),
  v.object({
    type: v.literal('hub-update'),
    docs: v.array(DocInfoSchema),
    batches: v.array(DocEventsSchema),
  }),
  v.object({
    type: v.literal('hub-cleared'),
    keepDocs: v.array(docId),
    /**
     * A navigation's clear: the new top document's start (epoch ms). What the panel learned of
     * the tab from elsewhere since then (DevTools' network log) belongs to the new page and stays.
     */
    since: v.optional(time),
  }),
  /**
   * A `panel-fault` the hub could not pass on: no relay of the tab holds document `doc` now
   * (`no-document`: it navigated away or closed), or its port failed (`unreachable`).
   */
  v.object({ type: v.literal('hub-fault-refused'), doc: docId, op: v.picklist(FAULT_OPS), error: v.picklist(['no-document', 'unreachable']) }),
  /** Deep capture of the panel's tab (deep.ts): its state, why it stopped, its workers attached, a Shared Worker Chrome refused. */
  v.object({ type: v.literal('hub-deep'), state: v.picklist(DEEP_STATES), error: v.optional(v.picklist(DEEP_ERRORS)), workers: v.optional(count), sharedRefused: v.optional(SharedRefusalSchema) }),
]);
export type HubToPanel = v.InferOutput<typeof HubToPanelSchema>;

export const PanelToHubSchema = v.variant('type', [
  v.object({
    type: v.literal('panel-subscribe'),
    v: v.literal(PROTOCOL_VERSION),
    tabId: v.pipe(v.number(), v.integer()),
    /** The panel owns this preference (the hub forgets it when the worker restarts). */
    preserveLog: v.boolean(),
  }),
  v.object({ type: v.literal('panel-clear') }),
  v.object({ type: v.literal('panel-preserve-log'), on: v.boolean() }),
  /** A fault for a socket of document `doc` in the watched tab; the hub passes it to that document's relay. */
  v.object({ type: v.literal('panel-fault'), doc: docId, cmd: FaultCommandSchema }),
  /** Deep capture on or off for the panel's tab (Chrome only; the hub answers with `hub-deep`). */
  v.object({ type: v.literal('panel-deep'), on: v.boolean() }),
]);
export type PanelToHub = v.InferOutput<typeof PanelToHubSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates with a schema and turns valibot's issues into one short readable line. */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  const r = v.safeParse(schema, input);
  if (r.success) return { ok: true, value: r.output };
  const first = r.issues[0];
  const path = first?.path?.map((p) => String(p.key)).join('.') ?? '';
  // Bounded: valibot quotes the rejected value, which a hostile page can make megabytes long.
  const msg = `${path ? path + ': ' : ''}${first?.message ?? 'invalid'}`;
  return { ok: false, error: msg.length > 300 ? `${msg.slice(0, 300)}…` : msg };
}

export const PORT_RELAY = 'socket-autopsy/relay';
export const PORT_PANEL = 'socket-autopsy/panel';

/**
 * Relay → hook, as the detail (a JSON string) of a `command` event (channel.ts): the token the
 * relay gave the hook in its first `ready`, and the command. The hook checks both by hand (its
 * bundle has no schema library).
 */
export interface HookCommand {
  token: string;
  cmd: import('../faults/commands.ts').FaultCommand;
}
