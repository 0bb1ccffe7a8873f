// A scripted chrome.debugger for deep capture's engine (src/background/deep.ts, deep-shared.ts),
// shaped as @types/chrome and https://developer.chrome.com/docs/extensions/reference/api/debugger
// describe it: a Debuggee (DebuggerSession) is {tabId} or {targetId}, plus a sessionId for a
// child session of flat mode; TargetInfo has type, id, tabId (pages only), attached, title, url;
// onDetach's reason is 'canceled_by_user' or 'target_closed'.
//
// Chrome's texts used by the tests, as Chromium's extensions/browser/api/debugger gives them
// (kAlreadyAttachedError "Another debugger is already attached to the * with id: *.", where * is
// "tab" or "target"; kNotAttachedError; the chrome:// refusal) and as CDP answers a command for a
// session that went away.
import type { Debuggee, DebuggerApi, TargetInfo } from '../../src/background/deep-types.ts';

export const CHROME = {
  otherDebuggerTab: (tabId: number) => `Another debugger is already attached to the tab with id: ${tabId}.`,
  otherDebuggerTarget: (targetId: string) => `Another debugger is already attached to the target with id: ${targetId}.`,
  notAttachedTab: (tabId: number) => `Debugger is not attached to the tab with id: ${tabId}.`,
  chromeUrl: 'Cannot access a chrome:// URL',
  noTab: (tabId: number) => `No tab with given id ${tabId}.`,
  noSession: 'No session with given id',
  targetClosed: 'Target closed',
} as const;

export interface Call {
  kind: 'attach' | 'detach' | 'send';
  target: Debuggee;
  method?: string;
  params?: Record<string, unknown>;
}

/** What a command answers: a value, or a thrown Error (Chrome rejects the promise with its text). */
export type Reply = (target: Debuggee, method: string, params: Record<string, unknown>) => unknown;

type FullTarget = TargetInfo & { attached: boolean; title: string };

const key = (t: Debuggee): string => (t.tabId !== undefined ? `tab:${t.tabId}` : `target:${t.targetId}`);

export class FakeDebugger implements DebuggerApi {
  readonly calls: Call[] = [];
  /** Root debuggees our extension holds now ("tab:7", "target:SW1"). */
  readonly held = new Set<string>();
  /** Attach refusals by debuggee key: Chrome's text. */
  readonly refuse = new Map<string, string>();
  targets: FullTarget[] = [];
  /** Per command; the default answers as a live worker would (below). */
  reply: Reply = (_t, method, params) => defaultReply(method, params);
  /**
   * Child sessions held at their start that answer nothing until released (a service worker,
   * docs/deep-capture.md): their commands wait and are answered, in order, at the release.
   */
  readonly heldSessions = new Set<string>();
  private queued = new Map<string, (() => void)[]>();
  private eventFns: ((source: Debuggee, method: string, params?: object) => void)[] = [];
  private detachFns: ((source: Debuggee, reason: string) => void)[] = [];

  onEvent = { addListener: (fn: (source: Debuggee, method: string, params?: object) => void) => void this.eventFns.push(fn) };
  onDetach = { addListener: (fn: (source: Debuggee, reason: string) => void) => void this.detachFns.push(fn) };

  async attach(target: Debuggee, _version: string): Promise<void> {
    this.calls.push({ kind: 'attach', target });
    await Promise.resolve();
    const refused = this.refuse.get(key(target));
    if (refused) throw new Error(refused);
    if (this.held.has(key(target))) throw new Error(target.tabId !== undefined ? CHROME.otherDebuggerTab(target.tabId) : CHROME.otherDebuggerTarget(target.targetId ?? ''));
    this.held.add(key(target));
  }

  async detach(target: Debuggee): Promise<void> {
    this.calls.push({ kind: 'detach', target });
    await Promise.resolve();
    if (!this.held.delete(key(target))) throw new Error(target.tabId !== undefined ? CHROME.notAttachedTab(target.tabId) : `Debugger is not attached to the target with id: ${target.targetId}.`);
  }

  sendCommand(target: Debuggee, method: string, params: object = {}): Promise<unknown> {
    const p = params as Record<string, unknown>;
    this.calls.push({ kind: 'send', target, method, params: p });
    if (!this.held.has(key(target))) return Promise.reject(new Error(target.tabId !== undefined ? CHROME.notAttachedTab(target.tabId) : 'Debugger is not attached'));
    const answer = () => Promise.resolve().then(() => this.reply(target, method, p));
    const session = target.sessionId;
    if (session && this.heldSessions.has(session)) {
      if (method === 'Runtime.runIfWaitingForDebugger') {
        this.heldSessions.delete(session);
        const waiting = this.queued.get(session) ?? [];
        this.queued.delete(session);
        for (const go of waiting) go();
        return answer();
      }
      return new Promise((resolve, reject) => {
        const list = this.queued.get(session) ?? [];
        list.push(() => answer().then(resolve, reject));
        this.queued.set(session, list);
      });
    }
    return answer();
  }

  async getTargets(): Promise<TargetInfo[]> {
    return this.targets.map((t) => ({ ...t, attached: t.attached || this.held.has(`target:${t.id}`) }));
  }

  /** Chrome fires onEvent. */
  event(source: Debuggee, method: string, params?: object): void {
    for (const fn of this.eventFns) fn(source, method, params);
  }

  /** Chrome fires onDetach (and no longer holds the debuggee). */
  detached(source: Debuggee, reason: 'canceled_by_user' | 'target_closed'): void {
    this.held.delete(key(source));
    for (const fn of this.detachFns) fn(source, reason);
  }

  /** A child target auto-attached under a tab (flat mode): Target.attachedToTarget on the tab's session. */
  childAttached(tabId: number, sessionId: string, type: string, url: string, waiting = true, targetId = `T-${sessionId}`): void {
    if (waiting && type === 'service_worker') this.heldSessions.add(sessionId);
    this.event({ tabId }, 'Target.attachedToTarget', { sessionId, targetInfo: { targetId, type, title: url, url, attached: true, canAccessOpener: false }, waitingForDebugger: waiting });
  }

  childDetached(tabId: number, sessionId: string, targetId = `T-${sessionId}`): void {
    this.event({ tabId }, 'Target.detachedFromTarget', { sessionId, targetId });
  }

  sends(filter?: (c: Call) => boolean): Call[] {
    return this.calls.filter((c) => c.kind === 'send' && (!filter || filter(c)));
  }

  /** Short form of every call to `target`'s session, in order: "Runtime.evaluate:hook", "Network.enable"… */
  script(match: (t: Debuggee) => boolean): string[] {
    return this.calls
      .filter((c) => match(c.target))
      .map((c) => (c.kind !== 'send' ? c.kind : c.method === 'Runtime.evaluate' ? `Runtime.evaluate:${evalKind(c.params ?? {})}` : (c.method ?? '')));
  }
}

/** Which of the engine's evaluations this is: the hook (the tests' stand-in source), a poll, the kind check. */
export function evalKind(p: Record<string, unknown>): 'hook' | 'poll' | 'kind' | 'other' {
  const e = String(p.expression ?? '');
  if (e.startsWith('/*hook*/')) return 'hook';
  if (e.includes('SharedWorkerGlobalScope')) return 'kind';
  if (p.returnByValue === true) return 'poll';
  return 'other';
}

function defaultReply(method: string, params: Record<string, unknown>): unknown {
  if (method !== 'Runtime.evaluate') return {};
  const kind = evalKind(params);
  if (kind === 'kind') return { result: { type: 'boolean', value: true } };
  if (kind === 'poll') return { result: { type: 'object', value: [] } };
  return { result: { type: 'undefined' } };
}
