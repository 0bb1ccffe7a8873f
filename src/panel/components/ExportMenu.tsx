// The export popover: all or the selected connection, redaction (on by default, payloads
// included: what it covers is listed under the box, from privacy/redact.ts), payload cap.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExportChoice } from '../har-io.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';

/** What redaction covers, and what it keeps, in the words of PRIVACY.md. */
const COVERS: readonly UiKey[] = ['exportCoversUrls', 'exportCoversHeaders', 'exportCoversPayloads', 'exportCoversText', 'exportCoversNot'];

interface Props {
  lang: UiLang;
  hasSelection: boolean;
  onExport: (choice: ExportChoice) => void;
  onClose: () => void;
}

export function ExportMenu({ lang, hasSelection, onExport, onClose }: Props) {
  const [selectedOnly, setSelectedOnly] = useState(false);
  const [redact, setRedact] = useState(true);
  const [cap, setCap] = useState<'full' | '1k' | 'none'>('full');
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button[type="submit"]')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <form
      ref={ref}
      class="popover"
      aria-label={ui(lang, 'exportHar')}
      data-testid="export-menu"
      onSubmit={(e) => {
        e.preventDefault();
        const choice: ExportChoice = { redact };
        if (selectedOnly) choice.selected = [];
        if (cap === '1k') choice.payloadCap = 1024;
        if (cap === 'none') choice.payloadCap = 0;
        onExport(choice);
      }}
    >
      <label class="tb-check">
        <input type="checkbox" data-testid="export-selected" disabled={!hasSelection} checked={selectedOnly && hasSelection} onChange={(e) => setSelectedOnly(e.currentTarget.checked)} />
        {ui(lang, 'exportSelected')}
      </label>
      <label class="tb-check">
        <input type="checkbox" data-testid="export-redact" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} />
        {ui(lang, 'exportRedact')}
      </label>
      {redact && (
        <ul class="export-covers" data-testid="export-redact-covers">
          {COVERS.map((k) => (
            <li key={k}>{ui(lang, k)}</li>
          ))}
        </ul>
      )}
      <label class="tb-check">
        {ui(lang, 'exportPayload')}
        <select data-testid="export-payload" value={cap} onChange={(e) => setCap(e.currentTarget.value as typeof cap)}>
          <option value="full">{ui(lang, 'exportPayloadFull')}</option>
          <option value="1k">{ui(lang, 'exportPayload1k')}</option>
          <option value="none">{ui(lang, 'exportPayloadNone')}</option>
        </select>
      </label>
      <div class="popover-actions">
        <button type="submit" class="tb-btn primary" data-testid="export-save">{ui(lang, 'exportSave')}</button>
      </div>
    </form>
  );
}
