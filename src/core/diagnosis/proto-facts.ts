// What the application protocol says about a connection, for the rules (rules-protocol.ts):
// its recognised name, the last app-level goodbye each side sent when it was that side's last
// word, and the heartbeat finding. Only for a protocol recognised as certain or likely.
import { heartbeatOf, protocolOf, type HeartbeatFinding, type TrackedClose } from '../protocols/index.ts';
import type { Connection } from '../session/session.ts';

export interface ProtoFacts {
  label: string;
  certain: boolean;
  /** The server's app-level goodbye or fatal error, when it was the last thing it said. */
  serverClose?: TrackedClose;
  /** The page's own app-level goodbye, when it was its last word. */
  clientClose?: TrackedClose;
  heartbeat?: HeartbeatFinding;
}

/** Reasons that say the server refused who the client is, not that it failed. */
export const REJECTED = /unauthori[sz]ed|not authori[sz]ed|forbidden|access denied|auth|credential|login|bad user ?name or password/i;

export function protoFacts(conn: Connection, now: number): ProtoFacts | undefined {
  const track = protocolOf(conn);
  const d = track.detection;
  if (!d || !track.label || d.certainty === 'possible') return undefined;
  const last = (dir: 'in' | 'out'): TrackedClose | undefined => {
    for (let i = track.closes.length - 1; i >= 0; i--) if (track.closes[i]!.dir === dir) return track.closes[i];
    return undefined;
  };
  const serverClose = last('in');
  const clientClose = last('out');
  const heartbeat = conn.close ? heartbeatOf(conn, now, track) : undefined;
  return {
    label: track.label,
    certain: d.certainty === 'certain',
    // Said before other news from the server, it was not the end: a namespace left, an error answered.
    ...(serverClose && serverClose.at >= (track.lastInAt ?? 0) ? { serverClose } : {}),
    ...(clientClose && conn.lastOut && clientClose.at >= conn.lastOut.at ? { clientClose } : {}),
    ...(heartbeat ? { heartbeat } : {}),
  };
}

