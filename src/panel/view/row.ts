// What a connection's row shows, from one snapshot. The connections are live (the store
// applies every event at once) while the diagnoses come from the last derive: a row that took
// its close code from the connection and its badge from the diagnosis read "1006" beside
// "live" until the next derive. Badge, code, reason and state all come from the derive's
// snapshot; a connection newer than the snapshot shows its live state, with no diagnosis.
import type { Diagnosis, DiagnosisCategory } from '../../core/diagnosis/diagnose.ts';
import { outcomeOf, type Connection, type Outcome } from '../../core/session/session.ts';
import { outcomeOfCategory } from '../categories.ts';
import type { RowSnapshot } from '../derive.ts';

export interface RowFacts {
  outcome: Outcome;
  category?: DiagnosisCategory;
  diagnosis?: Diagnosis;
  state: Connection['state'];
  close?: Connection['close'];
  /** The close code as the list writes it: `*` marks one the browser or we made up (synthetic). */
  code: string;
  reason: string;
}

export function rowFacts(c: Connection, derived: { diagnoses: ReadonlyMap<string, Diagnosis>; rows: ReadonlyMap<string, RowSnapshot> }): RowFacts {
  const snap = derived.rows.get(c.id);
  const diagnosis = snap ? derived.diagnoses.get(c.id) : undefined;
  const close = snap ? snap.close : c.close;
  const createThrew = snap ? snap.createThrew : c.createThrew;
  const category = diagnosis?.category;
  const asOf: Connection = { ...c, state: snap?.state ?? c.state };
  if (close) asOf.close = close;
  else delete asOf.close;
  if (createThrew) asOf.createThrew = createThrew;
  else delete asOf.createThrew;
  const f: RowFacts = {
    outcome: category ? outcomeOfCategory(category) : outcomeOf(asOf),
    state: asOf.state,
    code: close ? String(close.code) + (close.synthetic ? '*' : '') : '',
    reason: reasonOf(asOf, diagnosis),
  };
  if (category) f.category = category;
  if (diagnosis) f.diagnosis = diagnosis;
  if (close) f.close = close;
  return f;
}

/**
 * The reason a row shows: the application protocol's own goodbye when it ended the connection
 * (it is the real reason: a SockJS "Go away!" arrives under a close frame's "Normal closure"),
 * else the close frame's, or what the socket's constructor threw.
 */
function reasonOf(c: Connection, d: Diagnosis | undefined): string {
  const app = d?.appClose;
  if (app) return `${app.reason ?? app.type} (${app.protocol})`;
  return c.close?.reason || c.createThrew || '';
}
