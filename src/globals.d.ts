// Build-time constants injected by vite.config.ts `define`.
declare const __SA_CHANNEL__: string;
declare const __SA_VERSION__: string;
declare const __SA_DEBUG__: boolean;
/** True in the standalone viewer built as a plain web page (vite.viewer.config.ts), false in the extension. */
declare const __SA_WEB__: boolean;
/** True only in the page benchmark's floor build (bench/support/build.ts). */
declare const __SA_FLOOR__: boolean;
/** True only in the Firefox page benchmark's comparison build: the traps stay in the hook's world (bench/support/build.ts). */
declare const __SA_HOOK_TRAPS__: boolean;

/** The worker build of the page hook as a string (scripts/worker-hook.ts). */
declare module 'virtual:worker-hook' {
  const source: string;
  export default source;
}
