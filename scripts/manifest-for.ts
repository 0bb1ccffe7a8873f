// The one manifest source (manifest.json) turned into each browser's manifest at build time.
// Pure and build-independent: vite.config.ts feeds its output to crxjs, and
// test/firefox-manifest.test.ts checks the same function without needing dist/.
//
// Only keys differ per browser; the code in src/ is the same for both.

export type Target = 'chrome' | 'firefox';

export interface ContentScript {
  matches: string[];
  js?: string[];
  run_at?: string;
  all_frames?: boolean;
  match_about_blank?: boolean;
  match_origin_as_fallback?: boolean;
  world?: string;
  [key: string]: unknown;
}

interface ManifestCommon {
  manifest_version: number;
  name: string;
  version: string;
  content_scripts: ContentScript[];
  [key: string]: unknown;
}

/** What manifest.json holds (the Chrome shape: crxjs builds from it). */
export interface SourceManifest extends ManifestCommon {
  background: { service_worker: string; type?: string };
  minimum_chrome_version?: string;
}

export interface GeckoSettings {
  id: string;
  strict_min_version: string;
  data_collection_permissions: { required: string[]; optional?: string[] };
}

export interface FirefoxManifest extends ManifestCommon {
  background: { scripts: string[]; type?: string };
  browser_specific_settings: { gecko: GeckoSettings; gecko_android: { strict_min_version: string } };
}

/**
 * The add-on id. Firefox needs an explicit one for MV3 add-ons (storage, AMO updates, and the
 * `extensions.webextensions.uuids` pref that the e2e test uses to fix the moz-extension:// UUID).
 */
export const GECKO_ID = 'socket-autopsy@socket-autopsy.dev';

/**
 * Two floors, the higher wins:
 * - 128: first Firefox with `world: "MAIN"` content scripts (MDN, content_scripts › world), which
 *   the page hook needs to run before the page's scripts;
 * - 140: first Firefox that knows `data_collection_permissions` (below), which AMO and
 *   `web-ext lint` now require of every new add-on (lint warns KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION
 *   with a lower floor). 140 is an ESR, so ESR users are covered.
 */
export const GECKO_MIN_VERSION = '140.0';
/** Firefox for Android learned `data_collection_permissions` in 142 (same linter check). */
export const GECKO_ANDROID_MIN_VERSION = '142.0';

/** Firefox-only permissions, and why: see manifestFor and the README's permissions section. */
export const FIREFOX_PERMISSIONS = ['webRequest'];
export const FIREFOX_HOST_PERMISSIONS = ['<all_urls>'];
/**
 * Chrome-only: `debugger` for deep capture (src/background/deep.ts), which the user turns on per
 * tab. Firefox has no debugger API for extensions, and its linter refuses the permission.
 */
export const CHROME_PERMISSIONS = ['debugger'];

export function manifestFor(source: SourceManifest, target: Target, version: string): SourceManifest | FirefoxManifest {
  // Deep copy: the caller's object (an imported JSON module) must not change between builds.
  const base = structuredClone(source);
  base.version = version;
  if (target === 'chrome') return { ...base, permissions: [...((base.permissions as string[] | undefined) ?? []), ...CHROME_PERMISSIONS] };

  const { background, minimum_chrome_version: _chromeOnly, content_scripts, permissions, ...rest } = base;
  return {
    ...rest,
    // Firefox's webRequest reports every refused upgrade with its status and headers and names the
    // network error, so the hub observes WebSocket handshakes there (src/background/net-observer.ts);
    // it needs host access to the sockets' URLs. Chrome gets neither: in Chromium 156 a webRequest
    // listener for WebSocket requests reports every failure as net::ERR_FAILED and, worse, empties
    // the failure text that DevTools' Network panel and console show (measured, docs/network.md),
    // so there the panel reads DevTools' own log instead. `storage` (both browsers, from
    // manifest.json) keeps the panel's preferences in storage.local (src/panel/prefs-storage.ts)
    // and what the network layer saw in storage.session across the background's unloads
    // (src/background/net-persist.ts).
    permissions: [...((permissions as string[] | undefined) ?? []), ...FIREFOX_PERMISSIONS],
    host_permissions: FIREFOX_HOST_PERMISSIONS,
    // Firefox has no extension service workers (bug 1573659): an MV3 add-on runs its background
    // as an event page from `background.scripts`, which it unloads when idle and wakes on
    // events, like a worker. crxjs (browser: 'firefox') reads scripts[0] as the entry.
    background: { scripts: [background.service_worker], ...(background.type ? { type: background.type } : {}) },
    content_scripts: content_scripts.map(firefoxContentScript),
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: GECKO_MIN_VERSION,
        // AMO requires every new add-on to declare what it collects (Firefox's built-in data
        // consent, see "Firefox built-in consent for data collection" on extensionworkshop).
        // Socket Autopsy sends nothing anywhere: captured traffic stays in the browser.
        data_collection_permissions: { required: ['none'] },
      },
      // Without its own floor, Android inherits 140 and the linter warns (see above).
      gecko_android: { strict_min_version: GECKO_ANDROID_MIN_VERSION },
    },
  };
}

function firefoxContentScript(cs: ContentScript): ContentScript {
  // `match_origin_as_fallback` is Chrome's key for frames whose URL has no origin of its own
  // (about:blank, blob:, data:). Firefox does not know it (addons-linter warns about an
  // unsupported property); Firefox already runs `match_about_blank` scripts in about:blank
  // and about:srcdoc frames, which is the case the lab's blank-iframe scenario covers.
  const { match_origin_as_fallback: _chromeOnly, ...rest } = cs;
  return rest;
}
