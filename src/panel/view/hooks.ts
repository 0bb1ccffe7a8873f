// The panel's hooks: the glue between Preact and the store, the clock, the keyboard and the
// drag-and-drop of files. The rules they apply live in the plain modules beside this one.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { derive, DeriveThrottle, type Derived } from '../derive.ts';
import type { DeriverClient } from '../deriver/client.ts';
import type { PanelStore } from '../store.ts';
import type { OpenFile } from './file.ts';
import { shortcutOf, type Shortcut } from './keys.ts';

export function useStoreVersion(store: PanelStore): number {
  const [v, setV] = useState(store.version);
  useEffect(() => {
    const off = store.subscribe(() => setV(store.version));
    // Effects run after the first paint: catch up with whatever arrived in between.
    setV(store.version);
    return off;
  }, [store]);
  return v;
}

/** Date.now(), ticking once a second: live durations; nothing else polls. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * What the views show, derived from the open file or the live session. Call it first in the
 * panel's render: the time from here to the layout effects is what the render cost.
 *
 * Diagnoses depend on "now" only for live sockets; recomputing on data changes (and on the
 * 1 s tick while something is live) keeps every view in agreement. The live session is derived
 * by the deriver's worker when there is one (deriver/client.ts); without one, or until its first
 * answer, here through a throttle (derive.ts): when it says "not yet", a re-render is due later.
 */
export function useDerived(store: PanelStore, version: number, file: OpenFile | undefined, now: number, deriver?: DeriverClient): Derived {
  const renderStart = performance.now();
  const anyLive = useMemo(() => [...store.session.connections.values()].some((c) => !c.close), [version]);
  const throttle = useRef<DeriveThrottle>(undefined);
  throttle.current ??= new DeriveThrottle();
  const [, retry] = useState(0);
  useEffect(() => deriver?.subscribe(() => retry((n) => n + 1)), [deriver]);
  const tick = anyLive ? now : 0;
  const inWorker = !file && deriver?.mode === 'worker';
  useEffect(() => {
    if (inWorker) deriver.want(version, tick);
  }, [inWorker, version, tick]);
  const fromWorker = inWorker ? deriver.current() : undefined;
  const counted = useRef<Derived>(undefined);
  const fileDerived = useMemo(() => (file ? derive(file.imported.state, file.imported.endedAt, file.imported) : undefined), [file]);
  const throttled = fileDerived || fromWorker ? undefined : throttle.current.get(store.session, version, tick);
  const retryIn = throttled?.retryInMs;
  useEffect(() => {
    if (retryIn === undefined) return;
    const t = setTimeout(() => retry((n) => n + 1), retryIn);
    return () => clearTimeout(t);
  }, [retryIn, version]);
  // Layout effects run once the whole tree has rendered: the cost of this pass, timeline included.
  useLayoutEffect(() => {
    if (throttled) throttle.current!.rendered(throttled.derived, performance.now() - renderStart);
    if (fromWorker && counted.current !== fromWorker) {
      counted.current = fromWorker;
      deriver!.rendered(performance.now() - renderStart);
    }
  });
  return fileDerived ?? fromWorker ?? throttled!.derived;
}

/** Panel-wide shortcuts (keys.ts). The listener is registered once and reads the latest handler. */
export function useShortcuts(handle: (s: Shortcut) => void): void {
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = shortcutOf(e);
      if (!s) return;
      latest.current(s);
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/** A file dropped anywhere on the panel: whether one is being dragged over it, and its handlers. */
export function useFileDrop(onFile: (f: File) => void) {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (e: DragEvent) => {
      setDragging(false);
      const f = e.dataTransfer?.files[0];
      if (!f) return;
      e.preventDefault();
      onFile(f);
    },
  };
}
