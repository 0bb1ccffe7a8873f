// Numbers shared by the page hook and the validators. Kept apart from protocol.ts so that the
// page hook's bundle does not pull in the schema library.

/** Bumped whenever a message shape changes incompatibly; peers with another version are refused. */
export const PROTOCOL_VERSION = 1;

/** Bytes of payload the hook copies per message; the size is always recorded in full. */
export const PAYLOAD_CAP_BYTES = 16 * 1024;

/** Events the hook holds while the relay is not yet listening (first milliseconds of a page). */
export const HOOK_BUFFER_MAX = 20_000;

/** Events the relay keeps for replay to a restarted service worker or a late DevTools. */
export const RELAY_RING_MAX = 50_000;

/** Events the hub keeps per tab, across all documents of the tab. */
export const HUB_TAB_EVENTS_MAX = 200_000;
