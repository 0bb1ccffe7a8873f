// A session's state: its documents (each with its clock anchor), connections, network
// observations and the bounds that keep it from growing with the page.
import { NET_OBSERVATIONS_MAX, PANEL_MESSAGE_BYTES_MAX, PANEL_MESSAGES_MAX } from '../wire/limits.ts';
import type { NetObservation } from '../network/net.ts';
import type { Connection, FaultRecord, PageContextEvent } from './connection.ts';

/** A fault command that named no socket (a fail-next rule, clearing all): the document's. */
export type DocFault = FaultRecord & { doc: string };

/** From a `clock` event: at monotonic `t` and after, wall = timeOrigin + t + offset (clock.ts). */
export interface ClockAnchor {
  t: number;
  offset: number;
}

export interface DocState {
  doc: string;
  url: string;
  top: boolean;
  timeOrigin: number;
  lastSeq: number;
  /** Sequence numbers skipped: events the producer evicted before we saw them. */
  gaps: number;
  /** The document is a worker's (deep capture hooks workers): named on each of its connections. */
  worker?: { type: 'dedicated' | 'shared' | 'service'; url: string };
  /** Wall-clock anchors in order of `t`, when the page's clocks drifted apart (clock.ts). */
  anchors?: ClockAnchor[];
}

export interface SessionLimits {
  /** Message records kept per connection (the oldest go first; counts stay exact). */
  maxMessagesPerConnection: number;
  /** Page context events (online/offline/visibility…) kept per session. */
  maxContextEvents: number;
  /**
   * Message records kept across all connections, and about how many bytes of them
   * (messageBytes). Past either, the connections holding the most give up their oldest records
   * (counted in their `stats.evicted`), so every connection keeps its latest messages: the ones
   * that explain how it ended.
   */
  maxMessages: number;
  maxMessageBytes: number;
  /** Network observations kept (the oldest go first, counted in netDropped). */
  maxNet: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  maxMessagesPerConnection: 10_000,
  maxContextEvents: 5_000,
  maxMessages: PANEL_MESSAGES_MAX,
  maxMessageBytes: PANEL_MESSAGE_BYTES_MAX,
  maxNet: NET_OBSERVATIONS_MAX,
};

export interface SessionState {
  limits: SessionLimits;
  docs: Map<string, DocState>;
  connections: Map<string, Connection>;
  /** Connection ids in creation order. */
  order: string[];
  context: PageContextEvent[];
  contextEvicted: number;
  /** Events that repeated an already-applied sequence number (replays after a restart). */
  duplicates: number;
  /** Events for a socket we never saw created (its `create` was evicted upstream). */
  orphans: number;
  /** Message records held across connections, and their estimated bytes (messageBytes). */
  held: { messages: number; bytes: number };
  /** What the network layer saw of handshakes (net.ts), by observation id, bounded by maxNet. */
  net: Map<string, NetObservation>;
  /** Observations evicted to stay within maxNet (oldest first). */
  netDropped: number;
  /** Fault commands that named no socket, in order (the latest FAULTS_KEPT of all documents). */
  faults: DocFault[];
  /** Such commands dropped to stay within FAULTS_KEPT (oldest first). */
  faultsEvicted: number;
}
