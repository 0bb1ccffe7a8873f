// The shapes an imported HAR must have, as valibot schemas, and valibot's issues turned into
// one sentence that names the field and where it is: `log.entries[3]._webSocketMessages[7].time
// is not a number`. Only what we read is checked: a HAR carries much else (Chrome's initiator
// stacks, timings we do not use) and a strict check there would refuse good files.
import * as v from 'valibot';

import { FRAME_ERRORS_MAX, NET_SOURCES } from '../network/net.ts';
import { httpsUrl } from '../wire/https-url.ts';
import { DropCountersSchema } from '../wire/protocol.ts';
import { FAULTS_KEPT, type PageContextKind } from '../session/session.ts';

/** Browsers cap URLs at 2 MiB (Chrome); a socket URL beyond 64 KiB is an attack, not a URL. */
export const MAX_URL = 64 * 1024;
export const MAX_STACK = 64 * 1024;
export const MAX_REASON = 4096;
export const MAX_SHORT = 4096;
/**
 * Message data kept per message on import. Our own capture keeps 16 KiB (base64: ~22 K chars);
 * Chrome keeps whole frames, which can be megabytes. Beyond this the import keeps the prefix and
 * marks the message truncated (with a warning), rather than refusing a real file.
 */
export const MAX_DATA_CHARS = 16 * 1024 * 1024;

const num = v.number();
const fin = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const str = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** ISO 8601 with a time and a zone, as HAR 1.2 requires for startedDateTime. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
export const isoDate = v.pipe(
  v.string(),
  v.maxLength(64),
  v.check((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), 'is not an ISO 8601 date'),
);

// --- what every WebSocket entry must have (ours, Chrome's, anyone's) ------------------------

export const WsMessageSchema = v.object({
  // Chrome also writes 'error' frames (webSocketFrameError) with opcode -1.
  type: v.picklist(['send', 'receive', 'error']),
  time: fin,
  opcode: num,
  data: v.string(),
  /** Ours: put there from the panel (an injected fault). Chrome's files never have it. */
  _injected: v.optional(v.literal(true)),
});
export type WsMessageIn = v.InferOutput<typeof WsMessageSchema>;

/**
 * HAR headers. Their number and length are not limited here: a hostile server sends 10,000 of
 * them, or 1 MB values, and the file is still a HAR; the importer keeps a bounded, inert few
 * (har-net.ts pickFileHeaders).
 */
const HeadersSchema = v.array(v.object({ name: v.string(), value: v.string() }));

// --- the network's part of a WebSocket entry (ours; docs/har-network.md) -----------------------

export const NetworkSchema = v.object({
  sources: v.pipe(v.array(v.picklist(NET_SOURCES)), v.maxLength(NET_SOURCES.length)),
  url: v.optional(str(MAX_URL)),
  at: fin,
  statusLine: v.optional(v.string()),
  responseAt: v.optional(fin),
  endAt: v.optional(fin),
  headersDropped: v.optional(count),
  // Bounded like the observation (net.ts): a file with more is refused rather than cut silently.
  frameErrors: v.optional(v.pipe(v.array(v.object({ at: fin, text: v.string() })), v.maxLength(FRAME_ERRORS_MAX))),
  closedAt: v.optional(fin),
});

export const WorkerSchema = v.object({ type: v.picklist(['dedicated', 'shared', 'service']), url: str(MAX_URL) });

export const CspSchema = v.object({
  at: fin,
  directive: str(256),
  blocked: str(MAX_URL),
  policy: str(MAX_STACK),
  disposition: v.optional(str(64)),
});

export const EntrySchema = v.object({
  startedDateTime: isoDate,
  time: fin,
  request: v.object({ url: str(MAX_URL), method: v.optional(v.string()), headers: v.optional(HeadersSchema) }),
  response: v.object({
    status: num,
    // Bounded where they are used: a long one is odd, not a reason to refuse the file.
    statusText: v.optional(v.string()),
    httpVersion: v.optional(v.string()),
    headers: v.optional(HeadersSchema),
    _error: v.optional(v.nullable(v.string())),
    // Playwright's recordHar names a failed handshake here ("Error in connection establishment: net::…").
    _failureText: v.optional(v.nullable(v.string())),
  }),
  // Required by HAR 1.2, but we only read them for Chrome's files: optional on import.
  timings: v.optional(
    v.object({
      blocked: v.optional(num),
      dns: v.optional(num),
      connect: v.optional(num),
      send: v.optional(num),
      wait: v.optional(num),
      receive: v.optional(num),
    }),
  ),
  pageref: v.optional(str(256)),
  _webSocketMessages: v.optional(v.array(WsMessageSchema)),
  _webSocketNetwork: v.optional(NetworkSchema),
  _webSocketCsp: v.optional(CspSchema),
  _worker: v.optional(WorkerSchema),
  _networkOnly: v.optional(v.literal(true)),
});
export type EntryIn = v.InferOutput<typeof EntrySchema>;

// --- what our own entries add ---------------------------------------------------------------

const CloseCallSchema = v.object({
  at: fin,
  code: v.optional(num),
  reason: v.optional(str(MAX_REASON)),
  stack: v.optional(str(MAX_STACK)),
  threw: v.optional(str(MAX_SHORT)),
  readyState: v.picklist([0, 1, 2, 3]),
});

const StatsSchema = v.object({
  sent: count,
  received: count,
  bytesSent: count,
  bytesReceived: count,
  evicted: count,
  maxSentSize: count,
  maxReceivedSize: count,
});

const LastSchema = v.object({ at: fin, size: count });

export const MessageMetaSchema = v.object({
  n: count,
  size: count,
  bin: v.boolean(),
  trunc: v.optional(v.literal(true)),
  nodata: v.optional(v.literal(true)),
  later: v.optional(v.literal(true)),
  at: v.optional(fin),
});

export const ForeignInfoSchema = v.object({
  status: num,
  statusText: str(MAX_SHORT),
  error: v.optional(str(MAX_SHORT)),
  endedAt: v.optional(fin),
});

export const ConnectionMetaSchema = v.object({
  version: v.literal(1),
  id: str(512),
  doc: str(256),
  sid: count,
  state: v.picklist(['connecting', 'open', 'closing', 'closed']),
  protocols: v.pipe(v.array(str(MAX_SHORT)), v.maxLength(1024)),
  protocol: v.optional(str(MAX_SHORT)),
  extensions: v.optional(str(MAX_SHORT)),
  createdAt: fin,
  openedAt: v.optional(fin),
  errorAt: v.optional(fin),
  createStack: v.optional(str(MAX_STACK)),
  createThrew: v.optional(str(MAX_SHORT)),
  createdState: v.optional(v.picklist([0, 1, 2, 3])),
  closeCalls: v.pipe(v.array(CloseCallSchema), v.maxLength(10_000)),
  stats: StatsSchema,
  lastIn: v.optional(LastSchema),
  lastOut: v.optional(LastSchema),
  closeUnknown: v.optional(v.literal(true)),
  foreign: v.optional(ForeignInfoSchema),
  redacted: v.optional(v.array(v.string())),
  messagesMeta: v.array(MessageMetaSchema),
});

export const CloseSchema = v.object({
  at: fin,
  code: v.pipe(v.number(), v.integer()),
  reason: str(MAX_REASON),
  wasClean: v.boolean(),
  synthetic: v.optional(v.picklist(['pagehide', 'frame-gone', 'blocked', 'network-only'])),
  requestedCode: v.optional(num),
  requestedReason: v.optional(str(MAX_REASON)),
  closedBy: v.picklist(['page', 'server', 'browser', 'navigation']),
  _injected: v.optional(v.literal(true)),
});

/**
 * An entry's `_injected`: the faults injected into it from the panel. The hook's own bounds
 * (core/wire/protocol.ts, the inject event), and at most FAULTS_KEPT, as a session keeps.
 */
export const FaultsSchema = v.pipe(
  v.array(
    v.object({
      at: fin,
      op: v.picklist(['drop', 'close', 'silence', 'delay', 'drop-next', 'block-sends', 'fail-next', 'send', 'clear']),
      ok: v.boolean(),
      error: v.optional(str(512)),
      code: v.optional(v.pipe(v.number(), v.integer())),
      reason: v.optional(str(1024)),
      ms: v.optional(count),
      n: v.optional(count),
      mode: v.optional(v.picklist(['hold', 'drop'])),
      url: v.optional(str(8192)),
      as: v.optional(v.picklist(['before-open', 'after-open'])),
      dir: v.optional(v.picklist(['in', 'out'])),
      pattern: v.optional(str(256)),
      size: v.optional(count),
    }),
  ),
  v.maxLength(FAULTS_KEPT),
);

const TextSchema = v.object({ en: str(MAX_STACK), ja: str(MAX_STACK) });

/** Checked leniently by the importer: a recorded diagnosis that fails is dropped with a warning. */
export const DiagnosisSchema = v.object({
  category: v.string(),
  severity: v.picklist(['info', 'warning', 'error']),
  code: v.optional(num),
  headline: v.string(),
  headlineText: TextSchema,
  evidence: v.array(v.object({ fact: str(256), at: v.optional(fin), text: TextSchema })),
  causes: v.array(TextSchema),
  fixes: v.array(TextSchema),
  /** Made a link by the panel: an https: URL only (core/wire/https-url.ts says why). */
  learnMore: v.optional(v.pipe(str(MAX_URL), v.check((s) => httpsUrl(s) !== undefined, 'not an https: URL'))),
  suspect: v.optional(v.object({ name: str(256), timeoutMs: fin })),
  chainId: v.optional(str(1024)),
  confidence: v.optional(v.picklist(['certain', 'likely', 'possible'])),
  competitors: v.optional(v.array(v.object({ cause: TextSchema, tells: TextSchema }))),
});

const PAGE_KINDS = ['pagehide', 'pageshow', 'online', 'offline', 'hidden', 'visible', 'freeze', 'resume', 'clock-jump', 'sleep'] as const;
// Fails to compile if protocol.ts gains a page event kind this list does not have.
const _allKinds: Record<PageContextKind, true> = Object.fromEntries(PAGE_KINDS.map((k) => [k, true])) as Record<
  (typeof PAGE_KINDS)[number],
  true
>;
void _allKinds;

export const LogMetaSchema = v.object({
  version: v.literal(1),
  lang: v.optional(v.picklist(['en', 'ja'])),
  redaction: v.optional(v.boolean()),
  payloadCap: v.optional(count),
  redacted: v.optional(v.array(v.string())),
  context: v.pipe(
    v.array(v.object({ doc: str(256), at: fin, what: v.picklist(PAGE_KINDS), persisted: v.optional(v.boolean()), jumpMs: v.optional(fin) })),
    v.maxLength(1_000_000),
  ),
  drops: v.optional(DropCountersSchema),
});

// --- issues as sentences ----------------------------------------------------------------------

/** `log.entries[3]._webSocketMessages[7].time`: array indexes in brackets, as in JavaScript. */
export function joinPath(base: string, keys: readonly unknown[]): string {
  let out = base;
  for (const k of keys) {
    if (typeof k === 'number') out += `[${k}]`;
    else {
      const s = String(k);
      out += /^[A-Za-z_$][\w$]*$/.test(s) ? `${out ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  literal: 'the expected value',
};

/** One readable sentence for the first issue; bounded, because the rejected value may be huge. */
export function issueMessage(base: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return `${base} is invalid`;
  const path = joinPath(base, (issue.path ?? []).map((p) => p.key));
  let msg: string;
  if (issue.kind === 'schema') {
    if (issue.input === undefined) msg = `${path} is missing`;
    else if (issue.type === 'picklist' || issue.type === 'literal') {
      const options = (issue.expected ?? '').replace(/^\((.*)\)$/, '$1').split(' | ');
      msg = options.length > 1 ? `${path} must be one of ${options.join(', ')}` : `${path} must be ${options[0] || 'the expected value'}`;
    }
    else msg = `${path} is not ${KIND_NAMES[issue.type] ?? issue.expected ?? issue.type}`;
  } else if (issue.type === 'max_length') {
    const unit = Array.isArray(issue.input) ? 'items' : 'characters';
    msg = `${path} is too long: ${String(issue.received).replace(/^"|"$/g, '')} ${unit} (limit ${String(issue.expected).replace(/^<=/, '')})`;
  } else if (issue.type === 'finite') {
    msg = `${path} is not a finite number`;
  } else if (issue.type === 'integer') {
    msg = `${path} is not an integer`;
  } else if (issue.type === 'min_value') {
    msg = `${path} must be at least ${String(issue.expected).replace(/^>=/, '')}`;
  } else if (issue.type === 'max_value') {
    msg = `${path} must be at most ${String(issue.expected).replace(/^<=/, '')}`;
  } else {
    const shown = typeof issue.input === 'string' ? JSON.stringify(issue.input.slice(0, 80)) : String(issue.input).slice(0, 80);
    msg = `${path} ${issue.message}: ${shown}`;
  }
  return msg.length > 400 ? `${msg.slice(0, 400)}…` : msg;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function check<S extends v.GenericSchema>(schema: S, input: unknown, base: string): Checked<v.InferOutput<S>> {
  const r = v.safeParse(schema, input);
  return r.success ? { ok: true, value: r.output } : { ok: false, error: issueMessage(base, r.issues) };
}
