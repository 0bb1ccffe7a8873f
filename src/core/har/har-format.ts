// The HAR file we write and read: its types (HAR 1.2 plus Chrome's WebSocket fields plus ours)
// and the few facts both directions compute the same way. See har.ts for the overview.
import type { DiagnosisCategory, Diagnosis } from '../diagnosis/diagnose.ts';
import type { Lang } from '../knowledge/i18n/text.ts';
import { utf8Length } from '../wire/payload.ts';
import type { DropCounters } from '../wire/protocol.ts';
import type { NetSource, NetView } from '../network/net.ts';
import type {
  CloseCall,
  Connection,
  ConnectionState,
  CspViolation,
  FaultRecord,
  PageContextEvent,
  SyntheticEnd,
} from '../session/session.ts';

export const CREATOR_NAME = 'Socket Autopsy';
/** Version of our `_` fields; bumped on an incompatible change, and the importer refuses newer ones. */
export const HAR_FORMAT_VERSION = 1;

export interface HarNameValue {
  name: string;
  value: string;
}

/** One frame as Chrome writes it, plus our visible truncation marker. */
export interface HarWebSocketMessage {
  /**
   * 'error': the browser's failure text of the connection, as Chrome's own HAR writes it
   * (opcode -1, after the messages); Chrome's importer shows it, ours reads it as the network's error.
   */
  type: 'send' | 'receive' | 'error';
  /** Epoch seconds, fractional (Chrome's `pseudoWallTime`). */
  time: number;
  /** 1 text, 2 binary (RFC 6455 §5.2); -1 for an error frame (Chrome's value). */
  opcode: 1 | 2 | -1;
  /** Text as is, binary as base64. '' when the payload was not captured (see messagesMeta.nodata). */
  data: string;
  /** `data` holds only the start of the message: never a silent cut. */
  _truncated?: true;
  /** Full size in bytes (UTF-8 for text), when `_truncated` or when redaction replaced part of the data. */
  _originalSize?: number;
  /** The application-protocol frames the message decoded to ("EVENT chat", "ping"), joined by ", "; informational, an import decodes again. */
  _frame?: string;
  /** Put into the connection from the panel (an injected fault), not by the page or the server. */
  _injected?: true;
}

/** Per message, what Chrome's frame shape cannot carry; `messagesMeta[i]` describes `_webSocketMessages[i]`. */
export interface HarMessageMeta {
  /** Index within its direction as the hook numbered it (gaps mean evicted messages). */
  n: number;
  /** Full size in bytes, even when `data` is cut or absent. */
  size: number;
  bin: boolean;
  /** `data` is partial: cut by the capture's per-message cap or by the export's `payloadCap`. */
  trunc?: true;
  /** The payload was not captured: `data` is '' and means nothing. */
  nodata?: true;
  /** A Blob payload the hook was still reading. */
  later?: true;
  /** Epoch ms, only when `time * 1000` does not give back the exact recorded value. */
  at?: number;
}

export type ClosedBy = 'page' | 'server' | 'browser' | 'navigation';

/**
 * What the network layer said about the handshake that Chrome's fields cannot say. The rest of
 * it is in Chrome's own fields, where Chrome's importer shows it: request.method and headers,
 * response.status, statusText, headers and `_error`.
 */
export interface HarNetwork {
  /** Where the facts came from when they were captured (net.ts NetSource). */
  sources: NetSource[];
  /** The URL as the network layer saw it, only when it differs from request.url. */
  url?: string;
  /** Request start, epoch ms. */
  at: number;
  /** The response's status line as the browser reported it ("HTTP/1.1 403 Forbidden"). */
  statusLine?: string;
  /** Response headers arrived, epoch ms. */
  responseAt?: number;
  /** Completed or failed, epoch ms. */
  endAt?: number;
  /** Headers the capture left out (too many, or not ones that explain failures). */
  headersDropped?: number;
  /** The browser's own text for each frame-level failure, epoch ms (deep capture: CDP webSocketFrameError). */
  frameErrors?: { at: number; text: string }[];
  /** The network layer saw the connection close, epoch ms. */
  closedAt?: number;
}

/** The worker that made a connection (deep capture), and its script URL. */
export interface HarWorker {
  type: 'dedicated' | 'shared' | 'service';
  url: string;
}

export interface HarClose {
  /** Epoch ms of the close event (or of the synthesized end). */
  at: number;
  code: number;
  reason: string;
  wasClean: boolean;
  /** The page got no close event; we ended the socket at pagehide / when its frame went away. */
  synthetic?: SyntheticEnd;
  /** What the page asked for in close(), when it called it before the close. */
  requestedCode?: number;
  requestedReason?: string;
  /**
   * page: the page called close(); navigation: the page went away (the server saw 1001);
   * browser: no close frame, the browser reported 1006/1015 itself; server: a close frame came.
   */
  closedBy: ClosedBy;
  /** The page was shown this close by a fault injected from the panel (the real socket closed with 4999). */
  _injected?: true;
}

/** What a foreign HAR (Chrome's) says that our model has no field for. */
export interface ForeignInfo {
  /** HTTP status of the handshake response (101 when the socket opened; 0 when none came). */
  status: number;
  statusText: string;
  /** Chrome's `response._error`, e.g. net::ERR_CONNECTION_REFUSED. */
  error?: string;
  /** Epoch ms at which Chrome saw the socket finish, when it recorded one (the code is still unknown). */
  endedAt?: number;
}

export interface HarConnectionMeta {
  version: 1;
  id: string;
  doc: string;
  sid: number;
  state: ConnectionState;
  protocols: string[];
  protocol?: string;
  extensions?: string;
  createdAt: number;
  openedAt?: number;
  errorAt?: number;
  createStack?: string;
  createThrew?: string;
  /** readyState right after the constructor returned (3 when the browser blocked the socket at once). */
  createdState?: number;
  closeCalls: CloseCall[];
  /** The session's counts; `evicted` here is every message the file lacks (session `evicted` + `missed`). */
  stats: Omit<Connection['stats'], 'missed'>;
  lastIn?: { at: number; size: number };
  lastOut?: { at: number; size: number };
  /** Imported from a HAR without close information: the end is unknown, not "still open". */
  closeUnknown?: true;
  foreign?: ForeignInfo;
  /** What redaction replaced in this entry (`query:token`, `userinfo`, `protocols[1]`…). */
  redacted?: string[];
  messagesMeta: HarMessageMeta[];
}

export interface HarText {
  en: string;
  ja: string;
}

export interface HarDiagnosis {
  category: DiagnosisCategory;
  severity: Diagnosis['severity'];
  code?: number;
  /** In the export's language (log._socketAutopsy.lang). */
  headline: string;
  headlineText: HarText;
  evidence: Array<{ fact: string; at?: number; text: HarText }>;
  causes: HarText[];
  fixes: HarText[];
  learnMore?: string;
  suspect?: { name: string; timeoutMs: number };
  chainId?: string;
  confidence?: Diagnosis['confidence'];
  competitors?: Array<{ cause: HarText; tells: HarText }>;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    /** The upgrade's method as the network saw it; GET when it was not seen. */
    method: string;
    url: string;
    httpVersion: string;
    headers: HarNameValue[];
    queryString: HarNameValue[];
    cookies: HarNameValue[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarNameValue[];
    cookies: HarNameValue[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    /** The network error, as Chrome writes it for failed requests (net::ERR_…) or the browser's failure text. */
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _resourceType: 'websocket';
  _webSocketMessages: HarWebSocketMessage[];
  _webSocketClose?: HarClose;
  /** The handshake as the network saw it, beyond Chrome's fields (absent when it was not seen). */
  _webSocketNetwork?: HarNetwork;
  /** The page's Content-Security-Policy blocked this socket. */
  _webSocketCsp?: CspViolation;
  /** Made in a worker, not by the page (deep capture names it). */
  _worker?: HarWorker;
  /** No page socket: a handshake seen on the network only (a Worker's, or one the page hook missed). */
  _networkOnly?: true;
  _reconnectOf?: string;
  /** The application protocol recognised on the connection (core/protocols/). */
  _protocol?: HarProtocol;
  _diagnosis?: HarDiagnosis;
  /** Faults injected into it from the panel, in order, with their wall times (epoch ms `at`). */
  _injected?: FaultRecord[];
  _socketAutopsy: HarConnectionMeta;
}

export interface HarPage {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad: number; onLoad: number };
}

export interface HarLogMeta {
  version: 1;
  lang: Lang;
  /** Whether secrets were redacted (each entry lists what). */
  redaction: boolean;
  /** The per-message payload cap of this export, in bytes. */
  payloadCap?: number;
  /** What redaction replaced outside the entries (the page URL). */
  redacted?: string[];
  context: PageContextEvent[];
  drops: DropCounters;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages?: HarPage[];
    entries: HarEntry[];
    _socketAutopsy: HarLogMeta;
  };
}

export interface ExportInput {
  connections: readonly Connection[];
  context: readonly PageContextEvent[];
  /** Diagnoses to record (by connection id); the viewer re-runs the engine anyway. */
  diagnoses?: ReadonlyMap<string, Diagnosis>;
  drops?: DropCounters;
  /** URL of the inspected page: written as the HAR's one page. */
  pageUrl?: string;
  /** From an imported foreign HAR: connections whose close is unknown. */
  closeUnknown?: ReadonlySet<string>;
  /** From an imported foreign HAR: the handshake response per connection. */
  foreign?: ReadonlyMap<string, ForeignInfo>;
  /**
   * Each connection's handshake as the network saw it (net-match.ts matchNetwork), by
   * connection id; network-only connections (netOnly) are in `connections` with theirs here.
   */
  network?: ReadonlyMap<string, NetView>;
  /** From an imported HAR: where its network facts came from at capture (they now read "har"). */
  netSources?: ReadonlyMap<string, readonly NetSource[]>;
}

export interface ExportOptions {
  /** Connection ids to export (default: all). Reconnect links still see every connection. */
  selected?: readonly string[];
  /**
   * Replace secrets by `[redacted]` (default true): in URLs, subprotocols, headers, close
   * reasons, exceptions, stacks, diagnosis texts and text payloads; binary payloads are left
   * out. What each entry had replaced is listed in its `_socketAutopsy.redacted`.
   */
  redact?: boolean;
  /** Bytes kept per message payload (default: keep what we have). Cut messages are marked. */
  payloadCap?: number;
  creatorVersion: string;
  /** Language of the diagnosis strings written in that language (both are always written too). */
  lang?: Lang;
}

/** The last moment we know anything of: the end of a live socket's entry. */
export function lastSeen(c: Connection): number {
  let t = c.createdAt;
  const consider = (x: number | undefined): void => {
    if (x !== undefined && x > t) t = x;
  };
  consider(c.openedAt);
  consider(c.errorAt);
  consider(c.lastIn?.at);
  consider(c.lastOut?.at);
  const last = c.messages[c.messages.length - 1];
  consider(last?.at);
  for (const k of c.closeCalls) consider(k.at);
  return t;
}

/** Bytes captured in `data` (text: UTF-8; binary: decoded base64 length, without decoding). */
export function capturedBytes(data: string, bin: boolean): number {
  if (!bin) return utf8Length(data);
  const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - pad;
}

export interface HarProtocol {
  name: string;
  certainty: 'certain' | 'likely' | 'possible';
  variant?: string;
  /** Messages that did not decode (shown raw). */
  undecodable: number;
}
