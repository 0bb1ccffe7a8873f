import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { importHar } from '../src/core/har/har.ts';
import { backToLive, dismissError, importFinished, importStarted, importThrew, LIVE, type FileState } from '../src/panel/view/file.ts';

const sessionHar = readFileSync(new URL('./fixtures/session.har', import.meta.url), 'utf8');
const chromeHar = readFileSync(new URL('./fixtures/chrome-devtools.har', import.meta.url), 'utf8');

describe('view file: the open .har file', () => {
  it('starts live, with no error', () => {
    expect(LIVE).toEqual({ file: undefined, error: undefined });
  });

  it('a file read successfully is shown, with its name, source and warnings', () => {
    const s = importFinished(LIVE, 'session.har', importHar(sessionHar), 'en');
    expect(s.error).toBeUndefined();
    expect(s.file?.name).toBe('session.har');
    expect(s.file?.source).toBe('socket-autopsy');
    expect(s.file?.imported.connections.length).toBeGreaterThan(0);

    const c = importFinished(s, 'chrome.har', importHar(chromeHar), 'en');
    expect(c.file?.name).toBe('chrome.har');
    expect(c.file?.source).toBe('chrome');
    expect(c.file?.warnings.length).toBeGreaterThan(0);
  });

  it('a file that cannot be read leaves what is shown and says why, in the panel language', () => {
    const open = importFinished(LIVE, 'session.har', importHar(sessionHar), 'en');
    const bad = importFinished(open, 'broken.har', importHar('{ not json'), 'en');
    expect(bad.file).toBe(open.file);
    expect(bad.error).toMatch(/^Could not open broken\.har: /);
    const ja = importFinished(LIVE, 'broken.har', importHar('[]'), 'ja');
    expect(ja.file).toBeUndefined();
    expect(ja.error).toMatch(/^broken\.har を開けませんでした: /);
  });

  it('reading that throws is said like a refused file', () => {
    const s = importThrew(LIVE, 'big.har', new Error('NotReadableError'), 'en');
    expect(s).toEqual({ file: undefined, error: 'Could not open big.har: NotReadableError' });
    expect(importThrew(LIVE, 'x.har', 'plain', 'en').error).toBe('Could not open x.har: plain');
  });

  it('the next import clears the error; so does dismissing it; the file stays', () => {
    const open = importFinished(LIVE, 'session.har', importHar(sessionHar), 'en');
    const failed: FileState = importThrew(open, 'x.har', new Error('no'), 'en');
    expect(importStarted(failed)).toEqual({ file: open.file, error: undefined });
    expect(dismissError(failed)).toEqual({ file: open.file, error: undefined });
    expect(importStarted(open)).toBe(open);
  });

  it('back to live closes the file and keeps an unrelated error', () => {
    const open = importFinished(LIVE, 'session.har', importHar(sessionHar), 'en');
    expect(backToLive(open)).toEqual(LIVE);
    const failed = importThrew(open, 'x.har', new Error('no'), 'en');
    expect(backToLive(failed)).toEqual({ file: undefined, error: failed.error });
    expect(backToLive(LIVE)).toBe(LIVE);
  });
});
