// The Firefox manifest is derived from manifest.json at build time (scripts/manifest-for.ts,
// called by vite.config.ts). These tests call the same function, so they need no build.
import { describe, expect, it } from 'vitest';
import manifest from '../manifest.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };
import { GECKO_ID, manifestFor, type FirefoxManifest, type SourceManifest } from '../scripts/manifest-for.ts';

const firefox = manifestFor(manifest, 'firefox', pkg.version) as FirefoxManifest;
const chrome = manifestFor(manifest, 'chrome', pkg.version) as SourceManifest;

describe('Firefox manifest', () => {
  it('has a fixed gecko id and a floor that has MAIN-world content scripts', () => {
    const gecko = firefox.browser_specific_settings.gecko;
    expect(gecko.id).toBe(GECKO_ID);
    expect(gecko.id).toMatch(/^[\w.-]+@[\w.-]+$/);
    // world: "MAIN" needs Firefox 128; data_collection_permissions needs 140.
    expect(Number.parseFloat(gecko.strict_min_version)).toBeGreaterThanOrEqual(128);
    expect(gecko.strict_min_version).toBe('140.0');
    expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
    expect(firefox.browser_specific_settings.gecko_android.strict_min_version).toBe('142.0');
  });

  it('runs the hub as an event page from background.scripts, not a service worker', () => {
    expect(firefox.background).toEqual({ scripts: ['src/background/hub.ts'], type: 'module' });
    expect('service_worker' in firefox.background).toBe(false);
  });

  it('keeps both content scripts, the hook in the MAIN world, at document_start in every frame', () => {
    const hook = firefox.content_scripts.find((cs) => cs.world === 'MAIN');
    expect(hook?.js).toEqual(['src/page-hook/hook.iife.ts']);
    expect(hook).toMatchObject({ run_at: 'document_start', all_frames: true, match_about_blank: true });
    const relay = firefox.content_scripts.find((cs) => cs.js?.includes('src/content/relay.iife.ts'));
    expect(relay).toMatchObject({ run_at: 'document_start', all_frames: true, match_about_blank: true });
    expect(relay?.world).toBeUndefined();
  });

  it('observes handshakes with webRequest in Firefox only (Chromium empties DevTools\' failure text when it is observed)', () => {
    expect(firefox.permissions).toEqual(['storage', 'webRequest']);
    expect(firefox.host_permissions).toEqual(['<all_urls>']);
    expect(chrome.permissions ?? []).not.toContain('webRequest');
    expect(chrome).not.toHaveProperty('host_permissions');
  });

  it('asks for debugger (deep capture) in Chrome only: Firefox has no debugger API for extensions', () => {
    expect(chrome.permissions).toEqual(['storage', 'debugger']);
    expect(firefox.permissions ?? []).not.toContain('debugger');
  });

  it('drops the Chrome-only keys web-ext lint warns about', () => {
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    for (const cs of firefox.content_scripts) expect(cs).not.toHaveProperty('match_origin_as_fallback');
  });

  it('keeps everything else: version, DevTools page, toolbar action, CSP', () => {
    expect(firefox.version).toBe(pkg.version);
    expect(firefox.devtools_page).toBe(manifest.devtools_page);
    expect(firefox.action).toEqual(manifest.action);
    expect(firefox.content_security_policy).toEqual(manifest.content_security_policy);
  });
});

describe('Chrome manifest', () => {
  it('is manifest.json as written, with the package version and Chrome\'s own permission', () => {
    expect(chrome).toEqual({ ...manifest, version: pkg.version, permissions: [...manifest.permissions, 'debugger'] });
    expect(chrome).not.toHaveProperty('browser_specific_settings');
  });

  it('does not change the source object (both builds read the same import)', () => {
    manifestFor(manifest, 'firefox', pkg.version);
    expect(manifest.background).toEqual({ service_worker: 'src/background/hub.ts', type: 'module' });
    expect(manifest.content_scripts.every((cs) => cs.match_origin_as_fallback)).toBe(true);
  });
});
