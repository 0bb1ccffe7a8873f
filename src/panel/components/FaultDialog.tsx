// The fault dialogs: the first-time confirmation, and one form per action that needs values,
// validated as it is typed (view/faults.ts buildFault) with the problem under its field.
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { FaultCommand } from '../../core/faults/commands.ts';
import type { Connection } from '../../core/session/connection.ts';
import { utf8Length } from '../../core/wire/payload.ts';
import { formatBytes, inert } from '../format.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { buildFault, CLOSE_PRESETS, payloadOf, type DialogKind, type FaultForm } from '../view/faults.ts';
import { Modal } from './Modal.tsx';

export function ConfirmFaults({ lang, onOk, onCancel }: { lang: UiLang; onOk: () => void; onCancel: () => void }) {
  return (
    <Modal title={ui(lang, 'confirmTitle')} testid="fault-confirm" onClose={onCancel} onSubmit={onOk}>
      <p class="modal-text">{ui(lang, 'confirmBody')}</p>
      <p class="modal-text muted-wrap">{ui(lang, 'confirmUndo')}</p>
      <div class="modal-actions">
        <button type="button" class="tb-btn" data-testid="fault-confirm-cancel" onClick={onCancel}>{ui(lang, 'cancel')}</button>
        <button type="submit" class="tb-btn primary" data-testid="fault-confirm-ok" data-autofocus>{ui(lang, 'confirmOk')}</button>
      </div>
    </Modal>
  );
}

const TITLE: Record<DialogKind, UiKey> = {
  close: 'dlgClose',
  silence: 'dlgSilence',
  delay: 'dlgDelay',
  'drop-next': 'dlgDropNext',
  block: 'dlgBlock',
  'fail-next': 'dlgFailNext',
  send: 'dlgSend',
};

interface Props {
  kind: DialogKind;
  conn: Connection;
  initial: FaultForm;
  lang: UiLang;
  /** Sends the command; returns a problem to show (nothing was sent) or undefined. */
  onApply: (cmd: FaultCommand) => string | undefined;
  onClose: () => void;
}

export function FaultDialog({ kind, conn, initial, lang, onApply, onClose }: Props) {
  const [f, setF] = useState<FaultForm>(initial);
  const [sendError, setSendError] = useState<string | undefined>();
  const set = <K extends keyof FaultForm>(k: K, v: FaultForm[K]) => {
    setSendError(undefined);
    setF((s) => ({ ...s, [k]: v }));
  };
  const built = useMemo(() => buildFault(kind, f, conn.sid), [kind, f, conn.sid]);
  const problem = 'problem' in built ? built.problem : undefined;
  const err = (field: keyof FaultForm) =>
    problem?.field === field ? (
      <div class="field-error" role="alert" data-testid="fault-error" data-field={field}>{ui(lang, problem.key, problem.params)}</div>
    ) : null;
  const text = (field: 'code' | 'reason' | 'seconds' | 'ms' | 'n' | 'pattern' | 'url', label: UiKey, extra?: ComponentChildren, autofocus = false) => (
    <label class="field">
      <span class="field-label">{ui(lang, label)}</span>
      <input
        type="text"
        data-testid={`fault-${field}`}
        value={f[field]}
        aria-invalid={problem?.field === field}
        data-autofocus={autofocus || undefined}
        onInput={(e) => set(field, e.currentTarget.value)}
      />
      {extra}
      {err(field)}
    </label>
  );
  const radios = <K extends 'mode' | 'as' | 'dir' | 'format'>(field: K, label: UiKey, options: Array<[FaultForm[K], UiKey]>) => (
    <fieldset class="field">
      <legend class="field-label">{ui(lang, label)}</legend>
      {options.map(([v, k]) => (
        <label key={String(v)} class="tb-check">
          <input type="radio" name={field} data-testid={`fault-${field}-${String(v)}`} checked={f[field] === v} onChange={() => set(field, v)} />
          {ui(lang, k)}
        </label>
      ))}
    </fieldset>
  );
  const codeAndReason = (
    <>
      {text(
        'code',
        'fldCode',
        <div class="presets">
          {CLOSE_PRESETS.map((c) => (
            <button key={c} type="button" class={`tb-btn chip${f.code === String(c) ? ' on' : ''}`} data-testid={`code-preset-${c}`} onClick={() => set('code', String(c))}>{c}</button>
          ))}
          <span class="muted small">{ui(lang, 'fldCodeHint')}</span>
        </div>,
        true,
      )}
      {text('reason', 'fldReason', <span class="muted small" data-testid="fault-reason-bytes">{ui(lang, 'reasonBytes', { n: utf8Length(f.reason) })}</span>)}
    </>
  );
  const payload = kind === 'send' ? payloadOf(f.format, f.data) : undefined;
  return (
    <Modal title={ui(lang, TITLE[kind])} testid="fault-dialog" onClose={onClose} onSubmit={() => {
      if (!('cmd' in built)) return;
      const why = onApply(built.cmd);
      if (why) setSendError(why);
      else onClose();
    }}>
      <div class="modal-sub muted" title={inert(conn.url)}>{inert(conn.url)}</div>
      {kind === 'close' && codeAndReason}
      {kind === 'silence' && (
        <>
          {text('seconds', 'fldSeconds', undefined, true)}
          {radios('mode', 'fldThen', [['hold', 'modeHold'], ['drop', 'modeDrop']])}
        </>
      )}
      {kind === 'delay' && text('ms', 'fldMs', undefined, true)}
      {kind === 'drop-next' && text('n', 'fldCount', undefined, true)}
      {kind === 'block' && (
        <>
          {text('pattern', 'fldPattern', undefined, true)}
          <label class="tb-check">
            <input type="checkbox" data-testid="fault-regex" checked={f.regex} onChange={(e) => set('regex', e.currentTarget.checked)} />
            {ui(lang, 'fldRegex')}
          </label>
        </>
      )}
      {kind === 'fail-next' && (
        <>
          {text('url', 'fldUrl')}
          {text(
            'n',
            'fldAttempts',
            <label class="tb-check">
              <input type="checkbox" data-testid="fault-until-off" checked={f.untilOff} onChange={(e) => set('untilOff', e.currentTarget.checked)} />
              {ui(lang, 'fldUntilOff')}
            </label>,
            true,
          )}
          {radios('as', 'fldFailAs', [['before-open', 'failBefore'], ['after-open', 'failAfter']])}
          {f.as === 'after-open' && codeAndReason}
        </>
      )}
      {kind === 'send' && (
        <>
          {radios('dir', 'fldDir', [['in', 'dirIn'], ['out', 'dirOut']])}
          {radios('format', 'fldFormat', [['text', 'fmtText'], ['hex', 'fmtHex'], ['base64', 'fmtB64']])}
          <label class="field">
            <span class="field-label">
              {ui(lang, 'fldData')}
              <span class="muted small" data-testid="fault-data-size">{payload && 'size' in payload ? ` · ${formatBytes(payload.size)}` : ''}</span>
            </span>
            <textarea data-testid="fault-data" rows={5} value={f.data} aria-invalid={problem?.field === 'data'} data-autofocus onInput={(e) => set('data', e.currentTarget.value)} />
          </label>
        </>
      )}
      {err('data')}
      {sendError && <div class="field-error" role="alert" data-testid="fault-send-error">{ui(lang, 'errProblem', { why: sendError })}</div>}
      <div class="modal-actions">
        <button type="button" class="tb-btn" data-testid="fault-cancel" onClick={onClose}>{ui(lang, 'cancel')}</button>
        <button type="submit" class="tb-btn primary" data-testid="fault-apply" disabled={!!problem}>{ui(lang, 'apply')}</button>
      </div>
    </Modal>
  );
}
