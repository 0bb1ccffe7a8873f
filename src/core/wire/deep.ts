// Deep capture's vocabulary on the wire (hub-deep, protocol.ts); the engine is src/background/deep.ts.
import * as v from 'valibot';

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

/** Bounds of a refusal's note: Chrome's error text is a sentence; the URL is the page's (NetObservation's bound). */
export const REFUSAL_TEXT_MAX = 512;
export const REFUSAL_URL_MAX = 8192;

/**
 * A Shared Worker of the tab's origin that deep capture found but Chrome would not attach
 * (another debugger holds it, src/background/deep-shared.ts): its script URL and Chrome's text.
 * Its sockets are then the network layer's only, and the panel says so next to the switch.
 */
export const SharedRefusalSchema = v.object({
  url: v.pipe(v.string(), v.maxLength(REFUSAL_URL_MAX)),
  text: v.pipe(v.string(), v.maxLength(REFUSAL_TEXT_MAX)),
});
export type SharedRefusal = v.InferOutput<typeof SharedRefusalSchema>;
