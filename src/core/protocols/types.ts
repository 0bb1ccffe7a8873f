// The common shape of every application-protocol decoder (Socket.IO, STOMP, MQTT…): how a
// protocol is recognised on a connection, what one WebSocket message decodes to, and the
// protocol-level facts (heartbeat terms, app-level goodbyes) the diagnosis reads.
//
// Decoders are pure and total: they never throw, never run on more than the capped payload
// (PAYLOAD_CAP_BYTES) and return an `Undecodable` for what they cannot read, which the panel
// shows raw and counts. A decoder never claims more certainty than its evidence gives: a JSON
// chat whose text starts with `42` is not Socket.IO unless the URL or an Engine.IO open packet
// says so.

export type ProtocolId =
  | 'engine.io'
  | 'socket.io'
  | 'graphql-ws'
  | 'subscriptions-transport-ws'
  | 'sockjs'
  | 'stomp'
  | 'phoenix'
  | 'actioncable'
  | 'signalr'
  | 'mqtt'
  | 'json-rpc';

/** One WebSocket message as the decoders see it (a MessageRecord's payload fields). */
export interface FrameIn {
  dir: 'in' | 'out';
  /** Epoch milliseconds. */
  at: number;
  bin: boolean;
  /** Full size in bytes, even when `data` is cut or absent. */
  size: number;
  /** Text as is; binary as standard base64. Absent when not captured. */
  data?: string;
  /** `data` holds only the first bytes of the message. */
  trunc?: boolean;
}

/** What the connection said about itself before any frame: URL and subprotocols. */
export interface ConnectionHints {
  url: string;
  /** Subprotocols the page asked for. */
  protocols: readonly string[];
  /** Subprotocol the server chose ('' or absent when none or not yet open). */
  protocol?: string;
}

/**
 * certain: the protocol identified itself (a subprotocol only it uses, an open/handshake frame of
 * its own shape). likely: the URL shape and the frames agree. possible: frames alone look like it;
 * the panel marks such labels with a question mark and the diagnosis does not rely on them.
 */
export type Certainty = 'certain' | 'likely' | 'possible';

export interface Detection {
  protocol: ProtocolId;
  certainty: Certainty;
  /** What it was recognised by, most decisive first. */
  by: 'subprotocol' | 'url' | 'frames';
  /** Version or serializer when known: "EIO 4", "STOMP 1.2", "Phoenix v2", "SignalR json 1". */
  variant?: string;
}

/**
 * For filters and colour: a heartbeat can be hidden with one click; handshake is the protocol's
 * own connect/ack; close and error are app-level goodbyes and failures.
 */
export type FrameClass = 'heartbeat' | 'handshake' | 'data' | 'control' | 'close' | 'error';

/** Heartbeat terms one side announced, or the library default when the protocol announces none. */
export interface HeartbeatTerms {
  /** Who sends the pings the other side watches for. */
  pinger: 'server' | 'client' | 'both';
  /** Milliseconds between pings of the pinger (STOMP: the server's outgoing interval, `serverEveryMs`). */
  intervalMs?: number;
  /** Extra milliseconds the watching side waits past intervalMs before it gives up (Engine.IO pingTimeout). */
  timeoutMs?: number;
  /** STOMP: the negotiated server→client and client→server intervals (0 = none). */
  serverEveryMs?: number;
  clientEveryMs?: number;
  /** Read from a frame of this connection, or the library's documented default. */
  source: 'announced' | 'default';
  /** Where: "Engine.IO open packet", "STOMP CONNECTED heart-beat", "Phoenix default (phoenix.js)". */
  from: string;
}

/** An application-level goodbye or fatal error, in the protocol's own words. */
export interface AppClose {
  by: 'server' | 'client';
  /** The protocol's reason: "io server disconnect", STOMP ERROR `message`, Action Cable `reason`. */
  reason?: string;
  /** A code carried by the protocol (SockJS close code, MQTT reason code), not the WebSocket's. */
  code?: number;
  /** Whether the sender allows or asks for a reconnect (Action Cable, SignalR). */
  reconnect?: boolean;
  /** Longer text: a STOMP ERROR body, a SignalR error message. Bounded. */
  detail?: string;
}

/** One application-level frame; a WebSocket message may carry several (SockJS arrays, SignalR, MQTT). */
export interface DecodedFrame {
  protocol: ProtocolId;
  /** Short label: "EVENT chat", "ping", "next", "CONNECTED", "phx_reply ok", "PUBLISH a/b". */
  type: string;
  cls: FrameClass;
  /** Pairing id where the protocol has one (graphql-ws id, JSON-RPC id, STOMP receipt, Phoenix ref, Socket.IO ack id). */
  id?: string;
  /** request: starts an exchange; response: ends it; stream: an answer that may repeat (graphql-ws next). */
  pair?: 'request' | 'response' | 'stream';
  /** Namespace, channel, destination or topic. */
  topic?: string;
  /** Decoded body, JSON-like. */
  body?: unknown;
  /** Heartbeat terms announced in this frame. */
  terms?: HeartbeatTerms;
  /** This frame is an app-level close or fatal error. */
  close?: AppClose;
  /** Only part of the frame could be read: the capture was cut or its tail is malformed. */
  partial?: boolean;
}

export interface Undecodable {
  protocol: ProtocolId;
  /** Why, in a few words, for the raw view's tooltip: "not JSON", "truncated header". */
  error: string;
}

export type DecodeResult = DecodedFrame[] | Undecodable;

export function isUndecodable(r: DecodeResult): r is Undecodable {
  return !Array.isArray(r);
}

/** How many of a connection's first messages a decoder's `sniff` is shown. */
export const SNIFF_FRAMES = 4;

/**
 * One decoder per protocol family. `S` is its per-connection state (Socket.IO's pending binary
 * attachments, STOMP's negotiated version, Phoenix's serializer): created by `init`, mutated by
 * `decode` only.
 */
export interface Decoder<S = unknown> {
  /** The family's id (a Socket.IO decoder may still label Engine.IO-level frames 'engine.io'). */
  id: ProtocolId;
  /** Display name: "Socket.IO", "STOMP". */
  label: string;
  /** From the URL and subprotocols alone, before any frame. */
  detect(h: ConnectionHints): Detection | undefined;
  /** From the first frames (at most SNIFF_FRAMES, both directions, in order) with the hints. */
  sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined;
  init(h: ConnectionHints, d: Detection): S;
  decode(frame: FrameIn, state: S): DecodeResult;
  /**
   * Terms that hold without being announced: Phoenix's 30 s client heartbeat, Action Cable's 3 s
   * server pings. Undefined when the protocol announces its own or has none by default.
   */
  defaultTerms?(h: ConnectionHints, d: Detection): HeartbeatTerms | undefined;
}
