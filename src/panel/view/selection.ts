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
