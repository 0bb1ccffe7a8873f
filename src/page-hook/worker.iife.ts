// The page hook for a worker: deep capture (src/background/deep.ts) evaluates this in a dedicated,
// shared or service worker that Chrome's debugger paused at its start (Target.setAutoAttach with
// waitForDebuggerOnStart), so it runs before the worker's first line, as the page hook runs before
// a page's first script. The same socket wrapping (socket.ts); none of the window's parts (child
// frames, document.open, page lifecycle, fault commands: a worker has no relay to send them).
// Batches wait in the worker for the background's poll instead of going out by CustomEvent.
//
// Built on its own as one IIFE and bundled into the background as a string (vite.config.ts);
// BINDING_PLACEHOLDER is replaced there by the binding's random name before each evaluation.
import { perfNow, timeOrigin } from './builtins.ts';
import { connectTransport, emit } from './emit.ts';
import { install } from './socket.ts';

/** Keep in step with WORKER_BINDING_PLACEHOLDER in src/background/deep-hook.ts. */
const BINDING = 'sa_binding_placeholder';
/** Replaced, quoted, by the worker's script URL (deep-hook.ts). */
const SCRIPT_URL: string = 'sa_url_placeholder';

type Kind = 'dedicated' | 'shared' | 'service';

/** Which worker this is, from its global scope's interface (ours runs before the worker's code can replace one). */
function kind(g: Record<string, unknown>): Kind | undefined {
  if (typeof g.ServiceWorkerGlobalScope === 'function') return 'service';
  if (typeof g.SharedWorkerGlobalScope === 'function') return 'shared';
  if (typeof g.DedicatedWorkerGlobalScope === 'function') return 'dedicated';
  return undefined;
}

/** Batches waiting for the background's next poll, at most this many (the rest are dropped, counted by emit's bounds upstream). */
const PENDING_MAX = 200;

(function main() {
  const g = globalThis as unknown as Record<string, unknown>;
  const type = kind(g);
  if (!type) return;
  // The background reads the batches by polling (Runtime.evaluate of this function, deep.ts):
  // a debugger binding called from a worker crashed its renderer (Chromium 156, measured, paused
  // at start or running). The name is random per worker and the property is not enumerable, so
  // the worker's code does not come across it; anything it could pass through it would still
  // meet the hub's checks, like a page's events.
  const pending: string[] = [];
  const take = (): string[] => pending.splice(0, pending.length);
  Object.defineProperty(g, BINDING, { value: take, configurable: true, enumerable: false, writable: false });
  // The script URL comes from the debugger's target info: reading `self.location` in a worker the
  // debugger holds at its start crashed the renderer (Chromium 156, measured).
  const href = SCRIPT_URL;
  emit({ k: 'hello', t: perfNow(), timeOrigin, url: href, top: false, worker: { type, url: href } });
  install(globalThis);
  connectTransport((json) => {
    if (pending.length < PENDING_MAX) pending[pending.length] = json;
  });
})();
