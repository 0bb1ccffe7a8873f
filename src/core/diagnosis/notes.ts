// What is added to any diagnosis, whatever rule made it: a recognised library's note, and what
// the socket's reconnect chain says (is the client retrying, with what backoff, did it give up).
import type { DiagnosisCategory } from '../knowledge/categories.ts';
import { BACKOFF, E } from '../knowledge/i18n/diagnosis.ts';
import { F } from '../knowledge/i18n/diagnosis-causes.ts';
import { fmtDuration, type Text } from '../knowledge/i18n/text.ts';
import { forbidsReconnect } from '../knowledge/client-heartbeats.ts';
import { HF } from '../knowledge/i18n/honest.ts';
import { median, endedBadly, type ReconnectChain } from '../session/reconnect.ts';
import { type Diagnosis, type Facts, RULES } from './facts.ts';

/** Categories after which a client is expected to reconnect. */
const SHOULD_RECONNECT: ReadonlySet<DiagnosisCategory> = new Set([
  'idle-timeout',
  'offline',
  'suspended',
  'abnormal',
  'heartbeat-lost',
  'server-error',
  'going-away',
  'retry-later',
  // A fault injected to test the app's recovery: whether it reconnected is the point.
  'injected',
]);

/** Categories where a recognised library's note (heartbeat defaults…) helps explain. */
const LIBRARY_NOTE_CATEGORIES: ReadonlySet<DiagnosisCategory> = new Set([
  'idle-timeout',
  'abnormal',
  'suspended',
  'no-status',
  'closed-by-page',
]);

export function addLibrary(d: Diagnosis, f: Facts): void {
  const lib = f.info?.library;
  if (!lib) return;
  d.evidence.push({ fact: 'library', text: E.library(lib.name) });
  if (LIBRARY_NOTE_CATEGORIES.has(d.category)) d.causes.push(...(f.info?.notes ?? []));
}

export function addReconnect(d: Diagnosis, f: Facts): void {
  const { conn, ctx, pos } = f;
  const window = fmtDuration(RULES.reconnectWindowMs);
  // The code's own advice wins: after "do not reconnect" (Discord 4004, graphql-ws 4401, 1008…)
  // no note may say to retry, back off or keep going.
  const forbidden = conn.close !== undefined && forbidsReconnect(conn.close.code, f.info?.library?.id);
  if (forbidden) {
    d.fixes = d.fixes.filter((x) => x !== F.reconnectBackoff);
    if (pos && pos.chain.attempts > 0) d.fixes.push(HF.stopReconnecting);
  }
  if (!pos) {
    const close = conn.close;
    if (close && !forbidden && SHOULD_RECONNECT.has(d.category) && endedBadly(conn) && ctx.now - close.at >= RULES.reconnectWindowMs) {
      d.evidence.push({ fact: 'reconnect.none', text: E.noReconnect(window) });
      // Replaces the generic "reconnect with backoff": here we know nothing reconnected.
      d.fixes = [...d.fixes.filter((x) => x !== F.reconnectBackoff), F.addReconnect];
    }
    return;
  }
  const { chain, index } = pos;
  d.chainId = chain.id;
  if (index > 0) {
    d.evidence.push({
      fact: 'reconnect',
      at: conn.createdAt,
      text: E.reconnect(index, chain.attempts, fmtDuration(chain.delaysMs[index - 1] ?? 0)),
    });
  }
  const nextId = chain.connectionIds[index + 1];
  const next = nextId ? f.byId.get(nextId) : undefined;
  if (next) {
    d.evidence.push({ fact: 'reconnect.next', at: next.createdAt, text: E.reconnectNext(fmtDuration(chain.delaysMs[index] ?? 0)) });
  }
  if (chain.attempts >= 2) d.evidence.push({ fact: 'reconnect.backoff', text: E.backoff(describeBackoff(chain)) });
  if (forbidden) {
    if (chain.storm) d.evidence.push({ fact: 'reconnect.storm', text: E.storm(chain.attempts, fmtDuration(median(chain.delaysMs))) });
    if (d.severity === 'info') d.severity = 'warning';
    return;
  }
  if (chain.storm) {
    d.evidence.push({ fact: 'reconnect.storm', text: E.storm(chain.attempts, fmtDuration(median(chain.delaysMs))) });
    d.fixes.push(F.stormBackoff);
    if (d.severity === 'info') d.severity = 'warning';
  } else if (chain.attempts >= 3 && !chain.jitter && chain.backoff !== 'irregular') {
    d.fixes.push(F.addJitter);
  }
  if (chain.gaveUp && index === chain.connectionIds.length - 1) {
    d.evidence.push({ fact: 'reconnect.gaveUp', text: E.gaveUp(chain.attempts, window) });
    d.fixes.push(F.keepRetrying);
  }
}

export function describeBackoff(chain: Pick<ReconnectChain, 'backoff' | 'jitter' | 'factor' | 'stepMs' | 'delaysMs'>): Text {
  switch (chain.backoff) {
    case 'none':
      return BACKOFF.none;
    case 'constant':
      return BACKOFF.constant(fmtDuration(median(chain.delaysMs)), chain.jitter);
    case 'linear':
      return BACKOFF.linear(fmtDuration(chain.stepMs ?? 0), chain.jitter);
    case 'exponential':
      return BACKOFF.exponential(chain.factor ?? 2, chain.jitter);
    case 'irregular':
      return BACKOFF.irregular;
  }
}
