// What every menu of the panel does with the keyboard and the pointer (WAI-ARIA APG menu
// pattern): its first item takes focus when it opens; arrow keys move, wrapping, Home and End
// jump; Escape or Tab closes; a mousedown anywhere outside closes it. The row menu, the Inject
// menu and the column picker share it.
import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

/**
 * Installs the menu's focus and outside-click behaviour and returns its keydown handler.
 * `close` is for the keyboard (it may give focus back), `onOutside` for a click elsewhere (the
 * click puts focus where it lands). A caller that records the opener must do it in a layout
 * effect declared before this hook: effects run in order, and this one moves the focus.
 */
export function useMenu(ref: RefObject<HTMLElement | null>, itemSelector: string, close: () => void, onOutside: () => void = close): (e: KeyboardEvent) => void {
  const items = () => [...(ref.current?.querySelectorAll<HTMLElement>(itemSelector) ?? [])];
  useLayoutEffect(() => {
    items()[0]?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onOutside();
    };
    document.addEventListener('mousedown', away, true);
    return () => document.removeEventListener('mousedown', away, true);
  }, []);
  return (e: KeyboardEvent) => {
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLElement);
    const go = (n: number) => list[(n + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
}
