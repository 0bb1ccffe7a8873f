// Keyboard shortcuts as pure mappings from a key event's fields to what it does, so that every
// binding is tested without a DOM and the components only dispatch.
import type { ListMove } from './selection.ts';

/** The panel-wide shortcuts (Ctrl, or ⌘ on macOS): clear, export (redacted), import. */
export type Shortcut = 'clear' | 'export' | 'import';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
}

export function shortcutOf(e: KeyLike): Shortcut | undefined {
  if (!(e.ctrlKey || e.metaKey)) return undefined;
  const k = e.key.toLowerCase();
  return k === 'l' ? 'clear' : k === 's' ? 'export' : k === 'o' ? 'import' : undefined;
}

/** What a key does in the connection list: a move, or 'deselect' (Escape closes the detail). */
export function listKeyOf(key: string): ListMove | 'deselect' | undefined {
  switch (key) {
    case 'ArrowDown':
      return 'next';
    case 'ArrowUp':
      return 'previous';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'deselect';
    default:
      return undefined;
  }
}

/**
 * Keys on the focused row beyond moves: the context-menu key and Shift+F10 open its menu (the
 * platform conventions, WAI-ARIA APG "Keyboard Interface"), Enter opens its detail where the
 * detail replaces the list (a narrow panel).
 */
export function rowKeyOf(e: { key: string; shiftKey: boolean }): 'menu' | 'open' | undefined {
  if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) return 'menu';
  if (e.key === 'Enter') return 'open';
  return undefined;
}
