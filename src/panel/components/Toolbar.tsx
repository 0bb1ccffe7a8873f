// The panel's toolbar: clear, preserve log, deep capture, the filter box, export and import, the language.
import type { ComponentChildren } from 'preact';
import type { ExportChoice } from '../har-io.ts';
import { ui, type UiLang } from '../i18n.ts';
import { FILTER_MAX } from '../prefs.ts';
import { ExportMenu } from './ExportMenu.tsx';
import { Icon } from './Icon.tsx';
import { mui } from '../i18n-menu.ts';

/**
 * The panel width under which the filter box's placeholder is one word: the whole sentence
 * needs ~170 px at 12 px system-ui, which the box only has once the buttons show their labels.
 */
const SHORT_PLACEHOLDER_PX = 900;

interface Props {
  lang: UiLang;
  onLang: (lang: UiLang) => void;
  /** False in the standalone viewer: no preserve log. */
  live: boolean;
  onClear: () => void;
  preserve: boolean;
  onPreserve: (on: boolean) => void;
  filter: string;
  onFilter: (text: string) => void;
  /** Regexes in the filter that do not compile (they are ignored): the box says so. */
  filterInvalid?: string[];
  exporting: boolean;
  onExporting: (open: boolean) => void;
  hasSelection: boolean;
  onExport: (choice: ExportChoice) => void;
  /** The hidden file input, also opened by Ctrl+O. */
  fileInput: { current: HTMLInputElement | null };
  onImport: (f: File) => void;
  /** The deep capture switch, where the panel offers it (Chrome's live panel). */
  deep?: ComponentChildren;
  /** The panel's width (ResizeObserver): narrow panels get the short placeholder. */
  width: number;
}

export function Toolbar(p: Props) {
  const { lang } = p;
  return (
    <div class="toolbar" role="toolbar" aria-label="Socket Autopsy" data-testid="toolbar">
      <button class="tb-btn" data-testid="clear" title={ui(lang, 'clearTitle')} aria-label={ui(lang, 'clear')} onClick={p.onClear}>
        <Icon name="clear" /> <span class="tb-label">{ui(lang, 'clear')}</span>
      </button>
      <span class="tb-sep" />
      <label class="tb-check" title={ui(lang, 'preserveLogTitle')} hidden={!p.live}>
        <input type="checkbox" data-testid="preserve-log" aria-label={ui(lang, 'preserveLog')} checked={p.preserve} onChange={(e) => p.onPreserve(e.currentTarget.checked)} />
        <span class="tb-label tb-label-check">{ui(lang, 'preserveLog')}</span>
      </label>
      {p.deep && (
        <>
          <span class="tb-sep" />
          {p.deep}
        </>
      )}
      <span class="tb-sep" />
      <input
        type="search"
        data-testid="filter"
        aria-label={ui(lang, 'filter')}
        placeholder={p.width >= SHORT_PLACEHOLDER_PX ? ui(lang, 'filterPlaceholder') : mui(lang, 'filterShort')}
        title={ui(lang, 'filterHelp')}
        class={`tb-filter${p.filterInvalid?.length ? ' invalid' : ''}`}
        aria-invalid={p.filterInvalid?.length ? true : undefined}
        aria-describedby={p.filterInvalid?.length ? 'filter-invalid' : undefined}
        maxLength={FILTER_MAX}
        value={p.filter}
        onInput={(e) => p.onFilter(e.currentTarget.value)}
      />
      {p.filterInvalid?.length ? (
        <span id="filter-invalid" class="warn small" role="status" data-testid="filter-invalid">
          {ui(lang, 'filterInvalid', { pattern: p.filterInvalid.join(' ') })}
        </span>
      ) : null}
      <span class="tb-sep" />
      <span class="tb-anchor">
        <button class="tb-btn" data-testid="export" title={ui(lang, 'exportTitle')} aria-label={ui(lang, 'exportHar')} aria-haspopup="dialog" aria-expanded={p.exporting} onClick={() => p.onExporting(!p.exporting)}>
          ⤓ <span class="tb-label">{ui(lang, 'exportHar')}</span>
        </button>
        {p.exporting && <ExportMenu lang={lang} hasSelection={p.hasSelection} onExport={p.onExport} onClose={() => p.onExporting(false)} />}
      </span>
      <button class="tb-btn" data-testid="import" title={ui(lang, 'importTitle')} aria-label={ui(lang, 'importHar')} onClick={() => p.fileInput.current?.click()}>
        ⤒ <span class="tb-label">{ui(lang, 'importHar')}</span>
      </button>
      <input
        ref={p.fileInput}
        type="file"
        accept=".har,.json,application/json"
        data-testid="import-input"
        class="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) p.onImport(f);
        }}
      />
      <span class="tb-grow" />
      <label class="tb-lang">
        <span class="sr-only">{ui(lang, 'language')}</span>
        <select data-testid="language" aria-label={ui(lang, 'language')} value={lang} onChange={(e) => p.onLang(e.currentTarget.value as UiLang)}>
          <option value="en">English</option>
          <option value="ja">日本語</option>
        </select>
      </label>
    </div>
  );
}
