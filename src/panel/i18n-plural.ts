// The singular forms of the texts that carry a count ({n}). ui() picks one when the language's
// plural rule says "one" for n (plural.ts): English "1 connection", "2 connections". Japanese has
// no plural forms (CLDR: only "other"), so it has no entries here. A count text that reads the
// same in the singular is listed in SAME_IN_SINGULAR: test/plurals.test.ts finds every count text
// in the catalogue and fails when one is in neither, so a new one cannot be forgotten.

export const ONE_EN: Record<string, string> = {
  summaryCount: '{n} connection',
  evictedMessages: '{n} older message was dropped to keep memory bounded (counts stay exact).',
  dropsMalformed: '{n} malformed event dropped',
  dropsEvicted: '{n} event evicted (buffer full)',
  dropsHook: '{n} early event dropped',
  netHeadersDropped: '{n} more header not kept (only those that explain a handshake are)',
  dropsNet: '{n} network observation evicted',
  reconnectChain: '{n} reconnect',
  fileBanner: 'Viewing {name}: {n} connection',
  deepOnWorkers: 'on · {n} worker',
  opFailNext: 'next {n} attempt to {url} fails',
  prefsHiddenColumns: '{n} column hidden',
  exportSelectedN: 'Export {n} selected connection as HAR',
};

/** Count texts whose English reads the same for 1 as for 2 ("{n} of {total}", "{n} / 123 bytes"). */
export const SAME_IN_SINGULAR = new Set(['msgMatches', 'undecodable', 'reasonBytes', 'errReason', 'injectedHead', 'opDropNext', 'selectedCount']);
