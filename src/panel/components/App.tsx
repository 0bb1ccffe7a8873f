// The panel: toolbar, connection list, details of the selected connection, status bar.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Diagnosis, DiagnosisCategory } from '../../core/diagnosis/diagnose.ts';
import type { HarSource, ImportedSession } from '../../core/har/har.ts';
import type { PanelToHub } from '../../core/wire/protocol.ts';
import type { Connection } from '../../core/session/session.ts';
import { categoryLabel } from '../categories.ts';
import { derive, DeriveThrottle } from '../derive.ts';
import { buildHarText, download, harFileName, readHarFile, type ExportChoice } from '../har-io.ts';
import { ui, type UiLang } from '../i18n.ts';
import type { PanelStore } from '../store.ts';
import { ConnectionTable } from './ConnectionTable.tsx';
import { Explanation } from './Explanation.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { Icon } from './Icon.tsx';
import { MessageTable } from './MessageTable.tsx';
import { CategoryBadge } from './OutcomeBadge.tsx';
import { Overview } from './Overview.tsx';
import { SummaryStrip } from './SummaryStrip.tsx';
import { Timeline } from './Timeline.tsx';

interface Props {
  store: PanelStore;
  send: (msg: PanelToHub) => void;
  initialLang: UiLang;
  onLang: (lang: UiLang) => void;
  /** False in the standalone viewer opened without a tab: only files can be shown. */
  live: boolean;
  /** Asks for the permission network details need (host.ts); undefined: this page cannot ask. */
  requestNetAccess?: () => Promise<boolean | undefined>;
}

/** A .har file being viewed instead of the live session (which goes on underneath). */
interface OpenFile {
  name: string;
  imported: ImportedSession;
  warnings: string[];
  source: HarSource;
}

function useStoreVersion(store: PanelStore): number {
  const [v, setV] = useState(store.version);
  useEffect(() => {
    const off = store.subscribe(() => setV(store.version));
    // Effects run after the first paint: catch up with whatever arrived in between.
    setV(store.version);
    return off;
  }, [store]);
  return v;
}

function matches(c: Connection, d: Diagnosis | undefined, q: string, lang: UiLang): boolean {
  if (!q) return true;
  const cat = d ? `${d.category} ${categoryLabel(d.category, lang)}` : '';
  const net = d?.net ? ` ${d.net.label} ${d.net.cls}` : '';
  const hay = `${c.url} ${c.close?.code ?? ''} ${c.close?.reason ?? ''} ${cat}${net}`.toLowerCase();
  return hay.includes(q.toLowerCase());
}

const NO_DOCS = new Map<string, never>();

type Tab = 'explanation' | 'messages' | 'overview';
const TABS: readonly Tab[] = ['explanation', 'messages', 'overview'];

export function App({ store, send, initialLang, onLang, live, requestNetAccess }: Props) {
  const renderStart = performance.now();
  const version = useStoreVersion(store);
  const [lang, setLang] = useState<UiLang>(initialLang);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>('explanation');
  const [category, setCategory] = useState<DiagnosisCategory | undefined>();
  const [cursor, setCursor] = useState<number | undefined>();
  const [preserve, setPreserve] = useState(store.preserveLog);
  const [now, setNow] = useState(Date.now());
  const [file, setFile] = useState<OpenFile | undefined>();
  const [importError, setImportError] = useState<string | undefined>();
  const [exporting, setExporting] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [grantNote, setGrantNote] = useState(false);

  // Live durations tick once a second; nothing else polls.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // Diagnoses depend on "now" only for live sockets; recomputing on data changes (and on the
  // 1 s tick while something is live) keeps every view in agreement. The live session is
  // derived through a throttle (derive.ts): when it says "not yet", a re-render is due later.
  const anyLive = useMemo(() => [...store.session.connections.values()].some((c) => !c.close), [version]);
  const throttle = useRef<DeriveThrottle>(undefined);
  throttle.current ??= new DeriveThrottle();
  const [, retry] = useState(0);
  const fileDerived = useMemo(() => (file ? derive(file.imported.state, file.imported.endedAt, file.imported) : undefined), [file]);
  const throttled = fileDerived ? undefined : throttle.current.get(store.session, version, anyLive ? now : 0);
  const retryIn = throttled?.retryInMs;
  useEffect(() => {
    if (retryIn === undefined) return;
    const t = setTimeout(() => retry((n) => n + 1), retryIn);
    return () => clearTimeout(t);
  }, [retryIn, version]);
  const derived = fileDerived ?? throttled!.derived;
  // Layout effects run once the whole tree has rendered: the cost of this pass, timeline included.
  useLayoutEffect(() => {
    if (throttled) throttle.current!.rendered(throttled.derived, performance.now() - renderStart);
  });
  const session = file ? file.imported.state : store.session;
  const all = derived.connections;
  const rows = useMemo(
    () => all.filter((c) => (!category || derived.diagnoses.get(c.id)?.category === category) && matches(c, derived.diagnoses.get(c.id), filter, lang)),
    [derived, filter, category, lang],
  );
  // The selected connection as of this store version: its message list is a copy, so the views
  // see it change only when the store notifies. With the live array, every render the list
  // caused itself (a scroll event) found new messages, followed them to the bottom and forced
  // a layout, which fired the next scroll event: a loop at frame rate, beside the store's
  // pacing, that took ~1 s of layout per 3 s at 10,000 msg/s (profile, bench/panel.bench.ts).
  const liveConn = selected ? session.connections.get(selected) : undefined;
  const conn = useMemo(() => (liveConn ? { ...liveConn, messages: liveConn.messages.slice() } : undefined), [liveConn, version]);
  const diagnosis = conn ? derived.diagnoses.get(conn.id) : undefined;
  const drops = file ? file.imported.drops : store.drops();

  // The timeline draws every connection and buckets every message: re-rendered only when the
  // derived data (or what it shows) changes, not on every store change in between. The same
  // vnode object makes Preact skip the subtree (its strict-equality bailout).
  const timeline = useMemo(
    () =>
      all.length > 0 && (
        <Timeline
          connections={all}
          diagnoses={derived.diagnoses}
          chains={derived.chains}
          selected={selected}
          onSelect={setSelected}
          cursor={cursor}
          onCursor={setCursor}
          now={derived.now}
          lang={lang}
        />
      ),
    [derived, selected, cursor, lang],
  );

  const openFile = async (f: File) => {
    setImportError(undefined);
    try {
      const r = await readHarFile(f);
      if (!r.ok) {
        // The live session is untouched: nothing was replaced yet.
        setImportError(ui(lang, 'importError', { name: f.name, error: r.error }));
        return;
      }
      setSelected(undefined);
      setCategory(undefined);
      setFile({ name: f.name, imported: r.session, warnings: r.warnings, source: r.source });
    } catch (err) {
      setImportError(ui(lang, 'importError', { name: f.name, error: String((err as Error)?.message ?? err) }));
    }
  };

  const exportNow = (choice: ExportChoice) => {
    setExporting(false);
    if (choice.selected) choice.selected = selected ? [selected] : [];
    const input = file
      ? file.imported
      : {
          connections: all,
          context: store.session.context,
          diagnoses: derived.diagnoses,
          network: derived.network,
          drops,
          pageUrl: [...store.docs.values()].find((d) => d.top && !d.gone)?.url ?? [...store.docs.values()][0]?.url ?? '',
        };
    download(buildHarText(input, choice, lang), harFileName(file ? undefined : input.pageUrl));
  };

  const clear = () => {
    if (file) setFile(undefined);
    else send({ type: 'panel-clear' });
    setSelected(undefined);
  };

  // Shortcuts read the latest state through a ref: the listener is registered once.
  const actions = useRef({ clear, exportNow });
  actions.current = { clear, exportNow };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'l') actions.current.clear();
      else if (k === 's') actions.current.exportNow({ redact: true });
      else if (k === 'o') fileInput.current?.click();
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div
      class={`app${dragging ? ' dragging' : ''}`}
      lang={lang}
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        setDragging(false);
        const f = e.dataTransfer?.files[0];
        if (!f) return;
        e.preventDefault();
        void openFile(f);
      }}
    >
      <div class="toolbar" role="toolbar" aria-label="Socket Autopsy">
        <button class="tb-btn" data-testid="clear" title={ui(lang, 'clearTitle')} aria-label={ui(lang, 'clear')} onClick={clear}>
          <Icon name="clear" /> {ui(lang, 'clear')}
        </button>
        <span class="tb-sep" />
        <label class="tb-check" title={ui(lang, 'preserveLogTitle')} hidden={!live}>
          <input
            type="checkbox"
            data-testid="preserve-log"
            checked={preserve}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setPreserve(on);
              send({ type: 'panel-preserve-log', on });
            }}
          />
          {ui(lang, 'preserveLog')}
        </label>
        <span class="tb-sep" />
        <input
          class="tb-filter"
          type="search"
          data-testid="filter"
          aria-label={ui(lang, 'filter')}
          placeholder={ui(lang, 'filterPlaceholder')}
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <span class="tb-sep" />
        <span class="tb-anchor">
          <button class="tb-btn" data-testid="export" title={ui(lang, 'exportTitle')} aria-haspopup="dialog" aria-expanded={exporting} onClick={() => setExporting(!exporting)}>
            ⤓ {ui(lang, 'exportHar')}
          </button>
          {exporting && <ExportMenu lang={lang} hasSelection={selected !== undefined} onExport={exportNow} onClose={() => setExporting(false)} />}
        </span>
        <button class="tb-btn" data-testid="import" title={ui(lang, 'importTitle')} onClick={() => fileInput.current?.click()}>
          ⤒ {ui(lang, 'importHar')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".har,.json,application/json"
          data-testid="import-input"
          class="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void openFile(f);
          }}
        />
        <span class="tb-grow" />
        <label class="tb-lang">
          <span class="sr-only">{ui(lang, 'language')}</span>
          <select
            data-testid="language"
            aria-label={ui(lang, 'language')}
            value={lang}
            onChange={(e) => {
              const l = e.currentTarget.value as UiLang;
              setLang(l);
              onLang(l);
            }}
          >
            <option value="en">English</option>
            <option value="ja">日本語</option>
          </select>
        </label>
      </div>
      {importError && (
        <div class="notice error" role="alert" data-testid="import-error">
          {importError}
          <button class="tb-btn" aria-label="×" onClick={() => setImportError(undefined)}>×</button>
        </div>
      )}
      {file && (
        <div class="notice file" data-testid="file-banner" data-source={file.source}>
          {ui(lang, 'fileBanner', { name: file.name, n: all.length })}
          {file.source === 'chrome' && <span> · {ui(lang, 'fileFromChrome')}</span>}
          {file.warnings.length > 0 && <span class="muted" data-testid="file-warnings" title={file.warnings.join('\n')}> · ⚠ {file.warnings.length}</span>}
          {live && (
            <button class="tb-btn" data-testid="back-to-live" onClick={() => { setFile(undefined); setSelected(undefined); }}>
              {ui(lang, 'backToLive')}
            </button>
          )}
        </div>
      )}
      {live && !file && !store.netAccess && (
        <div class="notice" role="status" data-testid="net-access-banner">
          {ui(lang, 'netAccessMissing')}{' '}
          {grantNote ? (
            <span data-testid="net-access-here">{ui(lang, 'netAccessGrantHere')}</span>
          ) : (
            <button
              class="tb-btn"
              data-testid="net-access-grant"
              onClick={() => void requestNetAccess?.().then((r) => r === undefined && setGrantNote(true))}
            >
              {ui(lang, 'netAccessGrant')}
            </button>
          )}
        </div>
      )}
      <SummaryStrip items={derived.summary} active={category} onPick={setCategory} lang={lang} />
      {timeline}
      <div class={`main${conn ? ' with-detail' : ''}`}>
        <ConnectionTable
          rows={rows}
          diagnoses={derived.diagnoses}
          network={derived.network}
          docs={file ? NO_DOCS : store.docs}
          selected={selected}
          onSelect={setSelected}
          lang={lang}
          now={now}
          emptyText={all.length ? ui(lang, 'emptyFiltered') : live || file ? ui(lang, 'empty') : ui(lang, 'viewerEmpty')}
        />
        {conn && (
          <section class="detail" data-testid="detail" aria-label={conn.url}>
            <div class="detail-head">
              <button class="tb-btn close-x" data-testid="close-detail" aria-label={ui(lang, 'closeDetail')} title={ui(lang, 'closeDetail')} onClick={() => setSelected(undefined)}>
                ×
              </button>
              <div role="tablist" class="tabs">
                {TABS.map((t) => (
                  <button key={t} role="tab" aria-selected={tab === t} class={tab === t ? 'tab active' : 'tab'} data-testid={`tab-${t}`} onClick={() => setTab(t)}>
                    {ui(lang, t)}
                  </button>
                ))}
              </div>
              <span class="detail-title">
                {diagnosis && <CategoryBadge category={diagnosis.category} lang={lang} testid="detail-outcome" />}
                <span data-testid="detail-code">{conn.close ? conn.close.code : ''}</span>
              </span>
            </div>
            <div class="detail-body" role="tabpanel">
              {tab === 'explanation' && diagnosis ? (
                <Explanation conn={conn} diagnosis={diagnosis} lang={lang} />
              ) : tab === 'messages' ? (
                <MessageTable conn={conn} lang={lang} cursor={cursor} onCursor={setCursor} version={version} />
              ) : (
                <Overview conn={conn} net={derived.network.get(conn.id)} ambiguous={derived.ambiguous.get(conn.id)} lang={lang} />
              )}
            </div>
          </section>
        )}
      </div>
      <div class="statusbar" data-testid="statusbar">
        <span data-testid="conn-count">{ui(lang, 'summaryCount', { n: all.length })}</span>
        {drops.malformed > 0 && <span class="warn" data-testid="drops-malformed">{ui(lang, 'dropsMalformed', { n: drops.malformed })}</span>}
        {drops.evicted > 0 && <span class="warn" data-testid="drops-evicted">{ui(lang, 'dropsEvicted', { n: drops.evicted })}</span>}
        {drops.hook > 0 && <span class="warn" data-testid="drops-hook">{ui(lang, 'dropsHook', { n: drops.hook })}</span>}
        {!file && store.netDropped() > 0 && <span class="warn" data-testid="drops-net">{ui(lang, 'dropsNet', { n: store.netDropped() })}</span>}
        {live && !file && !store.connected && <span class="warn" data-testid="disconnected">{ui(lang, 'disconnected')}</span>}
        <span class="tb-grow" />
        <span class="muted" title={ui(lang, 'workerNote')} data-testid="worker-note"><Icon name="info" /> {ui(lang, 'workerNote')}</span>
      </div>
    </div>
  );
}
