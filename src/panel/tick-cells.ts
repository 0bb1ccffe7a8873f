// Which time cells of a connection hold a sent or a received message: the timeline's message
// ticks. Kept per connection and brought up to date from the messages added (or evicted) since
// the last redraw, so a redraw costs what changed instead of a pass over every kept message of
// every connection (500,000 at the panel's bound: the timeline's redraw was the panel's longest
// task during ingest in the scale benchmark, 695 ms).
//
// Cells are absolute: cell k covers [k·q, (k+1)·q) ms with q a power of two, so they stay valid
// while the view slides or grows and only change when the zoom crosses a power of two.
import type { MessageRecord } from '../core/session/session.ts';

/** Distinct cells, ascending; `head` skips cells dropped with evicted messages. */
export interface CellList {
  cells: number[];
  head: number;
}

interface Entry {
  q: number;
  msgs: readonly MessageRecord[];
  first: MessageRecord | undefined;
  last: MessageRecord | undefined;
  out: CellList;
  in: CellList;
}

/** The cell width for a view of `span` ms drawn in about `buckets` columns: a power of two ≥ span / buckets. */
export function cellWidth(span: number, buckets: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(span, 1e-6) / Math.max(1, buckets)));
}

function add(list: CellList, cell: number): void {
  const { cells } = list;
  const n = cells.length;
  if (n === list.head || cells[n - 1]! < cell) cells.push(cell);
  else if (cells[n - 1]! > cell) {
    // Out of time order (not expected, but a record's time is the hook's): insert if missing.
    const at = lowerBound(list, cell);
    if (cells[at] !== cell) cells.splice(at, 0, cell);
  }
}

/** Index of the first cell ≥ `cell` (from `head`). */
export function lowerBound(list: CellList, cell: number): number {
  let lo = list.head;
  let hi = list.cells.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.cells[mid]! < cell) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Drops cells below `cell`, and `cell` itself when no kept message still has it. */
function dropBelow(list: CellList, cell: number, keep: boolean): void {
  list.head = lowerBound(list, cell);
  if (!keep && list.cells[list.head] === cell) list.head++;
  // Compact once the dropped part outweighs the rest: amortized O(1) per cell.
  if (list.head > 64 && list.head * 2 > list.cells.length) {
    list.cells.splice(0, list.head);
    list.head = 0;
  }
}

export class TickCells {
  private entries = new WeakMap<object, Entry>();

  /**
   * The cells of `msgs` (a connection's list, in time order, appended at the end and evicted
   * from the front) at cell width `q`, brought up to date. `owner` identifies the list across
   * calls (the connection).
   */
  get(owner: object, msgs: readonly MessageRecord[], q: number): { out: CellList; in: CellList } {
    let e = this.entries.get(owner);
    if (!e || e.q !== q || e.msgs !== msgs) {
      e = { q, msgs, first: undefined, last: undefined, out: { cells: [], head: 0 }, in: { cells: [], head: 0 } };
      this.entries.set(owner, e);
    }
    const n = msgs.length;
    if (n === 0) {
      if (e.last) this.reset(e);
      return e;
    }
    if (msgs[0] === e.first && msgs[n - 1] === e.last) return e;
    // Where the previous update stopped: search back from the end (only new messages follow it).
    let from = 0;
    if (e.last) {
      let i = n - 1;
      while (i >= 0 && msgs[i] !== e.last) i--;
      if (i < 0) this.reset(e);
      else from = i + 1;
    }
    if (e.first && msgs[0] !== e.first && from > 0) {
      // Older messages were evicted: cells before the new first one go; its own cell stays for
      // a direction only if a kept message in that cell has it.
      const c0 = Math.floor(msgs[0]!.at / q);
      let hasOut = false;
      let hasIn = false;
      for (let i = 0; i < n && Math.floor(msgs[i]!.at / q) === c0; i++) {
        if (msgs[i]!.dir === 'out') hasOut = true;
        else hasIn = true;
      }
      dropBelow(e.out, c0, hasOut);
      dropBelow(e.in, c0, hasIn);
    }
    for (let i = from; i < n; i++) {
      const m = msgs[i]!;
      add(m.dir === 'out' ? e.out : e.in, Math.floor(m.at / q));
    }
    e.first = msgs[0];
    e.last = msgs[n - 1];
    return e;
  }

  private reset(e: Entry): void {
    e.first = e.last = undefined;
    e.out = { cells: [], head: 0 };
    e.in = { cells: [], head: 0 };
  }
}
