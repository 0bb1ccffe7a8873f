// Reconnect chains: which socket is a retry of which, and what the retry policy looks like
// (immediate, constant, linear or exponential backoff; jitter or not; a storm; a give-up).
//
// Linking rule: a new socket to the same endpoint (scheme, host and path — the query is
// ignored because clients put fresh tokens and timestamps there) from the same document,
// created within RECONNECT_WINDOW_MS after the previous one ended in a failure, is its retry. Sockets of
// another document are never linked: after a reload the new page's socket is a first
// attempt, not a retry, and two frames may talk to the same endpoint independently.
import { splitUrl } from '../knowledge/close-codes.ts';
import { connectionEnd } from './end.ts';
import type { Connection } from './connection.ts';

export type Backoff = 'none' | 'constant' | 'linear' | 'exponential' | 'irregular';

export interface ReconnectChain {
  /** `chain:` + the id of the first connection. */
  id: string;
  endpoint: string;
  doc: string;
  /** In order; the first is the original connection, the rest are reconnect attempts. */
  connectionIds: string[];
  /** delaysMs[i]: from the end of connectionIds[i] to the creation of connectionIds[i + 1]. */
  delaysMs: number[];
  backoff: Backoff;
  /** Growth factor per attempt (exponential) or step in ms (linear). */
  factor?: number;
  stepMs?: number;
  jitter: boolean;
  storm: boolean;
  gaveUp: boolean;
  /** Reconnect attempts: connections after the first (= delaysMs.length). */
  attempts: number;
}

/**
 * 60 s: long enough for the capped exponential backoffs of common clients (30 s caps are
 * typical), short enough that a socket opened by a user action minutes later is not taken
 * for a retry.
 */
export const RECONNECT_WINDOW_MS = 60_000;
/** A storm: at least this many attempts… */
export const STORM_MIN_ATTEMPTS = 5;
/** …with a median delay below this and no growth. */
export const STORM_MAX_MEDIAN_MS = 1000;
/** Delays below this are "immediately", i.e. no backoff at all. */
export const IMMEDIATE_MS = 100;

/** Query parameters whose values are expected to change between attempts to one endpoint. */
const VOLATILE_PARAM = /^(?:_|t|ts|timestamp|time|v|cb|cachebust(?:er)?|nonce|rand(?:om)?|token|access_token|auth|authorization|jwt|key|apikey|api_key|sig|signature|ticket|sid|session(?:_?id)?|reconnect|attempt|retry)$/i;

/** A value that looks generated rather than chosen: a token, an id, a timestamp. */
function volatileValue(v: string): boolean {
  return v.length >= 16 || /^\d{9,}$/.test(v) || /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(v);
}

/**
 * The identity of an endpoint across retries: scheme://host/path plus the query parameters
 * that say *what* is connected to (`?room=lobby` and `?room=kitchen` are different endpoints),
 * without those that change on every attempt (tokens, timestamps, session ids, cache busters).
 */
export function endpointOf(url: string): string {
  const u = splitUrl(url);
  const base = u.scheme ? `${u.scheme}://${u.host}${u.path}` : u.path;
  const stable = u.query
    .split('&')
    .filter((p) => p !== '')
    .filter((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return !VOLATILE_PARAM.test(name) && !volatileValue(value);
    })
    .sort();
  return stable.length ? `${base}?${stable.join('&')}` : base;
}

/**
 * When a connection ended as far as its successor is concerned: the page's first effective
 * close() call or the close event, whichever came first. Libraries that replace a socket
 * call close() and create the next one at once, before the old close event has arrived.
 */
export function endOf(c: Connection): number | undefined {
  let end = c.close?.at;
  for (const call of c.closeCalls) {
    if (call.threw) continue;
    if (end === undefined || call.at < end) end = call.at;
    break;
  }
  return end;
}

export interface ChainOptions {
  /** Time of the analysis, for "gave up"; defaults to the latest time seen in the connections. */
  now?: number;
  windowMs?: number;
}

export function findReconnectChains(conns: readonly Connection[], opts: ChainOptions = {}): ReconnectChain[] {
  const windowMs = opts.windowMs ?? RECONNECT_WINDOW_MS;
  const now = opts.now ?? latestTime(conns);
  const ordered = [...conns].filter((c) => !c.createThrew).sort((a, b) => a.createdAt - b.createdAt);
  const next = new Map<string, Connection>();
  const hasPrev = new Set<string>();
  // Per doc+endpoint: connections that have no successor yet, oldest first.
  const open = new Map<string, Connection[]>();

  for (const c of ordered) {
    const key = `${c.doc}\u0000${endpointOf(c.url)}`;
    const tails = open.get(key) ?? [];
    for (let i = tails.length - 1; i >= 0; i--) {
      const p = tails[i]!;
      const end = endOf(p);
      if (end === undefined || end > c.createdAt) continue; // still live: a parallel socket
      // A retry follows a failure: a socket after a clean close the page asked for (one socket
      // per operation) or a server's 1000 is a new connection, not a reconnect attempt.
      if (!endedBadly(p)) continue;
      if (c.createdAt - end > windowMs) continue;
      next.set(p.id, c);
      hasPrev.add(c.id);
      tails.splice(i, 1);
      break;
    }
    // Tails that ended more than a window ago can no longer get a successor.
    const alive = tails.filter((p) => {
      const end = endOf(p);
      return end === undefined || c.createdAt - end <= windowMs;
    });
    alive.push(c);
    open.set(key, alive);
  }

  const chains: ReconnectChain[] = [];
  for (const head of ordered) {
    if (hasPrev.has(head.id) || !next.has(head.id)) continue;
    const members: Connection[] = [head];
    for (let c = next.get(head.id); c; c = next.get(c.id)) members.push(c);
    const delaysMs: number[] = [];
    for (let i = 1; i < members.length; i++) {
      const prev = members[i - 1]!;
      delaysMs.push(Math.max(0, members[i]!.createdAt - (endOf(prev) ?? members[i]!.createdAt)));
    }
    const fit = classifyBackoff(delaysMs);
    const last = members[members.length - 1]!;
    const chain: ReconnectChain = {
      id: `chain:${head.id}`,
      endpoint: endpointOf(head.url),
      doc: head.doc,
      connectionIds: members.map((m) => m.id),
      delaysMs,
      backoff: fit.backoff,
      jitter: fit.jitter,
      storm:
        delaysMs.length >= STORM_MIN_ATTEMPTS &&
        median(delaysMs) < STORM_MAX_MEDIAN_MS &&
        fit.backoff !== 'exponential' &&
        fit.backoff !== 'linear',
      gaveUp: endedBadly(last) && last.close !== undefined && now - last.close.at >= windowMs,
      attempts: delaysMs.length,
    };
    if (fit.factor !== undefined) chain.factor = fit.factor;
    if (fit.stepMs !== undefined) chain.stepMs = fit.stepMs;
    chains.push(chain);
  }
  return chains;
}

/** A close the client should have retried: a failure in the end model (session/end.ts). */
export function endedBadly(c: Connection): boolean {
  return connectionEnd(c)?.failure ?? false;
}

/** Where a connection sits in the chains: its chain and its index in it. */
export function chainIndex(chains: readonly ReconnectChain[]): Map<string, { chain: ReconnectChain; index: number }> {
  const m = new Map<string, { chain: ReconnectChain; index: number }>();
  for (const chain of chains) chain.connectionIds.forEach((id, index) => m.set(id, { chain, index }));
  return m;
}

export interface BackoffFit {
  backoff: Backoff;
  jitter: boolean;
  factor?: number;
  stepMs?: number;
}

/** Deviation from the fitted curve that still counts as "the same policy" (timer noise, load). */
const FIT_LIMIT = Math.log(1.35);
/**
 * Deviation from the fitted curve above which the client randomizes its delays: 2 % and more
 * than timer noise (a few ms of setTimeout and event-loop delay). Simulated on the lab's
 * policy (200·2^n ms ±10 %, four delays) this flags ~85 % of runs and no noise-only run; the
 * rest happen to look regular, which no test on four samples can tell apart.
 */
const JITTER_REL = 0.02;
const JITTER_ABS_MS = 15;
/**
 * An exponential backoff grows by at least ×1.5 per attempt (×2 is usual, ×1.5 the low end).
 * The fitted factor of a true ×1.5 policy reads a little under 1.5 with timer noise (and
 * float rounding), hence the margin.
 */
const MIN_FACTOR = 1.45;

/**
 * Classifies a delay sequence by fitting three models and keeping the one that fits best:
 * constant (geometric mean), exponential (least squares on log delays, growth ≥ ×1.5, a cap
 * reached at the end is allowed) and linear (least squares, a step of at least a fifth of the
 * first delay). A model qualifies when every delay is within ±35 % of it; constant wins near
 * ties (the simplest explanation). Jitter: some delay is off the fitted curve by more than
 * 2 % and 15 ms.
 */
export function classifyBackoff(delays: readonly number[]): BackoffFit {
  const n = delays.length;
  if (n === 0) return { backoff: 'none', jitter: false };
  if (Math.max(...delays) < IMMEDIATE_MS) return { backoff: 'none', jitter: false };
  if (n === 1) return { backoff: 'constant', jitter: false };

  const d = delays.map((x) => Math.max(x, 1));
  const candidates: { backoff: Backoff; fitted: number[]; err: number; factor?: number; stepMs?: number }[] = [];

  const gm = Math.exp(mean(d.map(Math.log)));
  const constFit = d.map(() => gm);
  candidates.push({ backoff: 'constant', fitted: constFit, err: maxLogErr(d, constFit) });

  const exp = fitExponential(d);
  if (exp && exp.factor >= MIN_FACTOR) candidates.push({ backoff: 'exponential', ...exp, err: maxLogErr(d, exp.fitted) });

  if (n >= 3) {
    const { a, b } = leastSquares(d.map((_, i) => i), d);
    const fitted = d.map((_, i) => a + b * i);
    if (a > 0 && b >= 0.2 * a) candidates.push({ backoff: 'linear', fitted, err: maxLogErr(d, fitted), stepMs: b });
  }

  const ok = candidates.filter((c) => c.err <= FIT_LIMIT);
  if (ok.length === 0) return { backoff: 'irregular', jitter: false };
  ok.sort((x, y) => x.err - y.err);
  const constant = ok.find((c) => c.backoff === 'constant');
  const best = constant && constant.err <= ok[0]!.err + 0.05 ? constant : ok[0]!;
  const jitter = d.some((x, i) => {
    const f = best.fitted[i]!;
    return Math.abs(x - f) > Math.max(JITTER_REL * f, JITTER_ABS_MS);
  });
  const out: BackoffFit = { backoff: best.backoff, jitter };
  if (best.factor !== undefined) out.factor = round2(best.factor);
  if (best.stepMs !== undefined) out.stepMs = Math.round(best.stepMs);
  return out;
}

/**
 * Exponential fit on the growing part; a tail that stays at the peak (a capped backoff,
 * e.g. 1, 2, 4, 8, 16, 30, 30 s) is fitted as that cap.
 */
function fitExponential(d: readonly number[]): { fitted: number[]; factor: number } | undefined {
  const peak = d.indexOf(Math.max(...d));
  const tail = d.slice(peak + 1);
  const capped = tail.length > 0 && tail.every((x) => Math.abs(Math.log(x / d[peak]!)) <= FIT_LIMIT);
  const growing = capped ? d.slice(0, peak + 1) : d;
  if (growing.length < 2) return undefined;
  const { a, b } = leastSquares(
    growing.map((_, i) => i),
    growing.map(Math.log),
  );
  const fitted = d.map((_, i) => (capped && i > peak ? Math.exp(a + b * peak) : Math.exp(a + b * i)));
  return { fitted, factor: Math.exp(b) };
}

function leastSquares(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  const b = den === 0 ? 0 : num / den;
  return { a: my - b * mx, b };
}

function maxLogErr(d: readonly number[], fitted: readonly number[]): number {
  let worst = 0;
  d.forEach((x, i) => {
    const f = fitted[i]!;
    worst = Math.max(worst, f <= 0 ? Infinity : Math.abs(Math.log(x / f)));
  });
  return worst;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function latestTime(conns: readonly Connection[]): number {
  let t = 0;
  for (const c of conns) {
    t = Math.max(t, c.createdAt, c.openedAt ?? 0, c.close?.at ?? 0, c.lastIn?.at ?? 0, c.lastOut?.at ?? 0);
  }
  return t;
}
