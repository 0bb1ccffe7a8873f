// The hub's watch bookkeeping (src/background/watch.ts): relays forward only while a panel
// watches their tab, and a new subscriber waits for the replays it asked for.
import { describe, expect, it } from 'vitest';

import { Watching } from '../src/background/watch.ts';

describe('Watching', () => {
  it('a relay of an unwatched tab is told off; of a watched tab, on (and then awaited)', () => {
    const w = new Watching<string, string>();
    expect(w.addRelay(1, 'r1')).toEqual({ relay: 'r1', on: false });
    expect(w.replaying(1)).toBe(false);
    expect(w.setWatcher(1, 'p1', true)).toEqual([{ relay: 'r1', on: true }]);
    expect(w.replaying(1)).toBe(true);
    expect(w.addRelay(1, 'r2')).toEqual({ relay: 'r2', on: true });
    w.replayed(1, 'r1');
    expect(w.replaying(1)).toBe(true);
    w.replayed(1, 'r2');
    expect(w.replaying(1)).toBe(false);
  });

  it('only the first watcher turns a tab on and only the last turns it off', () => {
    const w = new Watching<string, string>();
    w.addRelay(1, 'r1');
    expect(w.setWatcher(1, 'devtools', true)).toHaveLength(1);
    w.replayed(1, 'r1');
    // A second panel (the viewer tab) finds the relays flowing: nothing to tell, nothing to wait for.
    expect(w.setWatcher(1, 'viewer', true)).toEqual([]);
    expect(w.replaying(1)).toBe(false);
    expect(w.setWatcher(1, 'devtools', false)).toEqual([]);
    expect(w.watched(1)).toBe(true);
    expect(w.setWatcher(1, 'viewer', false)).toEqual([{ relay: 'r1', on: false }]);
    expect(w.watched(1)).toBe(false);
    // Removing a watcher that was never there changes nothing.
    expect(w.setWatcher(1, 'ghost', false)).toEqual([]);
  });

  it('tabs never mix: watching tab 1 tells no relay of tab 2', () => {
    const w = new Watching<string, string>();
    w.addRelay(1, 'a');
    w.addRelay(2, 'b');
    expect(w.setWatcher(1, 'p', true)).toEqual([{ relay: 'a', on: true }]);
    expect(w.watched(2)).toBe(false);
    expect(w.replaying(2)).toBe(false);
    // The same panel moving to tab 2 (resubscribe): tab 1 off, tab 2 on.
    expect(w.setWatcher(1, 'p', false)).toEqual([{ relay: 'a', on: false }]);
    expect(w.setWatcher(2, 'p', true)).toEqual([{ relay: 'b', on: true }]);
  });

  it('a relay that went away or could not be told is not waited for', () => {
    const w = new Watching<string, string>();
    w.addRelay(1, 'gone');
    w.addRelay(1, 'broken');
    w.setWatcher(1, 'p', true);
    expect(w.replaying(1)).toBe(true);
    w.removeRelay(1, 'gone');
    w.unreachable(1, 'broken');
    expect(w.replaying(1)).toBe(false);
    // A replayed mark for a relay we do not know is ignored.
    w.replayed(1, 'never-seen');
    w.replayed(9, 'never-seen');
  });

  it('a closed tab forgets its relays and watchers', () => {
    const w = new Watching<string, string>();
    w.addRelay(1, 'r');
    w.setWatcher(1, 'p', true);
    w.removeTab(1);
    expect(w.watched(1)).toBe(false);
    expect(w.replaying(1)).toBe(false);
    expect(w.addRelay(1, 'r2')).toEqual({ relay: 'r2', on: false });
  });
});
