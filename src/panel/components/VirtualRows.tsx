// A fixed-row-height virtual list: only the rows in view (plus a margin) are in the DOM, so a
// connection with 100,000 messages scrolls as lightly as one with ten.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useSize } from '../use-size.ts';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  render: (item: T, index: number) => ComponentChildren;
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
  const [scrollTop, setScrollTop] = useState(0);
  const { height } = useSize(ref, { width: 0, height: 400 });
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !p.follow || !atBottom.current) return;
    el.scrollTop = el.scrollHeight;
  }, [p.items.length, p.follow]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || p.scrollTo === undefined || p.scrollTo < 0) return;
    const top = p.scrollTo * p.rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + p.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + p.rowHeight - el.clientHeight;
  }, [p.scrollTo]);

  const total = p.items.length;
  const first = Math.max(0, Math.floor(scrollTop / p.rowHeight) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / p.rowHeight) + OVERSCAN);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(p.render(p.items[i]!, i));

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
        setScrollTop(el.scrollTop);
        atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - p.rowHeight;
      }}
    >
      <div style={{ height: `${total * p.rowHeight}px`, position: 'relative' }}>
        <div style={{ position: 'absolute', top: `${first * p.rowHeight}px`, left: 0, right: 0 }}>{rows}</div>
      </div>
    </div>
  );
}
