// The selected connection: which one the detail shows, moved by the keyboard over the rows
// the list shows. Plain functions over the selected id, so the rules are tested without a DOM.

/** A keyboard move over the visible rows. */
export type ListMove = 'next' | 'previous' | 'first' | 'last';

/**
 * The id selected after a move. With nothing selected, or a selection the filters hide,
 * "next" starts at the first row and "previous" at the last; at either end a move stays there.
 * No rows: the selection is left as it was.
 */
export function moveSelection(rows: readonly { id: string }[], selected: string | undefined, move: ListMove): string | undefined {
  if (rows.length === 0) return selected;
  const index = selected === undefined ? -1 : rows.findIndex((r) => r.id === selected);
  const to =
    move === 'first' ? 0
    : move === 'last' ? rows.length - 1
    : move === 'next' ? index + 1
    : index < 0 ? rows.length - 1
    : index - 1;
  return rows[Math.max(0, Math.min(rows.length - 1, to))]!.id;
}

/**
 * The selection as shown: cleared once its connection is gone from the list's rows before
 * filtering (a Clear, a navigation without "preserve log", another file). A connection the
 * filters hide stays selected, its detail open.
 */
export function keepSelection(selected: string | undefined, exists: (id: string) => boolean): string | undefined {
  return selected !== undefined && exists(selected) ? selected : undefined;
}

/**
 * Several selected rows (for export and copy) beside the focused one the detail shows. The
 * anchor is where a Shift range starts: the last row clicked or moved to without Shift, as in
 * a file manager or DevTools' own lists.
 */
export interface MultiSelection {
  focus: string | undefined;
  anchor: string | undefined;
  ids: ReadonlySet<string>;
}

export const NO_MULTI: MultiSelection = { focus: undefined, anchor: undefined, ids: new Set() };

/** One row alone: a plain click, or a plain arrow key. */
export function only(id: string | undefined): MultiSelection {
  return { focus: id, anchor: id, ids: new Set(id === undefined ? [] : [id]) };
}

/** The rows from the anchor to `to`, in the list's order; `to` alone without an anchor shown. */
function range(rows: readonly { id: string }[], anchor: string | undefined, to: string): Set<string> {
  const a = anchor === undefined ? -1 : rows.findIndex((r) => r.id === anchor);
  const b = rows.findIndex((r) => r.id === to);
  if (a < 0 || b < 0) return new Set([to]);
  return new Set(rows.slice(Math.min(a, b), Math.max(a, b) + 1).map((r) => r.id));
}

/** A click: Shift selects the range from the anchor, Ctrl/⌘ toggles the row, else the row alone. */
export function clickSelect(rows: readonly { id: string }[], s: MultiSelection, id: string, mods: { shift: boolean; toggle: boolean }): MultiSelection {
  if (mods.shift) return { focus: id, anchor: s.anchor ?? id, ids: range(rows, s.anchor ?? id, id) };
  if (mods.toggle) {
    const ids = new Set(s.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { focus: id, anchor: id, ids };
  }
  return only(id);
}

/** Shift+Up/Down: the focus moves and the range from the anchor follows it. */
export function extendSelection(rows: readonly { id: string }[], s: MultiSelection, move: ListMove): MultiSelection {
  if (rows.length === 0) return s;
  const focus = moveSelection(rows, s.focus, move);
  if (focus === undefined) return s;
  const anchor = s.anchor ?? s.focus ?? focus;
  return { focus, anchor, ids: range(rows, anchor, focus) };
}

/** What an action on a row applies to: the selection when the row is in it, else the row alone. */
export function targetsOf(s: MultiSelection, id: string): string[] {
  return s.ids.has(id) ? [...s.ids] : [id];
}

/** The selection without rows that are gone (a Clear, another file). */
export function keepMulti(s: MultiSelection, exists: (id: string) => boolean): MultiSelection {
  const focus = keepSelection(s.focus, exists);
  const anchor = keepSelection(s.anchor, exists);
  const gone = [...s.ids].some((id) => !exists(id));
  if (focus === s.focus && anchor === s.anchor && !gone) return s;
  return { focus, anchor, ids: new Set([...s.ids].filter(exists)) };
}
