// The arithmetic behind VirtualRows: where the list is scrolled, which rows to render, whether it
// follows the newest row. Rows have one fixed height, so every position follows from
// `total × rowHeight` and the viewport height; nothing here reads the DOM. Reading the element's
// `scrollHeight` after each render forced a full layout of the list in the render task, and
// re-rendering on the scroll events that our own writes caused doubled the rendering frames
// under a flood (trace at 20,000 msg/s, bench/panel-profile.ts: 373 scroll-driven renders and
// 773 layouts in ~12 s).

/** Highest scroll position: the last row at the bottom of the viewport. */
export function maxTop(total: number, rowHeight: number, height: number): number {
  return Math.max(0, total * rowHeight - height);
}

/** Within a row of the end: what the list used to test on `scrollHeight`, from arithmetic. */
export function isAtBottom(top: number, total: number, rowHeight: number, height: number): boolean {
  return top + height >= total * rowHeight - rowHeight;
}

/** The smallest move from `top` that shows row `index` whole. */
export function revealTop(top: number, index: number, rowHeight: number, height: number): number {
  const rowTop = index * rowHeight;
  if (rowTop < top) return rowTop;
  if (rowTop + rowHeight > top + height) return rowTop + rowHeight - height;
  return top;
}

/** Rows [first, last) to put in the DOM: those in view plus `overscan` either side. */
export function rowWindow(top: number, height: number, total: number, rowHeight: number, overscan: number): { first: number; last: number } {
  const first = Math.max(0, Math.min(total, Math.floor(top / rowHeight) - overscan));
  const last = Math.max(first, Math.min(total, Math.ceil((top + height) / rowHeight) + overscan));
  return { first, last };
}

/**
 * The scroll state of one list. `place()` during render says where the list is. After each
 * render, `sync()` gets the element's position: a position that is not the one we last wrote is
 * the user's scroll (it stops or resumes following), else the list is scrolled to `toWrite()`.
 * The scroll handler does the same through `isEcho`/`userScrolled`, ignoring the echo of our own
 * writes (they need no render).
 */
export class ScrollModel {
  top = 0;
  atBottom = true;
  /** The last position written to the element (a new element starts at 0). */
  private written = 0;
  /** Height of all rows as of the last render on screen: what a user's scroll was measured against. */
  private shownExtent = 0;
  private lastScrollTo: number | undefined;

  /** Where this render shows the list: revealing `scrollTo` when it changed, else following if asked. */
  place(total: number, rowHeight: number, height: number, follow: boolean, scrollTo: number | undefined): number {
    const max = maxTop(total, rowHeight, height);
    if (scrollTo !== this.lastScrollTo) {
      this.lastScrollTo = scrollTo;
      if (scrollTo !== undefined && scrollTo >= 0) {
        this.top = Math.min(max, Math.max(0, revealTop(this.top, scrollTo, rowHeight, height)));
        this.atBottom = isAtBottom(this.top, total, rowHeight, height);
      }
    }
    if (follow && this.atBottom) this.top = max;
    else this.top = Math.min(max, Math.max(0, this.top));
    return this.top;
  }

  /**
   * Whether the element at `elementTop` is where we put it, rather than where the user scrolled:
   * our last write (within a pixel: the browser may round), or that write clamped by the browser
   * to the end of a list that got shorter (evictions, a filter), which is no user's doing.
   */
  isEcho(elementTop: number, total: number, rowHeight: number, viewportHeight: number): boolean {
    if (Math.abs(elementTop - this.written) < 1) return true;
    const max = maxTop(total, rowHeight, viewportHeight);
    return this.written > max && Math.abs(elementTop - max) < 1;
  }

  /**
   * The user scrolled to `elementTop` in a viewport `viewportHeight` high. Whether that is the
   * bottom is judged against the rows that were on screen when they scrolled, not the ones a
   * render added since (under a stream, "scrolled to the bottom" would otherwise read as
   * "scrolled up").
   */
  userScrolled(elementTop: number, viewportHeight: number, rowHeight: number): void {
    this.top = elementTop;
    this.written = elementTop;
    this.atBottom = elementTop + viewportHeight >= this.shownExtent - rowHeight;
  }

  /**
   * After a render of `total` rows is in the DOM, with the element at `elementTop`: returns
   * 'user' if the user scrolled since the last render (re-render from there), the position to
   * write if this render moved the list, or undefined.
   */
  sync(elementTop: number, viewportHeight: number, total: number, rowHeight: number): 'user' | number | undefined {
    const user = !this.isEcho(elementTop, total, rowHeight, viewportHeight);
    if (user) this.userScrolled(elementTop, viewportHeight, rowHeight);
    this.shownExtent = total * rowHeight;
    if (user) return 'user';
    if (this.top === this.written) return undefined;
    this.written = this.top;
    return this.top;
  }
}
