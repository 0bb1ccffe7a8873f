// The connection list's header: one cell per column, each with a resize handle on its right
// edge, and, on right-click (or the context-menu key on a handle), the column picker that
// DevTools' Network panel offers on its header. Widths and visibility are prefs (prefs.ts):
// they apply through the panel's layout style (layout-css.ts), so a drag never re-renders rows.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { ALWAYS_SHOWN, COLUMN_IDS, WIDTH, type ColumnId, type Prefs } from '../prefs.ts';
import { Splitter } from './Splitter.tsx';
import { useMenu } from '../view/use-menu.ts';

/** Each column's heading, and the class its cells carry (ConnectionTable uses the same). */
export const COLUMN: Record<ColumnId, { label: UiKey; title?: UiKey; initial: number }> = {
  outcome: { label: 'colStatus', initial: 128 },
  net: { label: 'colNetwork', title: 'colNetworkTitle', initial: 88 },
  url: { label: 'colUrl', initial: 220 },
  code: { label: 'colCode', initial: 52 },
  reason: { label: 'colReason', initial: 140 },
  state: { label: 'colState', initial: 76 },
  duration: { label: 'colDuration', initial: 64 },
  sent: { label: 'colSent', initial: 64 },
  received: { label: 'colReceived', initial: 64 },
  frame: { label: 'colFrame', initial: 52 },
};

/** The numeric columns share their alignment (class c-num) besides their own class. */
export const colClass = (id: ColumnId): string => (id === 'duration' || id === 'sent' || id === 'received' ? `c-num c-${id}` : `c-${id}`);

interface Props {
  lang: UiLang;
  hidden: readonly ColumnId[];
  widths: Prefs['widths'];
  onPrefs: (patch: Partial<Pick<Prefs, 'hidden' | 'widths'>>) => void;
}

export function ConnectionHeader({ lang, hidden, widths, onPrefs }: Props) {
  const [menu, setMenu] = useState<{ x: number; y: number } | undefined>();
  return (
    <div
      class="row head"
      role="row"
      data-testid="connection-head"
      onContextMenu={(e) => {
        e.preventDefault();
        setMenu({ x: e.clientX, y: e.clientY });
      }}
    >
      {COLUMN_IDS.map((id) => {
        const col = COLUMN[id];
        const name = ui(lang, col.label);
        return (
          <span key={id} role="columnheader" class={`${colClass(id)} col-head`} data-col={id} title={col.title ? ui(lang, col.title) : undefined}>
            {name}
            <Splitter
              orientation="vertical"
              class="col-resize"
              testid="col-resize"
              label={ui(lang, 'resizeColumn', { name })}
              value={widths[id] ?? col.initial}
              min={WIDTH.min}
              max={WIDTH.max}
              initial={col.initial}
              step={8}
              measure={(el) => el.parentElement!.getBoundingClientRect().width}
              valueAt={(e, _start, el) => e.clientX - el.parentElement!.getBoundingClientRect().left}
              onChange={(w) => onPrefs({ widths: { ...widths, [id]: w } })}
            />
          </span>
        );
      })}
      {menu && <ColumnMenu lang={lang} at={menu} hidden={hidden} onHidden={(h) => onPrefs({ hidden: h })} onClose={() => setMenu(undefined)} />}
    </div>
  );
}

interface MenuProps {
  lang: UiLang;
  at: { x: number; y: number };
  hidden: readonly ColumnId[];
  onHidden: (hidden: ColumnId[]) => void;
  onClose: () => void;
}

/** WAI-ARIA menu of checkable items, as the Inject menu (FaultMenu.tsx): arrows, Escape, a click away. */
function ColumnMenu({ lang, at, hidden, onHidden, onClose }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const opener = useRef<Element | null>(null);
  useLayoutEffect(() => {
    opener.current = document.activeElement;
  }, []);
  const close = () => {
    onClose();
    if (opener.current instanceof HTMLElement) opener.current.focus();
  };
  const onKey = useMenu(ref, '[role="menuitemcheckbox"]', close, onClose);
  const style = { position: 'fixed', left: `${Math.max(0, Math.min(at.x, innerWidth - 230))}px`, top: `${Math.max(0, Math.min(at.y, innerHeight - 280))}px` };
  return (
    <div ref={ref} class="menu" role="menu" aria-label={ui(lang, 'columnsMenu')} data-testid="column-menu" style={style} onKeyDown={onKey}>
      {COLUMN_IDS.map((id) => {
        const fixed = id === ALWAYS_SHOWN;
        const shown = fixed || !hidden.includes(id);
        return (
          <button
            key={id}
            type="button"
            role="menuitemcheckbox"
            tabIndex={-1}
            class="menu-item"
            aria-checked={shown}
            aria-disabled={fixed ? 'true' : undefined}
            title={fixed ? ui(lang, 'columnAlwaysShown') : undefined}
            data-testid="column-toggle"
            data-col={id}
            onClick={() => {
              if (fixed) return;
              onHidden(shown ? [...hidden, id] : hidden.filter((h) => h !== id));
            }}
          >
            <span aria-hidden="true" class="menu-check">{shown ? '✓' : ''}</span> {ui(lang, COLUMN[id].label)}
          </button>
        );
      })}
      {hidden.length > 0 && <div class="menu-note muted" data-testid="columns-hidden">{ui(lang, 'prefsHiddenColumns', { n: hidden.length })}</div>}
    </div>
  );
}
