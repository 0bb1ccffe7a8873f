// Every entry of the close-code knowledge base, described as the engine describes it, so that
// completeness tests can walk them all: the standard codes, one code of each range, every
// library code in its library's context, and the Phoenix heartbeat convention.
import { describeCode, PHOENIX_HEARTBEAT_REASON, STANDARD_CODES, type CodeInfo } from '../../src/core/knowledge/close-codes.ts';
import { DISCORD_TEXTS, GRAPHQL_WS_TEXTS, LIBRARY_NOTES } from '../../src/core/knowledge/i18n/libraries.ts';
import type { Text } from '../../src/core/knowledge/i18n/text.ts';

export interface CatalogueEntry {
  /** Stable key: "1006", "4000-4999", "graphql-ws:4401", "phoenix:heartbeat timeout". */
  key: string;
  info: CodeInfo;
}

const RANGES: ReadonlyArray<[number, number]> = [
  [0, 999],
  [1016, 2999],
  [3000, 3999],
  [4000, 4999],
];

export function catalogue(): CatalogueEntry[] {
  const out: CatalogueEntry[] = STANDARD_CODES.map((c) => ({ key: String(c), info: describeCode(c) }));
  // The range's own entry: a code of the range with no entry of its own (its lowest is one).
  for (const [lo, hi] of RANGES) out.push({ key: `${lo}-${hi}`, info: describeCode(lo) });
  out.push({ key: 'invalid', info: describeCode(5000) });
  for (const c of Object.keys(GRAPHQL_WS_TEXTS).map(Number)) {
    out.push({ key: `graphql-ws:${c}`, info: describeCode(c, { protocol: 'graphql-transport-ws' }) });
  }
  for (const c of Object.keys(DISCORD_TEXTS).map(Number)) {
    out.push({ key: `discord:${c}`, info: describeCode(c, { url: 'wss://gateway.discord.gg/?v=10' }) });
  }
  out.push({ key: `phoenix:${PHOENIX_HEARTBEAT_REASON}`, info: describeCode(1000, { reason: PHOENIX_HEARTBEAT_REASON }) });
  return out;
}

/** Every library context note. */
export const libraryNotes = (): readonly Text[] => Object.values(LIBRARY_NOTES);
