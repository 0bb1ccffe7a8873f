import { describe, expect, it } from 'vitest';
import { applyBatch, connectionId, createSession } from '../src/core/session/session.ts';
import { derive } from '../src/panel/derive.ts';
import { rowFacts } from '../src/panel/view/row.ts';
import { DOC_A, HookSeq, ORIGIN } from './helpers/hook-events.ts';

describe('a connection row', () => {
  it('shows badge, code and reason from the same derive, not a live code beside a stale "live"', () => {
    const session = createSession();
    const seq = new HookSeq(DOC_A).create(1, 10).open(1, 20);
    applyBatch(session, DOC_A, seq.events);
    const before = derive(session, ORIGIN + 1000);
    const id = connectionId(DOC_A, 1);
    expect(before.diagnoses.get(id)?.category).toBe('live');
    // The close arrives; the store applies it at once, the next derive comes later.
    const k = seq.events.length;
    applyBatch(session, DOC_A, seq.close(1, 500, 1006, 'gone').events.slice(k));
    const c = session.connections.get(id)!;
    expect(c.close?.code).toBe(1006);

    const stale = rowFacts(c, before);
    expect(stale).toMatchObject({ outcome: 'live', category: 'live', code: '', reason: '', state: 'open' });

    const fresh = rowFacts(c, derive(session, ORIGIN + 1000));
    expect(fresh.code).toBe('1006');
    expect(fresh.outcome).not.toBe('live');
    expect(fresh.state).toBe('closed');
    expect(fresh.reason).toBe('gone');
  });

  it('shows a connection newer than the derive from its live state, without a diagnosis', () => {
    const session = createSession();
    const before = derive(session, ORIGIN);
    applyBatch(session, DOC_A, new HookSeq(DOC_A).create(2, 10).close(2, 20, 1011, 'boom').events);
    const c = session.connections.get(connectionId(DOC_A, 2))!;
    const f = rowFacts(c, before);
    expect(f).toMatchObject({ outcome: 'server-error', code: '1011', reason: 'boom' });
    expect(f.category).toBeUndefined();
  });
});
