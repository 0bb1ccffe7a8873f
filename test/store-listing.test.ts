// The store texts (docs/store/listing.*.md) against the stores' limits and the manifests: a later
// edit that makes a text too long, lets the short description drift from the manifest's, or adds
// a permission without a justification fails here, before a store's form refuses it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '../manifest.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };
import { manifestFor, type FirefoxManifest, type SourceManifest } from '../scripts/manifest-for.ts';

const root = resolve(import.meta.dirname, '..');

/**
 * The stores count characters, not bytes or UTF-16 units.
 * - Chrome Web Store: the manifest's `name` at most 75 characters, `description` (shown as the
 *   listing's summary) at most 132 (developer.chrome.com, Manifest file format › name,
 *   description); the detailed description at most 16,000.
 * - addons.mozilla.org: name at most 50 characters, summary at most 250 (AMO's submission form
 *   and addons-server's limits); no stated limit on the description, so Chrome's is used.
 */
const LIMITS = { Name: 50, 'Short description': 132, Summary: 250, Description: 16_000 } as const;
const REQUIRED = ['Name', 'Short description', 'Summary', 'Description', 'Category', 'Single purpose', 'Permission justifications', 'Remote code', 'Privacy practices', 'Privacy policy'];

const chars = (s: string) => [...s].length;

/** `## Heading` → its text, and `### Heading` inside "Permission justifications" → its text. */
export function parseListing(md: string): { sections: Map<string, string>; permissions: Map<string, string> } {
  const sections = new Map<string, string>();
  const permissions = new Map<string, string>();
  let h2: string | undefined;
  let h3: string | undefined;
  const lines: Record<string, string[]> = {};
  for (const line of md.split('\n')) {
    const m2 = /^## (.+?)\s*$/.exec(line);
    const m3 = /^### (.+?)\s*$/.exec(line);
    if (m2) {
      h2 = m2[1]!;
      h3 = undefined;
      if (sections.has(h2)) throw new Error(`section "${h2}" twice`);
      sections.set(h2, '');
      lines[`2:${h2}`] = [];
    } else if (m3 && h2 === 'Permission justifications') {
      h3 = m3[1]!;
      lines[`3:${h3}`] = [];
    } else if (h3) lines[`3:${h3}`]!.push(line);
    else if (h2) lines[`2:${h2}`]!.push(line);
  }
  for (const [key, ls] of Object.entries(lines)) {
    const text = ls.join('\n').trim();
    if (key.startsWith('2:')) sections.set(key.slice(2), text);
    else permissions.set(key.slice(2), text);
  }
  return { sections, permissions };
}

const chrome = manifestFor(manifest, 'chrome', pkg.version) as SourceManifest;
const firefox = manifestFor(manifest, 'firefox', pkg.version) as FirefoxManifest;

/** Every permission either build asks for, as the justification headings name them (in backticks). */
function askedFor(): string[] {
  const out = new Set<string>();
  for (const m of [chrome, firefox] as Array<Record<string, unknown>>) {
    for (const p of (m.permissions as string[] | undefined) ?? []) out.add(p);
    for (const p of (m.host_permissions as string[] | undefined) ?? []) out.add(p);
    for (const cs of m.content_scripts as Array<{ matches: string[] }>) for (const p of cs.matches) out.add(p);
    if (m.devtools_page) out.add('devtools_page');
  }
  return [...out];
}

for (const lang of ['en', 'ja'] as const) {
  describe(`store listing (${lang})`, () => {
    const { sections, permissions } = parseListing(readFileSync(resolve(root, `docs/store/listing.${lang}.md`), 'utf8'));

    it('has every field the stores ask for, none empty', () => {
      for (const name of REQUIRED) {
        expect(sections.has(name), name).toBe(true);
        if (name !== 'Permission justifications') expect(sections.get(name)!.length, name).toBeGreaterThan(0);
      }
    });

    it('keeps each text within its store limit', () => {
      for (const [name, max] of Object.entries(LIMITS)) {
        const text = sections.get(name) ?? '';
        expect(chars(text), `${name}: ${chars(text)} characters, at most ${max}`).toBeLessThanOrEqual(max);
      }
      // One line each: these fields are single-line inputs.
      for (const name of ['Name', 'Short description', 'Summary']) expect(sections.get(name), name).not.toMatch(/\n/);
    });

    it('uses the manifest\'s name and description (Chrome shows the manifest\'s as the listing\'s)', () => {
      const messages = JSON.parse(readFileSync(resolve(root, `public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, { message: string }>;
      expect(sections.get('Name')).toBe(messages.extName!.message);
      expect(sections.get('Short description')).toBe(messages.extDescription!.message);
      expect(chars(messages.extName!.message)).toBeLessThanOrEqual(75);
    });

    it('justifies every permission of both builds, and only those', () => {
      const asked = askedFor();
      expect(asked.length).toBeGreaterThan(0);
      const named = (heading: string) => [...heading.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      for (const p of asked) {
        const heading = [...permissions.keys()].find((h) => named(h).includes(p));
        expect(heading, `a justification for ${p}`).toBeDefined();
        expect(permissions.get(heading!)!.length, p).toBeGreaterThan(40);
      }
      for (const heading of permissions.keys()) {
        expect(named(heading).some((p) => asked.includes(p)), `${heading} names a permission the builds ask for`).toBe(true);
      }
    });

    it('declares that nothing is collected, as the Firefox manifest does', () => {
      expect(firefox.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ['none'] });
      expect(sections.get('Privacy practices')).toContain('data_collection_permissions: { required: ["none"] }');
    });
  });
}

it('both languages have the same fields and permission headings', () => {
  const en = parseListing(readFileSync(resolve(root, 'docs/store/listing.en.md'), 'utf8'));
  const ja = parseListing(readFileSync(resolve(root, 'docs/store/listing.ja.md'), 'utf8'));
  expect([...ja.sections.keys()]).toEqual([...en.sections.keys()]);
  const names = (p: Map<string, string>) => [...p.keys()].map((h) => [...h.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(' '));
  expect(names(ja.permissions)).toEqual(names(en.permissions));
});

it('parseListing catches an over-long summary (the check can fail)', () => {
  const { sections } = parseListing(`## Summary\n\n${'x'.repeat(251)}\n`);
  expect(chars(sections.get('Summary')!)).toBeGreaterThan(LIMITS.Summary);
});
