// A context menu at a viewport position (WAI-ARIA APG menu pattern): the first enabled item
// takes focus, arrow keys, Home and End move, Enter runs, Escape or Tab closes, and focus goes
// back to whatever had it before. A click outside closes it.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useMenu } from '../view/use-menu.ts';

export interface MenuItem {
  /** Its data-testid. */
  id: string;
  label: string;
  run: () => void;
  /** Why it is off; an off item stays listed (greyed), as DevTools' menus do. */
  off?: string | undefined;
  title?: string | undefined;
  /** A separator line above it. */
  sep?: boolean;
}

interface Props {
  label: string;
  testid: string;
  items: readonly MenuItem[];
  at: { x: number; y: number };
  onClose: () => void;
}

/** Kept inside the viewport: a menu opened near the right or bottom edge opens leftwards/upwards. */
export function placeMenu(at: { x: number; y: number }, size: { width: number; height: number }, view: { width: number; height: number }): { left: number; top: number } {
  const left = at.x + size.width > view.width ? Math.max(0, view.width - size.width) : at.x;
  const top = at.y + size.height > view.height ? Math.max(0, view.height - size.height) : at.y;
  return { left, top };
}

export function ContextMenu({ label, testid, items, at, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const back = useRef<HTMLElement | null>(null);
  const close = () => {
    back.current?.focus?.();
    onClose();
  };
  // Layout effect: placed before the next key can arrive, and the opener recorded before
  // useMenu (declared after it) moves the focus into the menu.
  useLayoutEffect(() => {
    back.current = document.activeElement as HTMLElement | null;
    const el = ref.current;
    if (el) {
      const p = placeMenu(at, { width: el.offsetWidth, height: el.offsetHeight }, { width: innerWidth, height: innerHeight });
      el.style.left = `${p.left}px`;
      el.style.top = `${p.top}px`;
    }
  }, []);
  const onKey = useMenu(ref, '[role="menuitem"]:not([aria-disabled="true"])', close, onClose);
  return (
    <div ref={ref} class="menu ctx-menu" role="menu" aria-label={label} data-testid={testid} style={{ position: 'fixed', left: `${at.x}px`, top: `${at.y}px` }} onKeyDown={onKey}>
      {items.map((it) => (
        <button
          key={it.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          class={`menu-item${it.sep ? ' sep' : ''}`}
          data-testid={it.id}
          aria-disabled={it.off ? 'true' : undefined}
          title={it.off ?? it.title}
          onClick={() => {
            if (it.off) return;
            close();
            it.run();
          }}
        >
          {it.label}
        </button>
      ))}
    </div>
  );
}
