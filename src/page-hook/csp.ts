// Content Security Policy violations that may explain a socket the browser refused.
import type { HookEvent } from '../core/wire/protocol.ts';
import { apply, eventTrusted, NOARGS, perfNow, spvBlocked, spvDirective, spvDisposition, spvPolicy, StringCtor, strSlice } from './builtins.ts';
import { emit } from './emit.ts';

/**
 * Records a `securitypolicyviolation` that may explain a socket the browser refused: only a
 * trusted one (a page can dispatch its own, of any shape), only for connect-src / default-src
 * (other directives govern images, scripts, frames…). Never changes the event (no
 * preventDefault, no stopPropagation: the page's listeners get it as they would without us),
 * and never throws into the page: fields are read through the getters saved in builtins.ts, guarded.
 */
export function onViolation(e: Event): void {
  let ev: HookEvent;
  try {
    if (!eventTrusted || !spvBlocked || !spvDirective || !spvPolicy || apply(eventTrusted, e, NOARGS) !== true) return;
    const directive = StringCtor(apply(spvDirective, e, NOARGS));
    if (directive !== 'connect-src' && directive !== 'default-src') return;
    ev = {
      k: 'csp',
      t: perfNow(),
      blocked: apply(strSlice, StringCtor(apply(spvBlocked, e, NOARGS)), [0, 8192]) as string,
      directive,
      policy: apply(strSlice, StringCtor(apply(spvPolicy, e, NOARGS)), [0, 2048]) as string,
    };
    const disposition: unknown = spvDisposition ? apply(spvDisposition, e, NOARGS) : undefined;
    if (disposition === 'enforce' || disposition === 'report') ev.disposition = disposition;
  } catch {
    return; // not a real SecurityPolicyViolationEvent: not ours to record
  }
  emit(ev);
}
