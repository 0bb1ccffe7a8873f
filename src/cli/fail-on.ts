// --fail-on: which diagnoses fail a CI run. Categories are the diagnosis engine's own
// (src/core/diagnosis/diagnose.ts); groups name what a CI job usually means by "the socket died".
import { DIAGNOSIS_CATEGORIES, type Diagnosis, type DiagnosisCategory } from '../core/diagnosis/diagnose.ts';

/**
 * `abnormal`: every cut without a close frame — what the page sees as 1006 — whatever the
 * engine found behind it (idle proxy, offline, suspended tab, refused handshake), plus a 1006
 * right after a large send (category message-too-big, code 1006).
 * `server-error`: the server failed (1011) or broke the protocol (1002/1010).
 * `any`: everything but the expected ends (live, closed by the page or the server with
 * 1000/1001, the page navigating away, a fault injected from the panel: the developer's own test).
 */
export const FAIL_GROUPS = {
  abnormal: ['abnormal', 'idle-timeout', 'offline', 'suspended', 'handshake-failed'],
  'server-error': ['server-error', 'protocol-error'],
} as const satisfies Record<string, readonly DiagnosisCategory[]>;

/** The expected ends: what `any` leaves out (and what the Playwright fixture's report does not detail). */
export const EXPECTED_CATEGORIES: ReadonlySet<DiagnosisCategory> = new Set(['live', 'closed-by-page', 'closed-by-server', 'going-away', 'navigated', 'injected']);

export interface FailOn {
  spec: string[];
  matches(d: Diagnosis): boolean;
}

export type ParsedFailOn = { ok: true; value: FailOn } | { ok: false; error: string };

export function parseFailOn(values: readonly string[]): ParsedFailOn {
  const spec = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const cats = new Set<DiagnosisCategory>();
  let any = false;
  let abnormal = false;
  for (const s of spec) {
    if (s === 'any') any = true;
    else if (s === 'abnormal') abnormal = true;
    else if (s in FAIL_GROUPS) for (const c of FAIL_GROUPS[s as keyof typeof FAIL_GROUPS]) cats.add(c);
    else if ((DIAGNOSIS_CATEGORIES as readonly string[]).includes(s)) cats.add(s as DiagnosisCategory);
    else {
      return {
        ok: false,
        error: `unknown --fail-on value ${JSON.stringify(s)}: use groups (abnormal, server-error, any) or categories (${DIAGNOSIS_CATEGORIES.join(', ')})`,
      };
    }
  }
  return {
    ok: true,
    value: {
      spec,
      matches(d) {
        if (any && !EXPECTED_CATEGORIES.has(d.category)) return true;
        if (abnormal && ((FAIL_GROUPS.abnormal as readonly string[]).includes(d.category) || (d.category === 'message-too-big' && d.code === 1006))) return true;
        return cats.has(d.category);
      },
    },
  };
}
