// One model of a connection's end (session/end.ts): the diagnosis, the HAR export's closedBy,
// and the reconnect analysis read the same verdict (the row's agreement is held by e2e/explain.spec.ts), for every scenario the diagnosis
// tests know. Before this model each computed "who closed it" with its own rule.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/core/diagnosis/diagnose.ts';
import { closedByOf } from '../src/core/har/har-export-fields.ts';
import { connectionEnd } from '../src/core/session/end.ts';
import { endedBadly } from '../src/core/session/reconnect.ts';
import { SCENARIOS } from './helpers/scenarios.ts';

/** What each category says about who ended the socket, where the category says it at all. */
const ENDED_BY: Partial<Record<string, string[]>> = {
  'closed-by-page': ['page'],
  'closed-by-server': ['server'],
  'server-error': ['server'],
  'going-away': ['server'],
  'navigated': ['navigation'],
  abnormal: ['browser'],
  'idle-timeout': ['browser', 'server'],
};

describe('one verdict on how a connection ended', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, sc) => {
    const { a, sid } = sc.run();
    const c = a.conn(sid);
    const d = diagnose(c, a.ctx);
    const end = connectionEnd(c);
    if (!c.close || !end) return;
    // The HAR file says what the model says.
    expect(closedByOf(c, c.close)).toBe(end.by === 'network-only' ? 'browser' : end.by);
    // The category agrees with who ended it, where it names one.
    const allowed = ENDED_BY[d.category];
    if (allowed) expect(allowed, `${d.category}: ended by ${end.by}`).toContain(end.by);
    // A retry chain forms only after what the model calls a failure.
    expect(endedBadly(c)).toBe(end.failure);
  });
});
