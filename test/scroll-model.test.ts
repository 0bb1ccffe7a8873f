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
  /** One render of `total` rows and its layout effect, with the element at `elementTop`. */
  const render = (m: ScrollModel, total: number, elementTop: number, follow = true, scrollTo?: number) => {
    const top = m.place(total, RH, H, follow, scrollTo);
    return { top, sync: m.sync(elementTop, H, total, RH) };
  };

  it('follows the newest row while at the bottom, writing only when the position moves', () => {
    const m = new ScrollModel();
    expect(render(m, 5, 0)).toEqual({ top: 0, sync: undefined }); // a new element is already at 0
    expect(render(m, 100, 0)).toEqual({ top: maxTop(100, RH, H), sync: maxTop(100, RH, H) });
    expect(render(m, 100, maxTop(100, RH, H))).toEqual({ top: maxTop(100, RH, H), sync: undefined });
    // The echo of that write is not the user's scroll.
    expect(m.isEcho(maxTop(100, RH, H), 100, RH, H)).toBe(true);
    expect(render(m, 200, maxTop(100, RH, H)).sync).toBe(maxTop(200, RH, H));
  });

  it('stops following when the user scrolls up, resumes when they come back down', () => {
    const m = new ScrollModel();
    render(m, 100, 0);
    // The scroll event comes before the next render.
    expect(m.isEcho(300, 100, RH, H)).toBe(false);
    m.userScrolled(300, H, RH);
    expect(m.atBottom).toBe(false);
    expect(render(m, 500, 300)).toEqual({ top: 300, sync: undefined });
    m.userScrolled(maxTop(500, RH, H), H, RH);
    expect(m.atBottom).toBe(true);
    expect(render(m, 600, maxTop(500, RH, H)).sync).toBe(maxTop(600, RH, H));
  });

  it('sees a user scroll that a render overtook, judged against the rows they saw', () => {
    const m = new ScrollModel();
    render(m, 100, 0);
    // Scrolled up to 300, then 400 rows arrive before the scroll event: the user wins.
    expect(render(m, 500, 300)).toEqual({ top: maxTop(500, RH, H), sync: 'user' });
    expect(m.atBottom).toBe(false);
    expect(render(m, 500, 300)).toEqual({ top: 300, sync: undefined });
    // Scrolled to the bottom of those 500 rows, then 400 more arrive first: still the bottom.
    expect(render(m, 900, maxTop(500, RH, H)).sync).toBe('user');
    expect(m.atBottom).toBe(true);
    expect(render(m, 900, maxTop(500, RH, H))).toEqual({ top: maxTop(900, RH, H), sync: maxTop(900, RH, H) });
  });

  it('tolerates the browser rounding a written position', () => {
    const m = new ScrollModel();
    const { sync } = render(m, 100, 0);
    expect(m.isEcho((sync as number) - 0.5, 100, RH, H)).toBe(true);
    expect(m.isEcho((sync as number) - 19, 100, RH, H)).toBe(false);
  });

  it('reveals scrollTo when it changes, and only then', () => {
    const m = new ScrollModel();
    render(m, 1000, 0, false);
    expect(render(m, 1000, 0, false, 500)).toEqual({ top: 501 * RH - H, sync: 501 * RH - H });
    expect(m.atBottom).toBe(false);
    // The user scrolls away; the same scrollTo does not pull the view back.
    m.userScrolled(0, H, RH);
    expect(render(m, 1000, 0, false, 500).top).toBe(0);
    expect(render(m, 1000, 0, false, 999).top).toBe(maxTop(1000, RH, H));
    expect(m.atBottom).toBe(true);
    // Cursor cleared (follow on again) at the bottom: following resumes.
    expect(render(m, 1200, maxTop(1000, RH, H), true, -1).top).toBe(maxTop(1200, RH, H));
  });

  it('keeps following when the browser clamps the position of a list that got shorter (evictions)', () => {
    const m = new ScrollModel();
    render(m, 0, 0);
    expect(render(m, 11_000, 0).sync).toBe(maxTop(11_000, RH, H));
    // 1,000 oldest evicted: the browser clamps the element to the new end before we look.
    expect(render(m, 10_000, maxTop(10_000, RH, H))).toEqual({ top: maxTop(10_000, RH, H), sync: maxTop(10_000, RH, H) });
    expect(m.atBottom).toBe(true);
    expect(render(m, 10_500, maxTop(10_000, RH, H)).sync).toBe(maxTop(10_500, RH, H));
  });

  it('clamps when the list shrinks (a filter)', () => {
    const m = new ScrollModel();
    render(m, 1000, 0, false);
    m.userScrolled(5000, H, RH);
    expect(m.place(20, RH, H, false, undefined)).toBe(maxTop(20, RH, H));
  });
});
