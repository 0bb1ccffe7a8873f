// Keeping a session within its bounds: message records per connection and in total, in
// records and in estimated bytes. What is cut is the oldest traffic, and it is counted on its
// connection so the panel can say so.
import type { Connection, MessageRecord } from './connection.ts';
import type { SessionState } from './state.ts';

/** Rough heap cost of a message record: its payload string plus the record itself. */
export function messageBytes(m: MessageRecord): number {
  return 64 + (m.data === undefined ? 0 : m.data.length);
}

/** Estimated bytes of each connection's message records (kept off the Connection's own data). */
export const heldBytes = new WeakMap<Connection, number>();
export const bytesOf = (c: Connection): number => heldBytes.get(c) ?? 0;

export function release(state: SessionState, c: Connection): void {
  state.held.messages -= c.messages.length;
  state.held.bytes -= bytesOf(c);
  heldBytes.delete(c);
}

/** Drops the `count` oldest records of a connection, counting them as evicted. */
function evictOldest(state: SessionState, c: Connection, count: number): void {
  if (count <= 0) return;
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += messageBytes(c.messages[i]!);
  c.messages.splice(0, count);
  c.stats.evicted += count;
  heldBytes.set(c, bytesOf(c) - bytes);
  state.held.messages -= count;
  state.held.bytes -= bytes;
}

export function pushMessage(state: SessionState, c: Connection, m: MessageRecord): void {
  const cap = state.limits.maxMessagesPerConnection;
  c.messages.push(m);
  const bytes = messageBytes(m);
  heldBytes.set(c, bytesOf(c) + bytes);
  state.held.messages++;
  state.held.bytes += bytes;
  // Evict in chunks so that a flood costs amortized O(1) per message rather than a shift each.
  if (c.messages.length > cap + Math.max(1, cap >> 3)) evictOldest(state, c, c.messages.length - cap);
  const lim = state.limits;
  if (state.held.messages > lim.maxMessages || state.held.bytes > lim.maxMessageBytes) enforceTotal(state);
}

/**
 * Brings the session back under its total bounds, to seven eighths of the bound that was
 * crossed (so a flood trims every so often, amortized O(1) per message): the connections
 * holding the most are cut down to a common level, oldest records first ("water-filling"), so
 * a quiet connection keeps all of its history and every connection keeps its latest messages.
 */
function enforceTotal(state: SessionState): void {
  const lim = state.limits;
  const h = state.held;
  if (h.messages > lim.maxMessages) {
    const excess = h.messages - (lim.maxMessages - (lim.maxMessages >> 3));
    level(state, excess, (c) => c.messages.length, (c, to) => evictOldest(state, c, c.messages.length - to));
  }
  if (h.bytes > lim.maxMessageBytes) {
    const excess = h.bytes - (lim.maxMessageBytes - lim.maxMessageBytes / 8);
    level(state, excess, bytesOf, (c, to) => {
      let over = bytesOf(c) - to;
      let count = 0;
      while (over > 0 && count < c.messages.length) over -= messageBytes(c.messages[count++]!);
      evictOldest(state, c, count);
    });
  }
}

/** Cuts the largest connections (by `size`) down to the one level that frees `excess` in all. */
function level(state: SessionState, excess: number, size: (c: Connection) => number, cut: (c: Connection, to: number) => void): void {
  const conns = [...state.connections.values()].filter((c) => size(c) > 0).sort((a, b) => size(b) - size(a));
  let prefix = 0;
  for (let k = 0; k < conns.length; k++) {
    prefix += size(conns[k]!);
    const next = k + 1 < conns.length ? size(conns[k + 1]!) : 0;
    // Cutting the first k+1 down to `next` would free prefix - (k+1)·next.
    if (prefix - (k + 1) * next >= excess || k + 1 === conns.length) {
      const to = Math.max(0, Math.floor((prefix - excess) / (k + 1)));
      for (let i = 0; i <= k; i++) cut(conns[i]!, to);
      return;
    }
  }
}
