// The worker hook's source for deep capture (deep.ts), from the build (scripts/worker-hook.ts),
// with its binding's name filled in. Apart from deep.ts so that unit tests of the engine need no
// build: they give it a stand-in source.
import source from 'virtual:worker-hook';

/** Keep in step with BINDING in src/page-hook/worker.iife.ts. */
export const WORKER_BINDING_PLACEHOLDER = 'sa_binding_placeholder';

/** The hook for one worker: its read function named `name` (an identifier: deep.ts makes it), its script URL `url`. */
export function workerHookSource(name: string, url: string): string {
  return source.split(WORKER_BINDING_PLACEHOLDER).join(name).replace(/(["'`])sa_url_placeholder\1/, () => JSON.stringify(url));
}
