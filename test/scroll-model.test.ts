import { describe, expect, it } from 'vitest';

import { isAtBottom, maxTop, revealTop, rowWindow, ScrollModel } from '../src/panel/scroll-model.ts';

const RH = 19;
const H = 190; // ten rows in view

describe('scroll arithmetic', () => {
  it('positions from total × rowHeight', () => {
    expect(maxTop(5, RH, H)).toBe(0);
    expect(maxTop(100, RH, H)).toBe(100 * RH - H);
    expect(isAtBottom(maxTop(100, RH, H), 100, RH, H)).toBe(true);
    expect(isAtBottom(maxTop(100, RH, H) - RH, 100, RH, H)).toBe(true);
    expect(isAtBottom(maxTop(100, RH, H) - 2 * RH, 100, RH, H)).toBe(false);
  });

  it('reveals a row with the smallest move', () => {
    expect(revealTop(500, 10, RH, H)).toBe(10 * RH);
    expect(revealTop(0, 30, RH, H)).toBe(31 * RH - H);
    expect(revealTop(19 * 5, 8, RH, H)).toBe(19 * 5);
  });

  it('renders the rows in view plus the overscan, clamped', () => {
    expect(rowWindow(0, H, 100, RH, 10)).toEqual({ first: 0, last: 20 });
    expect(rowWindow(50 * RH, H, 100, RH, 10)).toEqual({ first: 40, last: 70 });
    expect(rowWindow(maxTop(100, RH, H), H, 100, RH, 10)).toEqual({ first: 80, last: 100 });
    expect(rowWindow(0, H, 0, RH, 10)).toEqual({ first: 0, last: 0 });
  });
});

describe('ScrollModel', () => {
  it('follows the newest row while at the bottom, writing only when the position moves', () => {
    const m = new ScrollModel();
    expect(m.place(5, RH, H, true, undefined)).toBe(0);
    expect(m.toWrite()).toBeUndefined(); // a new element is already at 0
    expect(m.place(100, RH, H, true, undefined)).toBe(maxTop(100, RH, H));
    expect(m.toWrite()).toBe(maxTop(100, RH, H));
    expect(m.toWrite()).toBeUndefined();
    // The echo of that write is not the user's scroll.
    expect(m.scrolled(maxTop(100, RH, H), 100, RH, H)).toBe(false);
    expect(m.place(200, RH, H, true, undefined)).toBe(maxTop(200, RH, H));
  });

  it('stops following when the user scrolls up, resumes when they come back down', () => {
    const m = new ScrollModel();
    m.place(100, RH, H, true, undefined);
    m.toWrite();
    expect(m.scrolled(300, 100, RH, H)).toBe(true);
    expect(m.atBottom).toBe(false);
    expect(m.place(500, RH, H, true, undefined)).toBe(300);
    expect(m.toWrite()).toBeUndefined();
    expect(m.scrolled(maxTop(500, RH, H), 500, RH, H)).toBe(true);
    expect(m.place(600, RH, H, true, undefined)).toBe(maxTop(600, RH, H));
  });

  it('tolerates the browser rounding a written position', () => {
    const m = new ScrollModel();
    m.place(100, RH, H, true, undefined);
    const to = m.toWrite()!;
    expect(m.scrolled(to - 0.5, 100, RH, H)).toBe(false);
  });

  it('reveals scrollTo when it changes, and only then', () => {
    const m = new ScrollModel();
    m.place(1000, RH, H, false, undefined);
    expect(m.place(1000, RH, H, false, 500)).toBe(501 * RH - H);
    expect(m.atBottom).toBe(false);
    m.toWrite();
    // The user scrolls away; the same scrollTo does not pull the view back.
    m.scrolled(0, 1000, RH, H);
    expect(m.place(1000, RH, H, false, 500)).toBe(0);
    expect(m.place(1000, RH, H, false, 999)).toBe(maxTop(1000, RH, H));
    expect(m.atBottom).toBe(true);
    // Cursor cleared (follow on again) at the bottom: following resumes.
    expect(m.place(1200, RH, H, true, -1)).toBe(maxTop(1200, RH, H));
  });

  it('clamps when the list shrinks (a filter)', () => {
    const m = new ScrollModel();
    m.place(1000, RH, H, false, undefined);
    m.scrolled(5000, 1000, RH, H);
    expect(m.place(20, RH, H, false, undefined)).toBe(maxTop(20, RH, H));
  });
});
