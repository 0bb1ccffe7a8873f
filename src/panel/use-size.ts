import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The element's client size, kept current by a ResizeObserver (DevTools panes resize often). */
export function useSize(ref: RefObject<HTMLElement | null>, initial: { width: number; height: number }): { width: number; height: number } {
  const [size, setSize] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    const ro = new ResizeObserver(read);
    ro.observe(el);
    read();
    return () => ro.disconnect();
  }, []);
  return size;
}
