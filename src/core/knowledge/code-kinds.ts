// The vocabulary that the close-code facts (close-codes.ts) and their words (i18n/codes.ts,
// i18n/libraries.ts) are both keyed by. In a module of its own so that facts import words and
// words import only these names, never the facts: the compiler still rejects a code that has
// facts but no text, or the reverse, without the two importing each other.
import type { Text } from './i18n/text.ts';

export type Severity = 'info' | 'warning' | 'error';

/** Who may put the code in a close frame. `browser`: nobody — the browser reports it locally. */
export type Sender = 'either' | 'client' | 'server' | 'gateway' | 'browser' | 'nobody' | 'application';

/** RFC 6455 §7.4.2 ranges, plus `invalid` for anything outside 0–4999. */
export type CodeRange = 'unused' | 'protocol' | 'registered' | 'private' | 'invalid';

/** Codes RFC 6455 §7.4.1 defines itself. */
export type RfcCode = 1000 | 1001 | 1002 | 1003 | 1004 | 1005 | 1006 | 1007 | 1008 | 1009 | 1010 | 1011 | 1015;

/** Codes added later through the IANA registry. */
export type IanaCode = 1012 | 1013 | 1014 | 3000 | 3003 | 3008;

export type StandardCode = RfcCode | IanaCode;

export type GraphqlWsCode = 4400 | 4401 | 4403 | 4406 | 4408 | 4409 | 4429 | 4500 | 4004 | 4005 | 4504 | 4499;

/** Discord gateway close codes; 4006 is not assigned. */
export type DiscordCode =
  | 4000 | 4001 | 4002 | 4003 | 4004 | 4005 | 4007 | 4008 | 4009 | 4010 | 4011 | 4012 | 4013 | 4014;

/** The words for one code or range. */
export interface CodeTexts {
  name: Text;
  meaning: Text;
  /** Most likely first. */
  causes: readonly Text[];
  fixes: readonly Text[];
}
