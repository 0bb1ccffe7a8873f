// A CDP session to any target (DevTools front-end, extension panel iframe) through the browser
// session, in the non-flattened mode (Target.sendMessageToTarget), which Playwright's
// CDPSession does not offer for targets it does not own. Tried on Chromium 156.
import type { CDPSession } from 'playwright-core';

interface Pending {
  resolve: (v: any) => void;
  reject: (e: Error) => void;
  method: string;
}

export class TargetSession {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private handlers = new Map<string, Array<(params: any) => void>>();
  private listener = (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== this.sessionId) return;
    const msg = JSON.parse(e.message) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) {
      if (msg.method) for (const fn of this.handlers.get(msg.method) ?? []) fn(msg.params);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
  };

  private constructor(private readonly browser: CDPSession, readonly sessionId: string, readonly targetId: string) {
    browser.on('Target.receivedMessageFromTarget', this.listener);
  }

  static async attach(browser: CDPSession, targetId: string): Promise<TargetSession> {
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: false });
    return new TargetSession(browser, sessionId, targetId);
  }

  send<T = any>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
    void this.browser
      .send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
      .catch((e: Error) => {
        this.pending.get(id)?.reject(e);
        this.pending.delete(id);
      });
    return p;
  }

  /** Listens to a CDP event of the target (enable its domain first). */
  on(method: string, fn: (params: any) => void): void {
    const list = this.handlers.get(method) ?? [];
    list.push(fn);
    this.handlers.set(method, list);
  }

  /** Evaluates an expression (may be async) in the target and returns its JSON value. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
    );
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value as T;
  }

  detach(): void {
    this.browser.off('Target.receivedMessageFromTarget', this.listener);
    void this.browser.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
  }
}
