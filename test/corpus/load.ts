// Loads a corpus case into what the panel (and `socket-autopsy report`) diagnoses: the
// session's connections, page context, reconnect chains and network views, then runs the real
// engine over them. Two kinds of file:
//
// - `*.har`: a HAR as the panel exports it (or Chrome's), read by the real importer, and
//   diagnosed exactly as src/cli/render.ts does. This is how a user adds a case: export the
//   session from the panel, drop the file here, write one line in cases.json.
// - `*.json`: a compact event fixture for cases nobody has a capture of. `steps` are calls of
//   the test Recorder (test/helpers/events.ts) — `["close", 1, 61400, 1006]` is
//   `r.close(1, 61400, 1006)` — so the events go through the same reducer as the hook's; times
//   are ms since T0 (2023-11-14T22:13:20Z). `net` lists what the browser's network layer saw
//   of a handshake, shaped as each source writes it (src/core/network/net.ts), matched to the
//   sockets by the real matcher.
import { readFileSync } from 'node:fs';

import { diagnoseAll, type Diagnosis } from '../../src/core/diagnosis/diagnose.ts';
import { importHar } from '../../src/core/har/har.ts';
import { pickHeaders, type NetObservation, type NetSource } from '../../src/core/network/net.ts';
import { matchNetwork } from '../../src/core/network/net-match.ts';
import { findReconnectChains, type ReconnectChain } from '../../src/core/session/reconnect.ts';
import type { Connection } from '../../src/core/session/session.ts';
import { analyse, Recorder, T0 } from '../helpers/events.ts';

export interface Loaded {
  /** In file order: `connection: 2` in cases.json is the second, as the CLI report numbers them. */
  connections: Connection[];
  chains: ReconnectChain[];
  diagnoses: Map<string, Diagnosis>;
}

/** One observation of a JSON fixture: times in ms since T0, headers as name → value. */
interface FixtureObservation {
  source: NetSource;
  /** Defaults to the URL of the first socket the fixture creates. */
  url?: string;
  at?: number;
  endAt?: number;
  responseAt?: number;
  status?: number;
  statusLine?: string;
  error?: string;
  request?: Record<string, string>;
  response?: Record<string, string>;
  /** The browser's own texts (deep capture, CDP webSocketFrameError), times in ms since T0. */
  frameErrors?: { at: number; text: string }[];
  closedAt?: number;
  worker?: NonNullable<NetObservation['worker']>;
}

interface Fixture {
  /** The real situation, in a sentence: what a reader needs to trust the expected diagnosis. */
  about: string;
  page?: string;
  /** When the recording ends (ms since T0): "live" and chain give-ups are judged against it. */
  now: number;
  steps: unknown[][];
  net?: FixtureObservation[];
}

/** The Recorder calls a fixture may make: its whole vocabulary, nothing else is callable. */
const STEPS = ['create', 'open', 'send', 'message', 'error', 'closeCall', 'close', 'page', 'failedAttempt', 'csp'] as const;
type Step = (typeof STEPS)[number];
const isStep = (s: unknown): s is Step => typeof s === 'string' && (STEPS as readonly string[]).includes(s);

function observation(o: FixtureObservation, i: number, fallbackUrl: string): NetObservation {
  const out: NetObservation = { id: `${o.source}:corpus-${i}`, source: o.source, url: o.url ?? fallbackUrl, at: T0 + (o.at ?? 0) };
  if (o.endAt !== undefined) out.endAt = T0 + o.endAt;
  if (o.responseAt !== undefined) out.responseAt = T0 + o.responseAt;
  if (o.status !== undefined) out.status = o.status;
  if (o.statusLine !== undefined) out.statusLine = o.statusLine;
  if (o.error !== undefined) out.error = o.error;
  if (o.frameErrors) out.frameErrors = o.frameErrors.map((e) => ({ at: T0 + e.at, text: e.text }));
  if (o.closedAt !== undefined) out.closedAt = T0 + o.closedAt;
  if (o.worker) out.worker = o.worker;
  // Through the same picking as the sources (bounds, redaction), as the background stores them.
  const headers = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));
  if (o.request) out.requestHeaders = pickHeaders('request', headers(o.request)).headers;
  if (o.response) out.responseHeaders = pickHeaders('response', headers(o.response)).headers;
  return out;
}

function loadFixture(text: string, file: string): Loaded {
  const f = JSON.parse(text) as Fixture;
  if (typeof f.about !== 'string' || typeof f.now !== 'number' || !Array.isArray(f.steps)) throw new Error(`${file}: needs about, now and steps`);
  const r = new Recorder(undefined, undefined, f.page);
  let firstUrl = 'wss://api.example/socket';
  f.steps.forEach(([name, ...args], i) => {
    if (!isStep(name)) throw new Error(`${file}: step ${i + 1}: ${JSON.stringify(name)} is not one of ${STEPS.join(', ')}`);
    if (name === 'create' && i === 0 && typeof args[2] === 'string') firstUrl = args[2];
    // The vocabulary is the Recorder's own methods: their signatures check nothing at run time,
    // so a wrong argument shows up as a wrong diagnosis, with the step in the case's file.
    (r[name] as (...a: unknown[]) => Recorder).apply(r, args);
  });
  const a = analyse(r, f.now);
  const network = matchNetwork(a.conns, (f.net ?? []).map((o, i) => observation(o, i, firstUrl))).byConn;
  const chains = findReconnectChains(a.conns, { now: a.ctx.now });
  return { connections: a.conns, chains, diagnoses: diagnoseAll({ ...a.ctx, chains, network }) };
}

function loadHar(text: string, file: string): Loaded {
  const imported = importHar(text);
  if (!imported.ok) throw new Error(`${file}: ${imported.error}`);
  const s = imported.session;
  // As the CLI report does: the end of the recording is "now", the file's network facts are
  // matched to its sockets, the current engine diagnoses (not the diagnoses the file carries).
  const chains = findReconnectChains(s.connections, { now: s.endedAt });
  const network = matchNetwork(s.connections, s.state.net.values()).byConn;
  const diagnoses = diagnoseAll({ connections: s.connections, context: s.context, now: s.endedAt, chains, network });
  return { connections: s.connections, chains, diagnoses };
}

export function loadCase(path: string): Loaded {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.har') ? loadHar(text, path) : loadFixture(text, path);
}
