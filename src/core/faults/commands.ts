// Faults a developer injects into a live connection from the panel, to see how the app recovers:
// the commands (panel → hub → relay → page hook), their checks, and what the hook reports back.
//
// Everything is done by the page hook on the page's own socket: the page sees what a real
// failure of that kind shows it (a cut: `error`, then `close` 1006 not clean, readyState CLOSED),
// while the real socket underneath is closed with a code of our own (INJECTED_CLOSE_CODE) and a
// reason naming the tool, so the server frees it and its logs say why.
import * as v from 'valibot';

import { FAIL_NEXT_MAX, INJECT_MAX_MS } from './checks.ts';

export * from './checks.ts';

const sid = v.pipe(v.number(), v.integer(), v.minValue(0));
const ms = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(INJECT_MAX_MS));

export const FaultCommandSchema = v.variant('op', [
  /** Cut the link: the page sees `error`, then `close` 1006, not clean. */
  v.object({ op: v.literal('drop'), sid }),
  /** The server closes with `code` and `reason`: the page sees a clean close with them. */
  v.object({ op: v.literal('close'), sid, code: v.number(), reason: v.string() }),
  /** Hold every inbound message for `ms`, then deliver them in order (`hold`) or never (`drop`). */
  v.object({ op: v.literal('silence'), sid, ms, mode: v.picklist(['hold', 'drop']) }),
  /** Delay every inbound message by `ms` (0 turns it off). */
  v.object({ op: v.literal('delay'), sid, ms: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(INJECT_MAX_MS)) }),
  /** Drop the next `n` inbound messages. */
  v.object({ op: v.literal('drop-next'), sid, n: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)) }),
  /** Swallow sends whose text matches (a substring, or a regex when `regex`); '' turns it off. */
  v.object({ op: v.literal('block-sends'), sid, pattern: v.string(), regex: v.boolean() }),
  /**
   * Fail the next `n` sockets the page makes to `url` (0: until turned off with `clear`):
   * `before-open` as 1006 before open, `after-open` as `code`/`reason` right after open.
   */
  v.object({
    op: v.literal('fail-next'),
    url: v.pipe(v.string(), v.maxLength(8192)),
    n: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(FAIL_NEXT_MAX)),
    as: v.picklist(['before-open', 'after-open']),
    code: v.optional(v.number()),
    reason: v.optional(v.string()),
  }),
  /** A message into the connection: `in` as if from the server, `out` sent to the server. Binary as base64. */
  v.object({ op: v.literal('send'), sid, dir: v.picklist(['in', 'out']), data: v.string(), bin: v.boolean() }),
  /** Undo every fault of `sid`, or of the whole document (and its fail-next rules) without one. */
  v.object({ op: v.literal('clear'), sid: v.optional(sid) }),
]);
export type FaultCommand = v.InferOutput<typeof FaultCommandSchema>;
export type FaultOp = FaultCommand['op'];
