// One test's capture: the hook and the relay injected into every page and frame of the test's
// browser context, their batches collected in Node, and at the end the attachments and the
// failOn verdict. Playwright's own types only, so that this file stays testable with stand-ins
// for the context and the TestInfo (test/playwright-capture.test.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page, TestInfo } from '@playwright/test';

import { parseFailOn, type FailOn } from '../cli/fail-on.ts';
import type { Lang } from '../core/knowledge/i18n/text.ts';
import type { SessionLimits } from '../core/session/session.ts';
import { Collector, type Analysis } from './collector.ts';
import { hookSource } from './hook-source.ts';
import { pageRelay } from './page-relay.ts';
import { failOnMessage, matching, sessionMarkdown } from './report.ts';

export interface SocketAutopsyOptions {
  /**
   * Fail a test that otherwise passed when a connection matches: the CLI's --fail-on groups
   * (`abnormal`, `server-error`, `any`) or diagnosis categories, as an array or comma-separated.
   * Default: none (the fixture only reports).
   */
  failOn?: string | readonly string[];
  /** When to attach sockets.har and sockets.md: only to a failed test (default), or always. */
  attach?: 'on-failure' | 'always';
  /** Replace secrets by [redacted] in the HAR and the Markdown (default true). */
  redact?: boolean;
  /** The session's bounds (messages kept, bytes…); default the extension's own. */
  limits?: Partial<SessionLimits>;
  /** Bytes kept per message payload in the HAR (default: what was captured, up to 16 KiB). */
  payloadCap?: number;
  /** Language of sockets.md and of the failOn message (default en). */
  lang?: Lang;
  /** false: no capture at all for these tests. */
  enabled?: boolean;
}

export interface Resolved {
  failOn: FailOn | undefined;
  attach: 'on-failure' | 'always';
  redact: boolean;
  limits: Partial<SessionLimits>;
  payloadCap: number | undefined;
  lang: Lang;
  enabled: boolean;
}

/** Checks the options once, with a message that names the option; throws on a wrong one. */
export function resolveOptions(o: SocketAutopsyOptions = {}): Resolved {
  const list = o.failOn === undefined ? [] : typeof o.failOn === 'string' ? [o.failOn] : [...o.failOn];
  const parsed = parseFailOn(list);
  if (!parsed.ok) throw new Error(`socket-autopsy: failOn: ${parsed.error.replace(/--fail-on /g, '')}`);
  if (o.attach !== undefined && o.attach !== 'on-failure' && o.attach !== 'always') {
    throw new Error(`socket-autopsy: attach must be 'on-failure' or 'always', not ${JSON.stringify(o.attach)}`);
  }
  if (o.lang !== undefined && o.lang !== 'en' && o.lang !== 'ja') throw new Error(`socket-autopsy: lang must be 'en' or 'ja', not ${JSON.stringify(o.lang)}`);
  return {
    failOn: parsed.value.spec.length ? parsed.value : undefined,
    attach: o.attach ?? 'on-failure',
    redact: o.redact ?? true,
    limits: o.limits ?? {},
    payloadCap: o.payloadCap,
    lang: o.lang ?? 'en',
    enabled: o.enabled ?? true,
  };
}

function packageVersion(): string {
  // lib/playwright/ and src/playwright/ both sit two levels below the package root.
  try {
    const v = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** How long the end of a test waits for each page's last batch: the hook flushes every 10 ms (page-hook/emit.ts). */
const SETTLE_MS = 25;
/** …and at most this long for a page that does not answer (a dialog open, a busy loop). */
const SETTLE_TIMEOUT_MS = 1_000;

const captures = new WeakMap<BrowserContext, Capture>();

/** The capture of `page`'s context, if the fixture runs there. */
export const captureOf = (page: Page): Capture | undefined => captures.get(page.context());

/**
 * The test's own page.close(), goto(), reload(), goBack() and goForward() first let the page
 * hand over what its hook holds. Without this a socket closed just before them lost its close:
 * the hook sends its last batch on pagehide (page-hook/page-events.ts), but seen in Playwright
 * 1.65 with Chromium, a binding call made while a document unloads is dropped when its document
 * is gone by the time Playwright handles the call. A navigation the page starts itself (a link
 * clicked) within the hook's 10 ms can still lose that batch (README says so).
 */
const UNLOADING = ['close', 'goto', 'reload', 'goBack', 'goForward'] as const;
function holdUnloads(capture: Capture, page: Page): void {
  const p = page as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const name of UNLOADING) {
    const original = p[name];
    if (typeof original !== 'function') continue;
    p[name] = async function (this: unknown, ...args: unknown[]) {
      await capture.settle([page]);
      return original.apply(page, args);
    };
  }
}

export class Capture {
  readonly collector: Collector<Page>;
  /** Why capture could not start, if it could not (the test still runs). */
  failed: string | undefined;

  private constructor(
    readonly context: BrowserContext,
    readonly opts: Resolved,
  ) {
    this.collector = new Collector<Page>(opts.limits);
  }

  /** Injects the hook and the relay into every page and frame `context` opens from now on. */
  static async install(context: BrowserContext, opts: Resolved): Promise<Capture> {
    const capture = new Capture(context, opts);
    captures.set(context, capture);
    try {
      const { source, channel } = hookSource();
      const binding = `__socketAutopsy_${randomBytes(6).toString('hex')}`;
      // Before the init scripts: a binding is installed in every frame ahead of them.
      await context.exposeBinding(binding, (src, doc: unknown, text: unknown) => {
        // Synchronous on purpose: nothing is awaited, so a batch is in the session as soon as
        // Playwright delivers it, even if its page is closing (the page gets no answer then).
        try {
          capture.collector.add(doc, text, src.page);
        } catch {
          capture.collector.drops.malformed++;
        }
      });
      // The relay first: it listens before the hook says hello, so the hook's first batch
      // (its `hello`, before any page script) goes out at once.
      await context.addInitScript(pageRelay, { channel, binding });
      await context.addInitScript({ content: source });
      for (const page of context.pages()) holdUnloads(capture, page);
      context.on('page', (page) => holdUnloads(capture, page));
    } catch (e) {
      capture.failed = messageOf(e);
    }
    return capture;
  }

  /** Lets each open page's hook hand over what it holds (never throws, never waits long). */
  async settle(pages: readonly Page[] = this.context.pages()): Promise<void> {
    await Promise.all(
      pages.map(async (p) => {
        if (p.isClosed()) return;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const wait = p.evaluate((ms) => new Promise<void>((r) => setTimeout(r, ms)), SETTLE_MS).catch(() => undefined);
        const limit = new Promise<void>((r) => (timer = setTimeout(r, SETTLE_TIMEOUT_MS)));
        await Promise.race([wait, limit]);
        clearTimeout(timer);
      }),
    );
  }

  analyse(page?: Page): Analysis {
    return this.collector.analyse(Date.now(), page ? this.collector.docsOf(page) : undefined);
  }

  /** The end of the test: attachments, and the failOn verdict. */
  async finish(info: FinishInfo): Promise<void> {
    captures.delete(this.context);
    await this.settle();
    await conclude(this.collector, this.opts, info, this.failed, packageVersion());
  }
}

/** What of Playwright's TestInfo the end of a test needs. */
export type FinishInfo = Pick<TestInfo, 'status' | 'expectedStatus' | 'title' | 'attach' | 'annotations' | 'outputPath'>;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Attaches sockets.har and sockets.md (to a failed test, or always), then throws the failOn
 * explanation for a test that otherwise passed. A problem writing the attachments (a full disk,
 * an unwritable output folder) is noted on the test and printed, never thrown: it must not fail
 * a test that passed.
 */
export async function conclude(collector: Collector<unknown>, opts: Resolved, info: FinishInfo, failed: string | undefined, version: string): Promise<void> {
  const note = (description: string): void => {
    info.annotations.push({ type: 'socket-autopsy', description });
    console.warn(`socket-autopsy: ${info.title}: ${description}`);
  };
  if (failed !== undefined) note(`no capture: ${failed}`);
  const passed = info.status === info.expectedStatus;
  let a: Analysis;
  try {
    a = collector.analyse(Date.now());
  } catch (e) {
    return note(`analysis failed: ${messageOf(e)}`);
  }
  const hits = opts.failOn ? matching(a, opts.failOn) : [];
  const failing = !passed || hits.length > 0;
  if (opts.attach === 'always' || failing) {
    const attach = async (name: string, contentType: string, body: () => string): Promise<void> => {
      let text: string;
      try {
        text = body();
      } catch (e) {
        return note(`could not make ${name}: ${messageOf(e)}`);
      }
      // A file in the test's output folder, attached by path: a HAR can be large, and an inline
      // body would travel whole to every reporter (the JSON report would embed it in base64).
      let path: string | undefined;
      try {
        path = info.outputPath(name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      } catch (e) {
        note(`could not write ${name}${path ? ` to ${path}` : ''} (${messageOf(e)}); attached inline instead`);
        path = undefined;
      }
      try {
        await info.attach(name, path !== undefined ? { path, contentType } : { body: text, contentType });
      } catch (e) {
        note(`could not attach ${name}: ${messageOf(e)}`);
      }
    };
    await attach('sockets.har', 'application/json', () => JSON.stringify(collector.har(a, { redact: opts.redact, lang: opts.lang, version, ...(opts.payloadCap !== undefined ? { payloadCap: opts.payloadCap } : {}) }), null, 1));
    await attach('sockets.md', 'text/markdown', () => sessionMarkdown(a, { title: info.title, lang: opts.lang, redact: opts.redact, failOn: opts.failOn, drops: collector.drops }));
  }
  // A test that already failed keeps its own error; sockets.md explains the sockets beside it.
  if (passed && hits.length && opts.failOn) throw new SocketAutopsyError(failOnMessage(hits, a, opts.failOn, opts.lang, opts.redact));
}

export class SocketAutopsyError extends Error {
  override name = 'SocketAutopsyError';
}
