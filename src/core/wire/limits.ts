// Numbers shared by the page hook and the validators. Kept apart from protocol.ts so that the
// page hook's bundle does not pull in the schema library.

/** Bumped whenever a message shape changes incompatibly; peers with another version are refused. */
export const PROTOCOL_VERSION = 1;

/** Bytes of payload the hook copies per message; the size is always recorded in full. */
export const PAYLOAD_CAP_BYTES = 16 * 1024;

/**
 * How far the page's wall clock may drift from its monotonic clock (Date.now() against
 * performance.timeOrigin + performance.now()) before the hook sends a new anchor: beyond it a
 * time shown from the monotonic clock alone would be off by more than a second. The two part
 * after a sleep (performance.now() may not advance while the machine sleeps, HR-Time's note on
 * monotonic clocks) or when the system clock is set.
 */
export const CLOCK_STEP_MS = 1000;

/** Events the hook holds while the relay is not yet listening (first milliseconds of a page). */
export const HOOK_BUFFER_MAX = 20_000;

/**
 * …and at most about this many bytes of them (event-ring.ts eventBytes), counted like the relay's
 * ring: 20,000 held events of 16 KiB would be 320 MB of the page's own heap before anything reads them.
 */
export const HOOK_BUFFER_BYTES = 8 * 1024 * 1024;

/** Events the relay keeps for replay to a restarted service worker or a late DevTools. */
export const RELAY_RING_MAX = 50_000;

/**
 * …and at most about this many bytes of them (event-ring.ts eventBytes). The relay runs in the
 * page's renderer, whose heap it shares with the page: 50,000 events of 16 KiB would be 800 MB
 * there. 16 MiB keeps the whole ring for small messages and still ~1,000 of the largest.
 */
export const RELAY_RING_BYTES = 16 * 1024 * 1024;

/**
 * Characters of one text block (a hook batch the relay forwards unparsed, text-block.ts) the
 * hub accepts before it parses it. The hook flushes every 2,000 events, each with at most
 * PAYLOAD_CAP_BYTES of payload (base64: 4/3 of it), so a batch of the hook's is far below the
 * relay's whole ring; RELAY_RING_BYTES is the bound: no honest batch is larger than the ring
 * that keeps it. Beyond it the block is refused and its events counted as malformed.
 */
export const TEXT_BLOCK_MAX_CHARS = RELAY_RING_BYTES;

/** Events the hub keeps per tab, across all documents of the tab. */
export const HUB_TAB_EVENTS_MAX = 200_000;

/**
 * …and at most about this many bytes per tab. 200,000 small events are ~40 MB of the service
 * worker's heap (bench/panel.bench.ts "background JS heap"); without a byte bound, as many 16 KiB
 * payloads would be 3 GB.
 */
export const HUB_TAB_BYTES_MAX = 64 * 1024 * 1024;

/**
 * Message records the panel keeps across all connections (the session's per-connection cap
 * alone lets 1,000 connections hold 10,000,000), and about how many bytes of them
 * (session/bounds.ts messageBytes). Bench figure: 1,000,000 messages over 1,000 connections stay under
 * the 200 MB heap target with these.
 */
export const PANEL_MESSAGES_MAX = 500_000;
export const PANEL_MESSAGE_BYTES_MAX = 80 * 1024 * 1024;

/**
 * Network observations (handshakes seen by webRequest or DevTools' log) kept per tab by the hub
 * and per session by the panel. A page retrying a refused socket thousands of times a second
 * makes as many: the oldest go first, counted.
 */
export const NET_OBSERVATIONS_MAX = 2_000;
