// The Inject menu: a button in the connection detail's header, and the same list as the
// connection row's context menu. WAI-ARIA menu pattern: arrow keys, Home/End, Enter, Escape
// closes and gives focus back to whatever opened it.
import { useRef } from 'preact/hooks';
import type { Connection } from '../../core/session/connection.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { useMenu } from '../view/use-menu.ts';
import { actionOff, FAULT_ACTIONS, type FaultAction, type FaultPlace } from '../view/faults.ts';

export const FAULT_LABEL: Record<FaultAction, UiKey> = {
  drop: 'faultDrop',
  close: 'faultClose',
  silence: 'faultSilence',
  delay: 'faultDelay',
  'drop-next': 'faultDropNext',
  block: 'faultBlock',
  'fail-next': 'faultFailNext',
  send: 'faultSend',
  clear: 'faultClear',
};

interface MenuProps {
  conn: Connection;
  place: FaultPlace;
  lang: UiLang;
  onPick: (a: FaultAction) => void;
  onClose: () => void;
  /** Viewport position for a context menu; under its button otherwise. */
  at?: { x: number; y: number } | undefined;
}

export function FaultMenu({ conn, place, lang, onPick, onClose, at }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const onKey = useMenu(ref, '[role="menuitem"]:not([aria-disabled="true"])', onClose);
  const style = at ? { position: 'fixed', left: `${Math.min(at.x, innerWidth - 230)}px`, top: `${Math.min(at.y, innerHeight - 250)}px` } : undefined;
  return (
    <div ref={ref} class="menu" role="menu" aria-label={ui(lang, 'injectMenu')} data-testid="inject-menu-list" style={style} onKeyDown={onKey}>
      {FAULT_ACTIONS.map((a) => {
        const off = actionOff(a, conn, place);
        return (
          <button
            key={a}
            type="button"
            role="menuitem"
            tabIndex={-1}
            class={`menu-item${a === 'clear' || a === 'fail-next' ? ' sep' : ''}`}
            data-testid={`inject-${a}`}
            aria-disabled={off ? 'true' : undefined}
            title={off ? ui(lang, off.key, off.params) : undefined}
            onClick={() => {
              if (off) return;
              onPick(a);
            }}
          >
            {ui(lang, FAULT_LABEL[a])}
          </button>
        );
      })}
    </div>
  );
}

interface ButtonProps {
  conn: Connection;
  place: FaultPlace;
  lang: UiLang;
  open: boolean;
  onOpen: (open: boolean) => void;
  onPick: (a: FaultAction) => void;
}

/** The header's Inject button; off (with why) outside a live tab or for a network-only row. */
export function InjectButton({ conn, place, lang, open, onOpen, onPick }: ButtonProps) {
  const btn = useRef<HTMLButtonElement>(null);
  const off = place === 'file' ? 'faultOffFile' : place === 'viewer' ? 'faultOffViewer' : conn.netOnly ? 'faultOffNetOnly' : undefined;
  const close = () => {
    onOpen(false);
    btn.current?.focus();
  };
  return (
    <span class="menu-anchor">
      <button
        ref={btn}
        type="button"
        class="tb-btn inject-btn"
        data-testid="inject-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={!!off}
        title={ui(lang, off ?? 'injectTitle')}
        onClick={() => onOpen(!open)}
      >
        ⚡ {ui(lang, 'inject')} ▾
      </button>
      {open && (
        <FaultMenu
          conn={conn}
          place={place}
          lang={lang}
          onClose={close}
          onPick={(a) => {
            close();
            onPick(a);
          }}
        />
      )}
    </span>
  );
}
