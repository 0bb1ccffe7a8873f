// Reads DevTools' own network log for WebSocket handshakes (Chromium: the only place without the
// debugger that has a failed upgrade's status code or real net error; core/network/net-devtools.ts).
// DevTools records only while it is open, like its Network panel, so this adds to what the
// background's webRequest observer saw, never replaces it.
import { netFromDevtoolsEntry } from '../core/network/net-devtools.ts';
import type { NetObservation } from '../core/network/net.ts';

type Network = {
  getHAR(cb: (har: { entries?: unknown[] }) => void): void;
  onRequestFinished: { addListener(cb: (entry: unknown) => void): void };
};

/** Starts feeding `onNet` with the log's WebSocket entries: what is there now, then each one as it finishes. */
export function watchDevtoolsNetwork(onNet: (obs: NetObservation[]) => void): boolean {
  const network = (globalThis as { chrome?: { devtools?: { network?: Network } } }).chrome?.devtools?.network;
  if (!network?.onRequestFinished || !network.getHAR) return false;
  const take = (entries: readonly unknown[]) => {
    const out: NetObservation[] = [];
    for (const e of entries) {
      const o = netFromDevtoolsEntry(e);
      if (o) out.push(o);
    }
    if (out.length) onNet(out);
  };
  network.onRequestFinished.addListener((entry) => take([entry]));
  try {
    network.getHAR((har) => take(har?.entries ?? []));
  } catch {
    // Firefox's getHAR needs the Network panel to have been shown once; nothing lost, it has webRequest.
  }
  return true;
}
