// The page hook for a worker: deep capture (src/background/deep.ts) evaluates this in a dedicated,
// shared or service worker that Chrome's debugger paused at its start (Target.setAutoAttach with
// waitForDebuggerOnStart), so it runs before the worker's first line, as the page hook runs before
// a page's first script. The same socket wrapping (socket.ts); none of the window's parts (child
// frames, document.open, page lifecycle, fault commands: a worker has no relay to send them).
// Batches go to a debugger binding (Runtime.addBinding) instead of a CustomEvent.
//
// Built on its own as one IIFE and bundled into the background as a string (vite.config.ts);
// BINDING_PLACEHOLDER is replaced there by the binding's random name before each evaluation.
import { apply, getOwnDesc, perfNow, timeOrigin, type AnyFn } from './builtins.ts';
import { connectTransport, emit } from './emit.ts';
import { install } from './socket.ts';

/** Keep in step with WORKER_BINDING_PLACEHOLDER in src/background/deep-hook.ts. */
const BINDING = 'sa_binding_placeholder';

type Kind = 'dedicated' | 'shared' | 'service';

/** Which worker this is, from its global scope's interface (ours runs before the worker's code can replace one). */
function kind(g: Record<string, unknown>): Kind | undefined {
  if (typeof g.ServiceWorkerGlobalScope === 'function') return 'service';
  if (typeof g.SharedWorkerGlobalScope === 'function') return 'shared';
  if (typeof g.DedicatedWorkerGlobalScope === 'function') return 'dedicated';
  return undefined;
}

(function main() {
  const g = globalThis as unknown as Record<string, unknown>;
  const call = g[BINDING];
  const type = kind(g);
  if (typeof call !== 'function' || !type) return;
  // The binding is a global the worker's own code could see and call: taken away before it runs.
  // Anything it sent through one anyway would still meet the hub's checks, like a page's events.
  if (getOwnDesc(g, BINDING)?.configurable) delete g[BINDING];
  const href = String((g.location as { href?: unknown } | undefined)?.href ?? '');
  emit({ k: 'hello', t: perfNow(), timeOrigin, url: href, top: false, worker: { type, url: href } });
  install(globalThis);
  connectTransport((json) => {
    apply(call as AnyFn, undefined, [json]);
  });
})();
