// Faults injected from the panel (core/faults/), as the session keeps them: each applied or
// refused command the hook reported, on its connection or, naming none, on the session.
import type { HookEventOf } from '../wire/protocol.ts';
import { wallOf } from './clock.ts';
import { FAULTS_KEPT, type FaultRecord } from './connection.ts';
import type { DocFault, DocState, SessionState } from './state.ts';

/**
 * A fault command the hook applied or refused. One naming a socket goes on that connection
 * (a socket the hook failed by a fail-next rule gets its own record, op 'fail-next'); one
 * naming none (a fail-next rule, clearing everything) is the document's, kept on the session.
 * Both bounded, the oldest going first, counted.
 */
export function onInject(state: SessionState, d: DocState, ev: HookEventOf<'inject'>): void {
  const { k: _k, t, sid, ...rest } = ev;
  const rec: FaultRecord = { ...rest, at: wallOf(d, t) };
  if (sid === undefined) {
    state.faults.push({ ...rec, doc: d.doc });
    if (state.faults.length > FAULTS_KEPT) {
      state.faults.shift();
      state.faultsEvicted++;
    }
    return;
  }
  const c = state.connections.get(`${d.doc}:${sid}`);
  if (!c) {
    state.orphans++;
    return;
  }
  const list = (c.faults ??= []);
  list.push(rec);
  if (list.length > FAULTS_KEPT) {
    list.shift();
    c.faultsDropped = (c.faultsDropped ?? 0) + 1;
  }
}

/**
 * The fail-next rules of a document still in force as far as the session can tell: each set and
 * not undone since by a document-wide `clear` nor replaced by a later rule for the same
 * endpoint, latest first. How many attempts a rule has left only the hook knows: a rule of `n`
 * attempts may be used up.
 */
export function failRules(state: SessionState, doc: string): DocFault[] {
  const out: DocFault[] = [];
  const seen = new Set<string>();
  for (let i = state.faults.length - 1; i >= 0; i--) {
    const r = state.faults[i]!;
    if (r.doc !== doc || !r.ok) continue;
    if (r.op === 'clear') break;
    if (r.op !== 'fail-next' || seen.has(r.url ?? '')) continue;
    seen.add(r.url ?? '');
    out.push(r);
  }
  return out;
}
