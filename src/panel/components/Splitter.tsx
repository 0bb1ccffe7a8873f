// A resize handle (WAI-ARIA window splitter: role separator with a value): dragged with the
// pointer, or focused and moved with the arrow keys (Shift: bigger steps), Home restoring the
// initial size. `valueAt` turns a pointer position into the value, given where the drag began.
import { useRef } from 'preact/hooks';

interface Props {
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  initial: number;
  step: number;
  label: string;
  testid: string;
  class?: string;
  onChange: (value: number) => void;
  valueAt: (e: PointerEvent, start: { x: number; y: number; value: number }, el: HTMLElement) => number;
  /** The size as laid out, when it can differ from `value` (a column that grows with the panel). */
  measure?: (el: HTMLElement) => number;
}

export function Splitter(p: Props) {
  const drag = useRef<{ x: number; y: number; value: number } | undefined>(undefined);
  const set = (n: number) => p.onChange(Math.min(p.max, Math.max(p.min, Math.round(n))));
  // A vertical bar moves left/right, a horizontal one up/down.
  const [less, more] = p.orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
  return (
    <div
      class={`splitter splitter-${p.orientation} ${p.class ?? ''}`}
      role="separator"
      tabIndex={0}
      aria-orientation={p.orientation}
      aria-label={p.label}
      title={p.label}
      aria-valuenow={p.value}
      aria-valuemin={p.min}
      aria-valuemax={p.max}
      data-testid={p.testid}
      onKeyDown={(e) => {
        const step = e.shiftKey ? p.step * 4 : p.step;
        const now = p.measure ? p.measure(e.currentTarget) : p.value;
        if (e.key === less) set(now - step);
        else if (e.key === more) set(now + step);
        else if (e.key === 'Home') set(p.initial);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        drag.current = { x: e.clientX, y: e.clientY, value: p.value };
        e.currentTarget.setPointerCapture(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        if (drag.current) set(p.valueAt(e, drag.current, e.currentTarget));
      }}
      onPointerUp={() => (drag.current = undefined)}
      onPointerCancel={() => (drag.current = undefined)}
    />
  );
}
