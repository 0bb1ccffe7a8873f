// Fault injection in the panel: the state of its menu, confirmation and dialogs (useFaults),
// and the Injected list of a connection (what was injected, when, and the page's answer).
import { useState } from 'preact/hooks';
import type { FaultCommand } from '../../core/faults/commands.ts';
import type { Connection, MessageRecord } from '../../core/session/connection.ts';
import { formatClock, inert } from '../format.ts';
import { ui, type UiLang } from '../i18n.ts';
import { FAULT_ANSWER_MS, type PanelStore } from '../store.ts';
import { defaultForm, faultPhrase, formFor, replayOff, type DialogKind, type FaultAction, type FaultForm, type FaultPlace, type PendingFault } from '../view/faults.ts';
import { ConfirmFaults, FaultDialog } from './FaultDialog.tsx';
import { FaultMenu } from './FaultMenu.tsx';

/** What a view asks for: a menu action, or a captured message sent again. */
export type FaultRequest = FaultAction | { replay: MessageRecord } | { asServer: MessageRecord };

export interface FaultUi {
  place: FaultPlace;
  request(conn: Connection, r: FaultRequest): void;
  /** The context menu of a connection row, at a viewport position. */
  openMenu(conn: Connection, at: { x: number; y: number }): void;
}

export function useFaults(store: PanelStore, place: FaultPlace, lang: UiLang) {
  const [menu, setMenu] = useState<{ conn: Connection; at: { x: number; y: number }; back: HTMLElement | null } | undefined>();
  const [dialog, setDialog] = useState<{ kind: DialogKind; conn: Connection; form: FaultForm } | undefined>();
  const [confirming, setConfirming] = useState<(() => void) | undefined>();
  const [, bump] = useState(0);

  const send = (conn: Connection, cmd: FaultCommand): string | undefined => {
    const r = store.fault(conn.doc, cmd);
    return 'problem' in r ? r.problem : undefined;
  };
  const act = (conn: Connection, r: FaultRequest) => {
    if (typeof r === 'object') {
      if ('replay' in r) {
        const m = r.replay;
        if (!replayOff(m)) send(conn, { op: 'send', sid: conn.sid, dir: m.dir, data: m.data ?? '', bin: m.bin });
      } else setDialog({ kind: 'send', conn, form: formFor(conn, r.asServer, 'in') });
    } else if (r === 'drop') send(conn, { op: 'drop', sid: conn.sid });
    else if (r === 'clear') send(conn, conn.state === 'closed' ? { op: 'clear' } : { op: 'clear', sid: conn.sid });
    else setDialog({ kind: r, conn, form: defaultForm(conn) });
  };
  const request = (conn: Connection, r: FaultRequest) => {
    if (place !== 'live') return;
    // Asked once per panel session, before the first action (dialogs included) touches the page.
    if (store.faultsConfirmed) act(conn, r);
    else setConfirming(() => () => act(conn, r));
  };
  const ui_: FaultUi = {
    place,
    request,
    openMenu: (conn, at) => setMenu({ conn, at, back: document.activeElement as HTMLElement | null }),
  };
  const layer = (
    <>
      {menu && (
        <FaultMenu
          conn={menu.conn}
          place={place}
          lang={lang}
          at={menu.at}
          onClose={() => {
            menu.back?.focus();
            setMenu(undefined);
          }}
          onPick={(a) => {
            menu.back?.focus();
            setMenu(undefined);
            request(menu.conn, a);
          }}
        />
      )}
      {confirming && (
        <ConfirmFaults
          lang={lang}
          onCancel={() => setConfirming(undefined)}
          onOk={() => {
            store.faultsConfirmed = true;
            setConfirming(undefined);
            confirming();
            bump((n) => n + 1);
          }}
        />
      )}
      {dialog && (
        <FaultDialog
          key={`${dialog.kind}-${dialog.conn.id}`}
          kind={dialog.kind}
          conn={dialog.conn}
          initial={dialog.form}
          lang={lang}
          onApply={(cmd) => send(dialog.conn, cmd)}
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
  return { faults: ui_, layer };
}

/** The commands sent for this connection (document-wide ones of its document too). */
function sentFor(store: PanelStore, conn: Connection): PendingFault[] {
  return store.faultsSent.filter((p) => p.doc === conn.doc && (p.sid === undefined || p.sid === conn.sid));
}

/** The detail's Injected list: the hook's answers on this connection, and commands still waiting or unanswered. */
export function InjectedList({ store, conn, lang }: { store: PanelStore; conn: Connection; lang: UiLang }) {
  const faults = conn.faults ?? [];
  const open = sentFor(store, conn).filter((p) => p.state === 'pending' || p.state === 'timeout' || (p.state === 'refused' && p.error && !faults.some((f) => f.error === p.error)));
  if (!faults.length && !open.length) return null;
  return (
    <details class="injected" data-testid="injected-section" open>
      <summary>
        <span class="tag inj">{ui(lang, 'injected')}</span>
        {ui(lang, 'injectedHead', { n: faults.length })}
      </summary>
      <ul>
        {faults.map((f, i) => {
          const what = faultPhrase(f);
          return (
            <li key={i} data-testid="injected-item" data-op={f.op} data-state={f.ok ? 'ok' : 'refused'}>
              <span class="muted">{formatClock(f.at, lang)}</span> {inert(ui(lang, what.key, what.params))} —{' '}
              {f.ok ? <span class="ok">{ui(lang, 'faultOk')}</span> : <span class="bad">{ui(lang, 'faultRefused', { why: inert(f.error ?? '') })}</span>}
            </li>
          );
        })}
        {open.map((p) => {
          const what = inert(ui(lang, p.what.key, p.what.params));
          return (
            <li key={`p${p.id}`} data-testid={p.state === 'pending' ? 'fault-pending' : p.state === 'timeout' ? 'fault-timeout' : 'fault-refused'} data-op={p.op} role="status">
              <span class="muted">{formatClock(p.sentAt, lang)}</span>{' '}
              {p.state === 'pending' ? (
                ui(lang, 'faultPending', { what })
              ) : p.state === 'timeout' ? (
                <span class="bad">{ui(lang, 'faultTimeout', { what, s: FAULT_ANSWER_MS / 1000 })}</span>
              ) : (
                <span class="bad">{`${what} — ${ui(lang, 'faultRefused', { why: inert(hubReason(p.error, lang)) })}`}</span>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

/** The hub's refusals travel as codes (protocol.ts hub-fault-refused), said here in the panel's language. */
function hubReason(error: string | undefined, lang: UiLang): string {
  if (error === 'no-document') return ui(lang, 'faultNoDocument');
  if (error === 'unreachable') return ui(lang, 'faultUnreachable');
  return error ?? '';
}
