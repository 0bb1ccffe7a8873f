// A fixed-row-height virtual list: only the rows in view (plus a margin) are in the DOM, so a
// connection with 100,000 messages scrolls as lightly as one with ten. Positions come from
// ScrollModel's arithmetic, never from reading the element's layout (see scroll-model.ts).
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ScrollModel, rowWindow } from '../scroll-model.ts';
import { useSize } from '../use-size.ts';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  /**
   * `slot` is the row's place within the rendered window: keyed by it, a row element is reused
   * for whatever message lands there, so following a flood changes text, not elements.
   */
  render: (item: T, index: number, slot: number) => ComponentChildren;
  /** Keep the view pinned to the newest row while the user is at the bottom. */
  follow?: boolean;
  /** Scroll this index into view when it changes. */
  scrollTo?: number;
  class?: string;
  testid?: string;
  role?: 'grid' | 'list' | 'listbox';
  label?: string;
}

const OVERSCAN = 10;

export function VirtualRows<T>(p: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const model = useRef<ScrollModel>(undefined);
  model.current ??= new ScrollModel();
  const m = model.current;
  // Re-renders only for a user's scroll that needs other rows in the DOM.
  const [, rerender] = useState(0);
  const shown = useRef({ first: 0, last: 0 });
  const { height } = useSize(ref, { width: 0, height: 400 });
  const total = p.items.length;
  const top = m.place(total, p.rowHeight, height, !!p.follow, p.scrollTo);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Reading the position forces the layout that the frame would do anyway (and that writing
    // it needs): it catches a user's scroll that a render overtook before its event came.
    const r = m.sync(el.scrollTop, el.clientHeight, total, p.rowHeight);
    if (r === 'user') rerender((n) => n + 1);
    else if (r !== undefined) el.scrollTop = r;
  });

  const { first, last } = rowWindow(top, height, total, p.rowHeight, OVERSCAN);
  shown.current = { first, last };
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(p.render(p.items[i]!, i, i - first));

  return (
    <div
      ref={ref}
      class={`vrows ${p.class ?? ''}`}
      data-testid={p.testid}
      role={p.role}
      aria-label={p.label}
      aria-rowcount={total}
      onScroll={(e) => {
        const el = e.currentTarget;
        if (m.isEcho(el.scrollTop, p.items.length, p.rowHeight, el.clientHeight)) return;
        m.userScrolled(el.scrollTop, el.clientHeight, p.rowHeight);
        const w = rowWindow(m.top, height, p.items.length, p.rowHeight, OVERSCAN);
        if (w.first !== shown.current.first || w.last !== shown.current.last) rerender((n) => n + 1);
      }}
    >
      <div class="vrows-space" style={{ height: `${total * p.rowHeight}px` }}>
        <div class="vrows-window" style={{ top: `${first * p.rowHeight}px` }}>{rows}</div>
      </div>
    </div>
  );
}
