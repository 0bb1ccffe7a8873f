// Waking the relays of a watched tab. Relays open no port of their own accord (relay.iife.ts: a
// port connecting wakes a stopped service worker, "The extension service worker lifecycle",
// https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle), so
// the hub tells them with tabs.sendMessage, which reaches our content scripts in every frame of
// the tab and needs no permission. Sent when a panel subscribes, and again every WAKE_EVERY_MS
// while any panel watches: a document that loads later (a navigation, a new iframe) has no port
// and no other way to learn it is watched. A relay that is connected already ignores it. No
// panel watching, no message: the worker is left to sleep.
import { PROTOCOL_VERSION, type HubWake } from '../core/wire/protocol.ts';

export const WAKE_EVERY_MS = 500;

/**
 * Sends the wake to every frame of `tabId`. Resolves true when some relay answered, false when
 * the tab has none (a page content scripts cannot run in, or one still loading).
 */
export function wakeTab(tabId: number): Promise<boolean> {
  const msg: HubWake = { type: 'hub-watch', v: PROTOCOL_VERSION, on: true };
  return new Promise((resolve) => {
    try {
      chrome.tabs.sendMessage(tabId, msg, (answer: unknown) => {
        // Read, so that "Receiving end does not exist" is not logged as unchecked.
        const failed = chrome.runtime.lastError !== undefined && chrome.runtime.lastError !== null;
        resolve(!failed && answer === true);
      });
    } catch {
      resolve(false);
    }
  });
}

/** Wakes the tabs `watched()` names every WAKE_EVERY_MS, while there are any. */
export class WakeLoop {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly watched: () => number[]) {}

  /** Call whenever the set of watched tabs may have changed. */
  update(): void {
    const any = this.watched().length > 0;
    if (any && this.timer === undefined) {
      this.timer = setInterval(() => {
        const tabs = this.watched();
        if (tabs.length === 0) return this.stop();
        for (const tabId of tabs) void wakeTab(tabId);
      }, WAKE_EVERY_MS);
    } else if (!any) this.stop();
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
