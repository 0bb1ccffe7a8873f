// What a native threw, as text for our records.
import { apply, strSlice } from './builtins.ts';
import { plainString } from './capture.ts';

export /** "Name: message" of what the native threw (bounded), read in a try: a page's own thrown value may be anything. */
function describeThrown(err: unknown): string {
  try {
    const e = err as { name?: unknown; message?: unknown } | null;
    const name = plainString(e?.name) ?? '';
    const message = plainString(e?.message) ?? '';
    return apply(strSlice, `${name}: ${message}`, [0, 512]) as string;
  } catch {
    return 'unknown: ';
  }
}
