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
 * The scroll state of one list. `place()` during render says where the list is; the layout
 * effect writes `toWrite()` to the element if it changed; the scroll handler passes the element's
 * position to `scrolled()`, which tells the user's scrolls (stop or resume following) from the
 * echo of our own writes (ignored: they need no render).
 */
export class ScrollModel {
  top = 0;
  atBottom = true;
  /** The last position written to the element (a new element starts at 0). */
  private written = 0;
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

  /** The position to write to the element, or undefined if it is already there. */
  toWrite(): number | undefined {
    if (this.top === this.written) return undefined;
    this.written = this.top;
    return this.top;
  }

  /**
   * A scroll event at `elementTop`. Returns false for the echo of our own write (within a pixel:
   * the browser may round), true for the user's scroll, which moves the list and decides whether
   * it follows.
   */
  scrolled(elementTop: number, total: number, rowHeight: number, height: number): boolean {
    if (Math.abs(elementTop - this.written) < 1) return false;
    this.top = elementTop;
    this.written = elementTop;
    this.atBottom = isAtBottom(elementTop, total, rowHeight, height);
    return true;
  }
}
