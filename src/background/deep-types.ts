// The types deep capture's modules share (deep.ts, deep-shared.ts): the part of chrome.debugger
// used, and where findings go. Apart so that the modules import them without a cycle.
import type { CdpPatch } from '../core/network/net-cdp.ts';
import type { DeepError, DeepState, SharedRefusal } from '../core/wire/protocol.ts';

export interface Debuggee {
  tabId?: number;
  sessionId?: string;
  /** A target attached by id (a Shared Worker, deep-shared.ts). */
  targetId?: string;
}

/** chrome.debugger.TargetInfo, the part used. */
export interface TargetInfo {
  type: string;
  id: string;
  tabId?: number;
  url: string;
}

/** The part of chrome.debugger this uses. */
export interface DebuggerApi {
  attach(target: Debuggee, version: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: object): Promise<unknown>;
  getTargets(): Promise<TargetInfo[]>;
  onEvent: { addListener(fn: (source: Debuggee, method: string, params?: object) => void): void };
  onDetach: { addListener(fn: (source: Debuggee, reason: string) => void): void };
}

export interface DeepReport {
  state: DeepState;
  error?: DeepError;
  workers?: number;
  /** While on: a Shared Worker of the tab's origin Chrome would not attach (deep-shared.ts). */
  sharedRefused?: SharedRefusal;
}

/** Where deep capture's findings go (hub.ts): the same paths as a relay's and webRequest's. */
export interface DeepSink {
  state(tabId: number, report: DeepReport): void;
  /** A worker's hook is about to speak: a document of the tab for it (top: false). */
  workerDoc(tabId: number, doc: string, url: string): void;
  /** One batch of the worker hook's, its JSON text as the hook made it: unchecked. */
  workerBatch(tabId: number, doc: string, text: string): void;
  workerGone(tabId: number, doc: string): void;
  net(tabId: number, patch: CdpPatch): void;
}
