// Chrome's refusals of chrome.debugger.attach as deep capture's error codes, for a tab (deep.ts)
// and for a Shared Worker attached by target id (deep-shared.ts).
import type { DeepError } from '../core/wire/protocol.ts';

/**
 * Chrome's error texts for a refused attach (extensions/browser/api/debugger, measured on Chromium
 * 156): "Another debugger is already attached to the tab with id: N." ("…the target with id: …"
 * for a target), "No tab with given id N.", "Cannot access a chrome:// URL" and the like.
 */
export function attachError(message: string): DeepError {
  if (/another debugger is already attached/i.test(message)) return 'other-debugger';
  if (/no tab with given id|no target with given id|target closed|cannot find/i.test(message)) return 'target-gone';
  return 'not-allowed';
}
