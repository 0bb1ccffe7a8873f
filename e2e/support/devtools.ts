// Drives the real DevTools window of a tab and our panel inside it. DevTools internals
// (InspectorView, panel ids) are touched only here, so a Chromium upgrade breaks one place.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { TargetSession } from './target-session.ts';
import { until } from './wait.ts';

export const PANEL_TITLE = 'Socket Autopsy';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
  attached: boolean;
}

export { until };

/** True once DevTools' tab strip is in its DOM (searched through shadow roots). */
export const UI_BUILT = `(() => { const has = (root) => !!root.querySelector('.tabbed-pane-header-tab') || [...root.querySelectorAll('*')].some((el) => el.shadowRoot && has(el.shadowRoot)); return has(document); })()`;

export class DevTools {
  private panelsBefore = new Set<string>();

  private constructor(
    readonly browser: CDPSession,
    readonly front: TargetSession,
  ) {}

  static async targets(browser: CDPSession): Promise<TargetInfo[]> {
    const { targetInfos } = await browser.send('Target.getTargets');
    return targetInfos as TargetInfo[];
  }

  /** Attaches to the DevTools window already open (--auto-open-devtools-for-tabs) or opens one. */
  static async forPage(context: BrowserContext, page: Page, opts: { open?: boolean } = {}): Promise<DevTools> {
    const browser = await context.browser()!.newBrowserCDPSession();
    const before = new Set((await DevTools.targets(browser)).filter(isDevTools).map((t) => t.targetId));
    if (opts.open) {
      const pageSession = await context.newCDPSession(page);
      const { targetInfo } = await pageSession.send('Target.getTargetInfo');
      await pageSession.detach();
      await browser.send('Target.openDevTools', { targetId: targetInfo.targetId });
    }
    const target = await until('a DevTools window', async () => {
      const all = (await DevTools.targets(browser)).filter(isDevTools);
      return opts.open ? all.find((t) => !before.has(t.targetId)) : all[0];
    });
    const front = await TargetSession.attach(browser, target.targetId);
    // Touching DevTools' singletons (DockController, InspectorView) before its UI is built breaks
    // them for good ("Unable to create settings", seen in Chromium 156: a spec that docked the
    // window first then never saw our panel's tab). Its panels' tab headers in the DOM say the
    // UI is built, and reading the DOM creates nothing.
    await until('the DevTools window to build its UI', () => front.evaluate<boolean>(UI_BUILT).then((b) => b || undefined), 30_000);
    return new DevTools(browser, front);
  }

  /** Shows our panel in DevTools' tab strip, as a user clicking its tab would. */
  async showPanel(title = PANEL_TITLE): Promise<string> {
    // Several DevTools windows may each have our panel: remember which panel pages existed
    // before, so that panel() picks the one this window creates.
    this.panelsBefore = new Set((await DevTools.targets(this.browser)).filter(isPanel).map((t) => t.targetId));
    const suffix = title.replace(/\s+/g, '');
    return until('our panel registered in DevTools', () =>
      this.front.evaluate<string | undefined>(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        const view = UI.InspectorView.InspectorView.instance();
        const id = view.tabbedPane.tabs.map(t => t.id).find(id => id.startsWith('chrome-extension://') && id.endsWith(${JSON.stringify(suffix)}));
        if (!id) return undefined;
        await view.showPanel(id);
        return id;
      })()`),
    );
  }

  /** Shows one of DevTools' own panels ('network', 'console', …). */
  async showBuiltinPanel(id: string): Promise<void> {
    await until(`DevTools panel ${id}`, () =>
      this.front.evaluate<boolean>(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        const view = UI.InspectorView.InspectorView.instance();
        if (!view.tabbedPane.tabs.some(t => t.id === ${JSON.stringify(id)})) return false;
        await view.showPanel(${JSON.stringify(id)});
        return true;
      })()`),
    );
  }

  /** Docks DevTools to a side of the page ('bottom' gives the panel the whole width). */
  async dock(side: 'bottom' | 'right' | 'left' | 'undocked'): Promise<void> {
    await this.front.evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide(${JSON.stringify(side)});
    })()`);
  }

  /**
   * Docks DevTools and sizes it so that our panel's page is `want` CSS px, as a user dragging
   * the splitter or the window's edge would: docked, the splitter is DevTools' own root split
   * (AdvancedApp's rootSplitWidget, the one its `inspector-view.split-view-state` setting
   * remembers) and the other axis is the browser window's; undocked, DevTools' own window
   * (CDP Browser.setWindowBounds). Corrected from what the panel measures, so that the tab
   * strip's and the window frame's heights are not assumed.
   */
  async sizePanel(panel: PanelPage, pageTargetId: string, side: 'right' | 'bottom' | 'undocked', want: { width: number; height: number }): Promise<{ width: number; height: number }> {
    await this.dock(side);
    const measure = () => panel.eval<{ width: number; height: number }>(`({ width: innerWidth, height: innerHeight })`);
    const windowOf = async (targetId: string) => (await this.browser.send('Browser.getWindowForTarget', { targetId })) as { windowId: number; bounds: { width: number; height: number } };
    const front = async () => (await DevTools.targets(this.browser)).find(isDevTools)!.targetId;
    const split = (px: number) =>
      this.front.evaluate(`(async () => {
        const E = await import('./panels/emulation/emulation.js');
        E.AdvancedApp.AdvancedApp.instance().rootSplitWidget.setSidebarSize(${px});
      })()`);
    let sidebar = side === 'right' ? want.width : want.height;
    if (side !== 'undocked') await split(sidebar);
    let got = await measure();
    for (let i = 0; i < 5 && (got.width !== want.width || got.height !== want.height); i++) {
      const dw = want.width - got.width;
      const dh = want.height - got.height;
      const win = await windowOf(side === 'undocked' ? await front() : pageTargetId);
      const bounds = { width: win.bounds.width, height: win.bounds.height };
      if (side === 'right') {
        sidebar += dw;
        bounds.height += dh;
      } else if (side === 'bottom') {
        sidebar += dh;
        bounds.width += dw;
      } else {
        bounds.width += dw;
        bounds.height += dh;
      }
      await this.browser.send('Browser.setWindowBounds', { windowId: win.windowId, bounds: { windowState: 'normal' } });
      await this.browser.send('Browser.setWindowBounds', { windowId: win.windowId, bounds });
      if (side !== 'undocked') await split(sidebar);
      // Settled: the splitter and the window each resize the panel, one after the other.
      let prev = await measure();
      got = await until('the panel size to settle', async () => {
        await new Promise((r) => setTimeout(r, 250));
        const now = await measure();
        const same = now.width === prev.width && now.height === prev.height;
        prev = now;
        return same ? now : undefined;
      }, 5000).catch(() => measure());
    }
    return got;
  }

  /** Attaches to the panel page (its own iframe target once shown). */
  async panel(): Promise<PanelPage> {
    const target = await until('the panel iframe target', async () =>
      (await DevTools.targets(this.browser)).find((t) => isPanel(t) && !this.panelsBefore.has(t.targetId)),
    );
    const session = await TargetSession.attach(this.browser, target.targetId);
    await until('the panel to render', () => session.evaluate<boolean>(`!!document.querySelector('[data-testid="statusbar"]')`));
    return new PanelPage(session);
  }

  /** PNG of the whole DevTools window, as the user sees it. */
  async screenshot(): Promise<Buffer> {
    const { data } = await this.front.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(data, 'base64');
  }

  /** Runs Chrome's own HAR importer (Network panel › Import HAR) on a parsed HAR. */
  async evaluateInFront<T>(expression: string): Promise<T> {
    return this.front.evaluate<T>(expression);
  }
}

function isPanel(t: TargetInfo): boolean {
  return t.type === 'iframe' && /\/src\/panel\/panel\.html/.test(t.url);
}

function isDevTools(t: TargetInfo): boolean {
  return t.type === 'page' && t.url.startsWith('devtools://devtools/');
}

export interface RowInfo {
  id: string;
  url: string;
  code: string;
  outcome: string;
  text: string;
}

/** Reads and drives the panel's DOM by data-testid. */
export class PanelPage {
  constructor(readonly session: TargetSession) {}

  eval<T>(expression: string): Promise<T> {
    return this.session.evaluate<T>(expression);
  }

  rows(): Promise<RowInfo[]> {
    return this.eval<RowInfo[]>(`[...document.querySelectorAll('[data-testid="connection-row"]')].map(r => ({
      id: r.dataset.connId, url: r.dataset.url, code: r.dataset.code, outcome: r.dataset.outcome, text: r.textContent }))`);
  }

  async waitForRows(what: string, pred: (rows: RowInfo[]) => boolean, timeoutMs = 15_000): Promise<RowInfo[]> {
    let last: RowInfo[] = [];
    try {
      return await until(what, async () => {
        const rows = (last = await this.rows());
        return pred(rows) ? rows : undefined;
      }, timeoutMs);
    } catch (e) {
      // What the list held when we gave up: a flaky wait then says what it saw.
      const seen = last.map((r) => `${r.code || '-'} ${r.outcome} ${r.url}`).join('; ');
      throw new Error(`${(e as Error).message}; the list held ${last.length} row(s): ${seen.slice(0, 1500)}`);
    }
  }

  async click(selector: string): Promise<void> {
    const ok = await this.eval<boolean>(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return false; el.click(); return true; })()`);
    if (!ok) throw new Error(`nothing to click at ${selector}`);
  }

  async select(connId: string): Promise<void> {
    await this.click(`[data-testid="connection-row"][data-conn-id="${connId}"]`);
  }

  /** Puts a file from disk into an <input type=file>, as a user picking it would. */
  async setFile(selector: string, path: string): Promise<void> {
    const { root } = await this.session.send<{ root: { nodeId: number } }>('DOM.getDocument', { depth: 0 });
    const { nodeId } = await this.session.send<{ nodeId: number }>('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no element at ${selector}`);
    await this.session.send('DOM.setFileInputFiles', { nodeId, files: [path] });
  }

  text(selector: string): Promise<string | null> {
    return this.eval<string | null>(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`);
  }

  count(selector: string): Promise<number> {
    return this.eval<number>(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
  }
}
