// The toolbar's deep capture switch (Chrome's live panel only) and the dialog that explains it
// before the first turn-on of a panel session. Remembered origins (the dialog's checkbox) turn
// it on by themselves when the panel opens on them; turning it off forgets the origin.
import { useEffect, useRef, useState } from 'preact/hooks';
import { deepChecked, deepLabel, deepNote, isRemembered, setRemembered } from '../deep.ts';
import { ui, type UiLang } from '../i18n.ts';
import type { PanelStore } from '../store.ts';
import { Modal } from './Modal.tsx';

interface Props {
  store: PanelStore;
  lang: UiLang;
  /** The inspected page's origin (its top document's), once the hub has named it. */
  origin: string | undefined;
  /** Where remembered origins are kept: the panel page's localStorage. */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function DeepSwitch({ store, lang, origin, storage }: Props) {
  const [asking, setAsking] = useState(false);
  const [remember, setRemember] = useState(false);
  // Once per panel session: after the user read the dialog, the switch acts at once.
  const confirmed = useRef(false);
  // Each origin turns it on by itself once per panel session, not again after the user turned it off.
  const autoDone = useRef(new Set<string>());
  const view = store.deep;
  const on = deepChecked(view);

  useEffect(() => {
    if (!origin || autoDone.current.has(origin)) return;
    autoDone.current.add(origin);
    if (!on && isRemembered(storage, origin)) store.setDeep(true);
  }, [origin]);

  const flip = (want: boolean) => {
    if (!want) {
      setRemembered(storage, origin, false);
      store.setDeep(false);
      return;
    }
    if (confirmed.current) {
      store.setDeep(true);
      return;
    }
    setRemember(false);
    setAsking(true);
  };
  const ok = () => {
    confirmed.current = true;
    setAsking(false);
    if (remember) setRemembered(storage, origin, true);
    store.setDeep(true);
  };
  const label = deepLabel(view);
  const note = deepNote(view);

  return (
    <>
      <label class="tb-check tb-deep" title={ui(lang, 'deepTitle')} data-origin={origin}>
        <input
          type="checkbox"
          role="switch"
          data-testid="deep-toggle"
          checked={on}
          aria-checked={on}
          aria-describedby="deep-state"
          aria-label={ui(lang, 'deep')}
          onChange={(e) => {
            const want = e.currentTarget.checked;
            // The switch shows the hub's state, not the click: the dialog may still say no.
            e.currentTarget.checked = on;
            flip(want);
          }}
        />
        <span class="tb-label tb-label-check">{ui(lang, 'deep')}</span>
      </label>
      <span
        id="deep-state"
        class={`deep-state deep-${view.state}`}
        data-testid="deep-state"
        data-state={view.state}
        data-error={view.error}
        data-workers={view.workers}
        role="status"
        title={label ? ui(lang, label.key, label.params) : undefined}
      >
        {label ? ui(lang, label.key, label.params) : ''}
      </span>
      {note && (
        <span class="deep-note" data-testid="deep-note" role="note" title={ui(lang, note.key, note.params)}>
          {ui(lang, note.key, note.params)}
        </span>
      )}
      {asking && (
        <Modal title={ui(lang, 'deepDialogTitle')} testid="deep-dialog" onClose={() => setAsking(false)} onSubmit={ok}>
          <p class="modal-text">{ui(lang, 'deepWhat')}</p>
          <p class="modal-text">{ui(lang, 'deepBar')}</p>
          <p class="modal-text muted-wrap">{ui(lang, 'deepOff')}</p>
          <label class="modal-check">
            <input type="checkbox" data-testid="deep-remember" disabled={!origin} checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
            {origin ? ui(lang, 'deepRemember', { origin }) : ui(lang, 'deepRememberNone')}
          </label>
          <div class="modal-actions">
            <button type="button" class="tb-btn" data-testid="deep-cancel" onClick={() => setAsking(false)}>{ui(lang, 'cancel')}</button>
            <button type="submit" class="tb-btn primary" data-testid="deep-ok" data-autofocus>{ui(lang, 'deepOk')}</button>
          </div>
        </Modal>
      )}
    </>
  );
}
