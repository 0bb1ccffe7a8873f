// A modal dialog (WAI-ARIA dialog pattern): labelled by its title, focus kept inside while it
// is open (Tab cycles), Escape closes, and focus goes back to where it was before.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

interface Props {
  title: string;
  testid: string;
  onClose: () => void;
  children: ComponentChildren;
  /** The form's submit; the dialog is a form so that Enter in a field applies it. */
  onSubmit: () => void;
}

let seq = 0;
const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Modal({ title, testid, onClose, children, onSubmit }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useRef(`dlg-${++seq}`).current;
  const close = useRef(onClose);
  close.current = onClose;
  // Layout effects: focus moves before the next key can arrive (a DevTools window the OS
  // reports as occluded gets no animation frames, which is when plain effects would run).
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    // Escape closes the dialog wherever focus is, and goes no further (the list behind would deselect).
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      close.current();
    };
    document.addEventListener('keydown', onEscape, true);
    return () => {
      document.removeEventListener('keydown', onEscape, true);
      before?.focus?.();
    };
  }, []);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return;
    const list = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    if (!list.length) return;
    const i = list.indexOf(document.activeElement as HTMLElement);
    const next = e.shiftKey ? (i <= 0 ? list.length - 1 : i - 1) : i === list.length - 1 ? 0 : i + 1;
    list[next]!.focus();
    e.preventDefault();
  };
  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} class="modal" role="dialog" aria-modal="true" aria-labelledby={id} data-testid={testid} onKeyDown={onKey}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
          noValidate
        >
          <h2 id={id} class="modal-title">{title}</h2>
          {children}
        </form>
      </div>
    </div>
  );
}
