// Client libraries that close the socket themselves when their heartbeat (or handshake
// acknowledgement) times out. To the browser that is a close() call by the page, but what it
// means is that the server, or the path to it, went silent for the library's window.
//
// Sources: engine.io-client Socket#resetPingTimeout → onClose("ping timeout"), window
// pingInterval + pingTimeout (25 s + 20 s by default, socket.io docs "server options");
// graphql-ws client CloseCode.ConnectionAcknowledgementTimeout 4504 and terminate() 4499
// (graphql-ws src/common.ts, src/client.ts); Action Cable ConnectionMonitor staleThreshold 6 s
// (actioncable/app/javascript/action_cable/connection_monitor.js); @stomp/stompjs
// _setupHeartbeat → _closeOrDiscardWebsocket; phoenix.js Socket heartbeatIntervalMs 30 s,
// close(1000, "heartbeat timeout").
import { PHOENIX_HEARTBEAT_REASON, splitUrl } from './close-codes.ts';

export interface HeartbeatClose {
  library: string;
  /** The library's default silence window before it gives up, when it has one. */
  windowMs?: number;
  /** What timed out: a heartbeat, or the acknowledgement of the connection. */
  what: 'heartbeat' | 'ack';
  /** The same close is what the app's own call sends (graphql-ws terminate(): 4499), so it may not be the heartbeat at all. */
  alsoByApp?: boolean;
  docs: string;
}

export interface HeartbeatCloseInput {
  code?: number;
  reason?: string;
  stack?: string;
  /** Negotiated subprotocol, or the requested ones joined by commas. */
  protocol: string;
  url: string;
}

/** The library's heartbeat-timeout close, recognised from the close() call, the subprotocol or the URL. */
export function heartbeatClose(x: HeartbeatCloseInput): HeartbeatClose | undefined {
  const stack = x.stack ?? '';
  const reason = x.reason ?? '';
  const protocols = x.protocol.split(/[\s,]+/);
  const u = splitUrl(x.url);
  if (reason === PHOENIX_HEARTBEAT_REASON) {
    return { library: 'Phoenix', windowMs: 30_000, what: 'heartbeat', docs: 'https://hexdocs.pm/phoenix/js/' };
  }
  if ((/\/(socket|engine)\.io\//.test(u.path) || /EIO=/.test(u.query)) && (/ping ?timeout/i.test(reason) || /pingtimeout/i.test(stack))) {
    return { library: 'Socket.IO', windowMs: 45_000, what: 'heartbeat', docs: 'https://socket.io/docs/v4/how-it-works/#disconnection-detection' };
  }
  if (protocols.includes('graphql-transport-ws') && (x.code === 4504 || x.code === 4499)) {
    return {
      library: 'graphql-ws',
      what: x.code === 4504 ? 'ack' : 'heartbeat',
      ...(x.code === 4499 ? { alsoByApp: true } : {}),
      ...(x.code === 4504 ? { windowMs: 3_000 } : {}),
      docs: 'https://github.com/enisdenjo/graphql-ws/blob/master/src/common.ts',
    };
  }
  if (protocols.some((p) => p.startsWith('actioncable-')) && /reconnectIfStale|ConnectionMonitor|isStale/.test(stack)) {
    return { library: 'Action Cable', windowMs: 6_000, what: 'heartbeat', docs: 'https://guides.rubyonrails.org/action_cable_overview.html' };
  }
  if (protocols.some((p) => /^v1\d\.stomp$/.test(p)) && /_closeOrDiscardWebsocket|heart-?beat|_setupHeartbeat/i.test(stack + reason)) {
    return { library: 'STOMP', what: 'heartbeat', docs: 'https://stomp-js.github.io/guide/stompjs/using-stompjs-v5.html#heart-beating' };
  }
  return undefined;
}

/**
 * Codes whose own advice is "do not reconnect": retrying fails the same way until someone
 * changes the token, the shard or the intents. Discord: "Gateway Close Event Codes", the
 * "Reconnect" column says false for 4004, 4010–4014; graphql-ws 4401/4403 (the server
 * refused the credentials); RFC 6455 1008 policy violation (the server refused the client).
 */
export function forbidsReconnect(code: number, library: string | undefined): boolean {
  if (code === 1008) return true;
  if (library === 'discord') return code === 4004 || (code >= 4010 && code <= 4014);
  if (library === 'graphql-ws') return code === 4401 || code === 4403;
  return false;
}
