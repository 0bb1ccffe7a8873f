// The close-code knowledge base: what a close code means, who may send it, whether it can
// be on the wire at all, and where to read more. Facts here; words in i18n/codes.ts and
// i18n/libraries.ts (keyed by the same code unions, code-kinds.ts, so the compiler keeps them in
// step).
//
// Sources: RFC 6455 §7.4.1 (defined codes) and §7.4.2 (ranges); the IANA "WebSocket Close
// Code Number Registry" (1012–1014, 3000–3999); the libraries' own docs for private codes.
import { LIBRARY_NOTES, DISCORD_TEXTS, GRAPHQL_WS_TEXTS, PHOENIX_HEARTBEAT_TEXTS } from './i18n/libraries.ts';
import { RANGE_TEXTS, SENDER_TEXTS, STANDARD_CODE_TEXTS } from './i18n/codes.ts';
import type { Text } from './i18n/text.ts';
import type { CodeRange, CodeTexts, DiscordCode, GraphqlWsCode, Sender, Severity, StandardCode } from './code-kinds.ts';

export type { Lang, Text } from './i18n/text.ts';
export { localize } from './i18n/text.ts';
export type { CodeRange, DiscordCode, GraphqlWsCode, IanaCode, RfcCode, Sender, Severity, StandardCode } from './code-kinds.ts';

export type LibraryId = 'graphql-ws' | 'discord' | 'phoenix' | 'socket.io';

export interface LibraryRef {
  id: LibraryId;
  name: string;
  docs: string;
}

export const RFC_DEFINED = 'https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1';
export const RFC_RANGES = 'https://www.rfc-editor.org/rfc/rfc6455#section-7.4.2';
export const IANA_REGISTRY = 'https://www.iana.org/assignments/websocket/websocket.xhtml#close-code-number';

export const LIBRARIES: Readonly<Record<LibraryId, LibraryRef>> = {
  'graphql-ws': { id: 'graphql-ws', name: 'graphql-ws', docs: 'https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md' },
  discord: {
    id: 'discord',
    name: 'Discord gateway',
    docs: 'https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes',
  },
  phoenix: { id: 'phoenix', name: 'Phoenix', docs: 'https://hexdocs.pm/phoenix/js/' },
  'socket.io': { id: 'socket.io', name: 'Socket.IO', docs: 'https://socket.io/docs/v4/server-options/#pinginterval' },
};

interface CodeFacts {
  /** The registry's own name, kept in English: it is what people search for. */
  officialName: string;
  sender: Sender;
  severity: Severity;
  onWire: boolean;
  learnMore: string;
  source: string;
}

const RFC = 'RFC 6455 §7.4.1';
const IANA = 'IANA WebSocket Close Code Number Registry';
const rfc = (officialName: string, sender: Sender, severity: Severity, onWire = true): CodeFacts => ({
  officialName,
  sender,
  severity,
  onWire,
  learnMore: RFC_DEFINED,
  source: RFC,
});
const iana = (officialName: string, sender: Sender, severity: Severity): CodeFacts => ({
  officialName,
  sender,
  severity,
  onWire: true,
  learnMore: IANA_REGISTRY,
  source: IANA,
});

const STANDARD_FACTS: Readonly<Record<StandardCode, CodeFacts>> = {
  1000: rfc('Normal Closure', 'either', 'info'),
  1001: rfc('Going Away', 'either', 'info'),
  1002: rfc('Protocol Error', 'either', 'error'),
  1003: rfc('Unsupported Data', 'either', 'error'),
  // "Reserved. The specific meaning might be defined in the future." — no endpoint may send it.
  1004: rfc('Reserved', 'nobody', 'warning', false),
  // 1005, 1006 and 1015 "MUST NOT be set as a status code in a Close control frame".
  1005: rfc('No Status Received', 'browser', 'warning', false),
  1006: rfc('Abnormal Closure', 'browser', 'error', false),
  1007: rfc('Invalid Frame Payload Data', 'either', 'error'),
  1008: rfc('Policy Violation', 'either', 'error'),
  1009: rfc('Message Too Big', 'either', 'error'),
  // RFC 6455: sent by "an endpoint (client)" when the server did not negotiate an extension.
  1010: rfc('Mandatory Extension', 'client', 'error'),
  // RFC 6455 says "a server"; RFC errata 3227 widened it, but in practice it is the server.
  1011: rfc('Internal Error', 'server', 'error'),
  1012: iana('Service Restart', 'server', 'warning'),
  1013: iana('Try Again Later', 'server', 'warning'),
  1014: iana('Bad Gateway', 'gateway', 'error'),
  1015: rfc('TLS Handshake', 'browser', 'error', false),
  3000: iana('Unauthorized', 'server', 'error'),
  3003: iana('Forbidden', 'server', 'error'),
  3008: iana('Timeout', 'either', 'warning'),
};

const RANGE_FACTS: Readonly<Record<CodeRange, CodeFacts>> = {
  unused: { officialName: 'Unused', sender: 'nobody', severity: 'warning', onWire: false, learnMore: RFC_RANGES, source: 'RFC 6455 §7.4.2' },
  // Only assigned codes of this range are valid; an unassigned one makes Chrome report 1006.
  protocol: { officialName: 'Reserved for the protocol', sender: 'nobody', severity: 'warning', onWire: false, learnMore: RFC_RANGES, source: 'RFC 6455 §7.4.2' },
  registered: { officialName: 'Registered with IANA', sender: 'application', severity: 'warning', onWire: true, learnMore: IANA_REGISTRY, source: IANA },
  private: { officialName: 'Private use', sender: 'application', severity: 'warning', onWire: true, learnMore: RFC_RANGES, source: 'RFC 6455 §7.4.2' },
  invalid: { officialName: 'Invalid', sender: 'nobody', severity: 'warning', onWire: false, learnMore: RFC_RANGES, source: 'RFC 6455 §7.4.2' },
};

const GQL_SRC = 'graphql-ws PROTOCOL.md / CloseCode';
const gqlServer = (officialName: string, severity: Severity = 'error'): CodeFacts => ({
  officialName,
  sender: 'server',
  severity,
  onWire: true,
  learnMore: LIBRARIES['graphql-ws'].docs,
  source: GQL_SRC,
});
// The client-side codes are sent by the graphql-ws client itself through close(code): the
// page closed the socket, the server only echoes.
const gqlClient = (officialName: string, severity: Severity = 'warning'): CodeFacts => ({
  ...gqlServer(officialName, severity),
  sender: 'client',
  learnMore: 'https://github.com/enisdenjo/graphql-ws/blob/master/src/common.ts',
});

const GRAPHQL_WS_FACTS: Readonly<Record<GraphqlWsCode, CodeFacts>> = {
  4400: gqlServer('BadRequest'),
  4401: gqlServer('Unauthorized'),
  4403: gqlServer('Forbidden'),
  4406: gqlServer('SubprotocolNotAcceptable'),
  4408: gqlServer('ConnectionInitialisationTimeout', 'warning'),
  4409: gqlServer('SubscriberAlreadyExists'),
  4429: gqlServer('TooManyInitialisationRequests'),
  4500: gqlServer('InternalServerError'),
  4004: gqlClient('BadResponse', 'error'),
  4005: gqlClient('InternalClientError', 'error'),
  4504: gqlClient('ConnectionAcknowledgementTimeout'),
  4499: gqlClient('Terminated', 'info'),
};

const discord = (officialName: string, severity: Severity): CodeFacts => ({
  officialName,
  sender: 'server',
  severity,
  onWire: true,
  learnMore: LIBRARIES.discord.docs,
  source: 'Discord developer docs: Gateway Close Event Codes',
});

const DISCORD_FACTS: Readonly<Record<DiscordCode, CodeFacts>> = {
  4000: discord('Unknown error', 'warning'),
  4001: discord('Unknown opcode', 'error'),
  4002: discord('Decode error', 'error'),
  4003: discord('Not authenticated', 'error'),
  4004: discord('Authentication failed', 'error'),
  4005: discord('Already authenticated', 'error'),
  4007: discord('Invalid seq', 'warning'),
  4008: discord('Rate limited', 'warning'),
  4009: discord('Session timed out', 'warning'),
  4010: discord('Invalid shard', 'error'),
  4011: discord('Sharding required', 'error'),
  4012: discord('Invalid API version', 'error'),
  4013: discord('Invalid intent(s)', 'error'),
  4014: discord('Disallowed intent(s)', 'error'),
};

const PHOENIX_HEARTBEAT_FACTS: CodeFacts = {
  officialName: 'Normal Closure ("heartbeat timeout")',
  sender: 'client',
  severity: 'warning',
  onWire: true,
  learnMore: LIBRARIES.phoenix.docs,
  source: 'phoenix.js Socket (heartbeatIntervalMs, default 30 s)',
};

export const PHOENIX_HEARTBEAT_REASON = 'heartbeat timeout';

export interface CodeInfo {
  code: number;
  range: CodeRange;
  /** True for an exact entry (standard or library); false when only the range is known. */
  known: boolean;
  officialName: string;
  name: Text;
  meaning: Text;
  rangeMeaning: Text;
  sender: Sender;
  senderText: Text;
  causes: readonly Text[];
  fixes: readonly Text[];
  severity: Severity;
  onWire: boolean;
  learnMore: string;
  source: string;
  /** The library recognised by the context: its meaning of the code when it defines one, else only its note. */
  library?: LibraryRef;
  /** Context notes (a library's heartbeat defaults…), shown under the meaning. */
  notes: readonly Text[];
}

export interface CodeContext {
  /** Negotiated subprotocol, or the requested ones separated by commas. */
  protocol?: string;
  url?: string;
  reason?: string;
}

export function rangeOf(code: number): CodeRange {
  if (!Number.isInteger(code) || code < 0 || code > 4999) return 'invalid';
  if (code < 1000) return 'unused';
  if (code < 3000) return 'protocol';
  if (code < 4000) return 'registered';
  return 'private';
}

const hasKey = <K extends PropertyKey>(o: object, k: PropertyKey): k is K => Object.prototype.hasOwnProperty.call(o, k);

export const isStandardCode = (code: number): code is StandardCode => hasKey<StandardCode>(STANDARD_FACTS, code);

/** The standard codes in ascending order (RFC 6455 and IANA). */
export const STANDARD_CODES: readonly StandardCode[] = (Object.keys(STANDARD_FACTS) as string[])
  .map(Number)
  .filter(isStandardCode)
  .sort((a, b) => a - b);

/** The parts of a ws(s):// URL the knowledge base matches on. Regex, not `URL`: core stays free of host APIs. */
export interface UrlParts {
  scheme: string;
  host: string;
  path: string;
  query: string;
}

export function splitUrl(url: string): UrlParts {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!m) {
    const [beforeHash = ''] = url.split('#');
    const [path = '', query = ''] = beforeHash.split('?');
    return { scheme: '', host: '', path, query };
  }
  const scheme = (m[1] ?? '').toLowerCase();
  let host = (m[2] ?? '').toLowerCase().replace(/^[^@]*@/, '');
  // The default port is the same endpoint written differently.
  if ((scheme === 'ws' || scheme === 'http') && host.endsWith(':80')) host = host.slice(0, -3);
  if ((scheme === 'wss' || scheme === 'https') && host.endsWith(':443')) host = host.slice(0, -4);
  return { scheme, host, path: m[3] || '/', query: m[4] ?? '' };
}

/**
 * Which library's conventions apply. Only unambiguous signs count: the graphql-ws subprotocol
 * name (not the legacy "graphql-ws" subprotocol of subscriptions-transport-ws, whose codes
 * differ), Discord's gateway host, Socket.IO's /socket.io/ path, Phoenix's /websocket?vsn=.
 */
export function detectLibrary(ctx: CodeContext = {}): LibraryId | undefined {
  const protocols = (ctx.protocol ?? '').split(/[\s,]+/);
  if (protocols.includes('graphql-transport-ws')) return 'graphql-ws';
  if (ctx.url) {
    const u = splitUrl(ctx.url);
    if (u.host.includes('discord.gg') || u.host.includes('gateway.discord')) return 'discord';
    if (u.path.includes('/socket.io/')) return 'socket.io';
    if (/\/websocket\/?$/.test(u.path) && /(^|&)vsn=/.test(u.query)) return 'phoenix';
  }
  if (ctx.reason === PHOENIX_HEARTBEAT_REASON) return 'phoenix';
  return undefined;
}

function build(code: number, facts: CodeFacts, texts: CodeTexts, known: boolean, library?: LibraryId): CodeInfo {
  const range = rangeOf(code);
  const info: CodeInfo = {
    code,
    range,
    known,
    officialName: facts.officialName,
    name: texts.name,
    meaning: texts.meaning,
    rangeMeaning: RANGE_TEXTS[range].meaning,
    sender: facts.sender,
    senderText: SENDER_TEXTS[facts.sender],
    causes: texts.causes,
    fixes: texts.fixes,
    severity: facts.severity,
    onWire: facts.onWire,
    learnMore: facts.learnMore,
    source: facts.source,
    notes: library ? [LIBRARY_NOTES[library]] : [],
  };
  if (library) info.library = LIBRARIES[library];
  return info;
}

/** Library entry for a code in a recognised context, if the library defines one. */
function libraryEntry(code: number, lib: LibraryId, ctx: CodeContext): { facts: CodeFacts; texts: CodeTexts } | undefined {
  switch (lib) {
    case 'graphql-ws':
      return hasKey<GraphqlWsCode>(GRAPHQL_WS_FACTS, code) ? { facts: GRAPHQL_WS_FACTS[code], texts: GRAPHQL_WS_TEXTS[code] } : undefined;
    case 'discord':
      return hasKey<DiscordCode>(DISCORD_FACTS, code) ? { facts: DISCORD_FACTS[code], texts: DISCORD_TEXTS[code] } : undefined;
    case 'phoenix':
      return code === 1000 && ctx.reason === PHOENIX_HEARTBEAT_REASON
        ? { facts: PHOENIX_HEARTBEAT_FACTS, texts: PHOENIX_HEARTBEAT_TEXTS }
        : undefined;
    case 'socket.io':
      return undefined; // Socket.IO defines no close codes of its own; it only gets a note.
  }
}

/**
 * What a close code means, in context. Never throws: a code with no entry gets its range's
 * meaning (RFC 6455 §7.4.2), a number outside every range is described as not a close code.
 */
export function describeCode(code: number, ctx: CodeContext = {}): CodeInfo {
  const lib = detectLibrary(ctx);
  if (lib) {
    const entry = libraryEntry(code, lib, ctx);
    if (entry) return build(code, entry.facts, entry.texts, true, lib);
  }
  if (isStandardCode(code)) return build(code, STANDARD_FACTS[code], STANDARD_CODE_TEXTS[code], true, lib);
  const range = rangeOf(code);
  return build(code, RANGE_FACTS[range], RANGE_TEXTS[range], false, lib);
}
