// Deep capture's vocabulary on the wire (hub-deep, protocol.ts); the engine is src/background/deep.ts.

/** Deep capture's states, as the hub reports them in `hub-deep`. */
export const DEEP_STATES = ['off', 'attaching', 'on', 'error'] as const;
export type DeepState = (typeof DEEP_STATES)[number];

/**
 * Why deep capture stopped or could not start: another debugger holds the tab, the user pressed
 * Cancel on Chrome's bar, the tab went away, the browser refused (a chrome:// or Web Store page),
 * or the browser has no debugger API for extensions (Firefox).
 */
export const DEEP_ERRORS = ['other-debugger', 'detached-by-user', 'target-gone', 'not-allowed', 'unsupported'] as const;
export type DeepError = (typeof DEEP_ERRORS)[number];
