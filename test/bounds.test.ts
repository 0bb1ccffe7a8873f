// Bounds on what reaches a parser or a link from data: a text block the relay forwards is
// bounded before the hub parses it, and an imported HAR's "Learn more" must be an https: URL
// before the panel makes a link of it.
import { describe, expect, it } from 'vitest';

import { exportHar, importHar, type Har } from '../src/core/har/har.ts';
import { diagnoseAll } from '../src/core/diagnosis/diagnose.ts';
import { PROTOCOL_VERSION, TEXT_BLOCK_MAX_CHARS } from '../src/core/wire/limits.ts';
import { BatchBuilder } from '../src/core/wire/page-batch.ts';
import { addEvent } from './helpers/page-batch.ts';
import { httpsUrl } from '../src/core/wire/https-url.ts';
import { decodeTextBlock } from '../src/core/wire/text-block.ts';
import { fixtureSession } from './fixtures/make-fixtures.ts';

describe('text block bound', () => {
  it('a text longer than TEXT_BLOCK_MAX_CHARS is refused unparsed, every reserved number counted as malformed', () => {
    expect(TEXT_BLOCK_MAX_CHARS).toBe(16 * 1024 * 1024);
    // A valid batch of three events, padded with a key the envelope ignores: only the bound can refuse it.
    const b = new BatchBuilder();
    for (let t = 1; t <= 3; t++) addEvent(b, { k: 'create', sid: t, t, url: 'wss://app.example/', protocols: [] });
    const valid = JSON.stringify(b.batch(PROTOCOL_VERSION, 0));
    expect(decodeTextBlock({ from: 10, count: 3, text: valid }).events).toHaveLength(3);
    const text = `{"pad":"${'x'.repeat(TEXT_BLOCK_MAX_CHARS)}",${valid.slice(1)}`;
    const d = decodeTextBlock({ from: 10, count: 3, text });
    expect(d.events).toEqual([]);
    expect(d.rejected).toEqual([10, 11, 12]);
  });
});

describe('Learn more links', () => {
  it('httpsUrl keeps absolute https: URLs only', () => {
    expect(httpsUrl('https://developer.mozilla.org/')).toBe('https://developer.mozilla.org/');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'http://example.com/', '//example.com/', '/relative', ' ']) expect(httpsUrl(bad), bad).toBeUndefined();
    expect(httpsUrl(undefined)).toBeUndefined();
  });

  it('an imported diagnosis whose learnMore is not an https: URL is not kept, with a warning', () => {
    const a = fixtureSession();
    const har = exportHar({ connections: a.conns, context: a.state.context, diagnoses: diagnoseAll(a.ctx) }, { creatorVersion: '0.1.0', lang: 'en' }) as Har;
    const entry = har.log.entries.find((e) => e._diagnosis)!;
    entry._diagnosis!.learnMore = 'javascript:alert(document.domain)';
    const r = importHar(JSON.stringify(har));
    if (!r.ok) throw new Error(r.error);
    expect(r.warnings.some((w) => /_diagnosis was not kept: .*https/.test(w))).toBe(true);
    expect(JSON.stringify(r.session)).not.toContain('javascript:');
  });
});
