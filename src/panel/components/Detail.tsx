// The selected connection's detail: its explanation, its messages, its overview.
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import type { NetObservation, NetView } from '../../core/network/net.ts';
import type { Connection } from '../../core/session/session.ts';
import { ui, type UiLang } from '../i18n.ts';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { mui } from '../i18n-menu.ts';
import { Explanation } from './Explanation.tsx';
import { InjectButton } from './FaultMenu.tsx';
import type { FaultUi } from './Faults.tsx';
import { MessageTable } from './MessageTable.tsx';
import { CategoryBadge } from './OutcomeBadge.tsx';
import { Overview } from './Overview.tsx';

export type Tab = 'explanation' | 'messages' | 'overview';
const TABS: readonly Tab[] = ['explanation', 'messages', 'overview'];

interface Props {
  conn: Connection;
  diagnosis: Diagnosis | undefined;
  net: NetView | undefined;
  ambiguous: NetObservation[] | undefined;
  /** Kept by the panel, so that the next connection opens on the same tab. */
  tab: Tab;
  onTab: (t: Tab) => void;
  onClose: () => void;
  cursor: number | undefined;
  onCursor: (t: number | undefined) => void;
  version: number;
  lang: UiLang;
  faults: FaultUi;
  /** Where the detail replaces the list: back to it (the back control, Escape). */
  onBack?: (() => void) | undefined;
  /** The connection's injected faults and commands waiting for an answer (Faults.tsx). */
  injected: ComponentChildren;
  /** The messages' heartbeat toggle, remembered by the panel (prefs.ts). */
  hideHeartbeats?: boolean;
  onHideHeartbeats?: (on: boolean) => void;
}

export function Detail({ conn, diagnosis, net, ambiguous, tab, onTab, onClose, cursor, onCursor, version, lang, faults, injected, hideHeartbeats, onHideHeartbeats, onBack }: Props) {
  const [menu, setMenu] = useState(false);
  const backBtn = useRef<HTMLButtonElement>(null);
  // Replacing the list, the detail takes the focus the list had (else it would be lost with it).
  useLayoutEffect(() => {
    if (onBack) backBtn.current?.focus();
  }, [!!onBack]);
  return (
    <section
      class="detail"
      data-testid="detail"
      aria-label={conn.url}
      onKeyDown={(e) => {
        // Menus and dialogs inside handle their own Escape first (and prevent the default).
        if (onBack && e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onBack();
        }
      }}
    >
      <div class="detail-head">
        {onBack && (
          <button ref={backBtn} type="button" class="tb-btn detail-back" data-testid="detail-back" title={mui(lang, 'backTitle')} aria-label={mui(lang, 'backTitle')} onClick={onBack}>
            ‹ <span class="tb-label">{mui(lang, 'back')}</span>
          </button>
        )}
        <button class="tb-btn close-x" data-testid="close-detail" aria-label={ui(lang, 'closeDetail')} title={ui(lang, 'closeDetail')} onClick={onClose}>
          ×
        </button>
        <div role="tablist" class="tabs">
          {TABS.map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} class={tab === t ? 'tab active' : 'tab'} data-testid={`tab-${t}`} onClick={() => onTab(t)}>
              {ui(lang, t)}
            </button>
          ))}
        </div>
        <InjectButton conn={conn} place={faults.place} lang={lang} open={menu} onOpen={setMenu} onPick={(a) => faults.request(conn, a)} />
        <span class="detail-title">
          {diagnosis && <CategoryBadge category={diagnosis.category} lang={lang} testid="detail-outcome" />}
          <span data-testid="detail-code">{conn.close ? conn.close.code : ''}</span>
        </span>
      </div>
      {injected}
      <div class="detail-body" role="tabpanel">
        {tab === 'explanation' && diagnosis ? (
          <Explanation conn={conn} diagnosis={diagnosis} lang={lang} />
        ) : tab === 'messages' ? (
          <MessageTable conn={conn} lang={lang} cursor={cursor} onCursor={onCursor} version={version} faults={faults} hideHeartbeats={hideHeartbeats} onHideHeartbeats={onHideHeartbeats} />
        ) : (
          <Overview conn={conn} net={net} ambiguous={ambiguous} lang={lang} />
        )}
      </div>
    </section>
  );
}
