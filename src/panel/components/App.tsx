// The panel: toolbar, connection list, details of the selected connection, status bar. This
// composes the views; the view state's rules live in ../view/ (selection, filters, the open
// file, keyboard shortcuts) as plain functions.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PanelToHub } from '../../core/wire/protocol.ts';
import { originOf, unseenHints, type PanelPlace } from '../deep.ts';
import { localHar, type DeriverClient } from '../deriver/client.ts';
import { buildHarText, download, harFileName, readHarFile, type ExportChoice } from '../har-io.ts';
import { ui, type UiLang } from '../i18n.ts';
import type { PanelStore } from '../store.ts';
import { backToLive, dismissError, importFinished, importStarted, importThrew, LIVE, type FileState } from '../view/file.ts';
import { activeCategory, hasOutcomeTerm, visibleRows, withCategory, type Filters } from '../view/filters.ts';
import { invalidPatterns, parseFilter } from '../view/filter-query.ts';
import { layoutCss } from '../layout-css.ts';
import { DEFAULT_PREFS, mergePrefs, SPLIT, TIMELINE, type Prefs } from '../prefs.ts';
import { Splitter } from './Splitter.tsx';
import { useDerived, useFileDrop, useNow, useShortcuts, useStoreVersion } from '../view/hooks.ts';
import { keepMulti, NO_MULTI, only, targetsOf, type MultiSelection } from '../view/selection.ts';
import { useSize } from '../use-size.ts';
import { mui } from '../i18n-menu.ts';
import { ContextMenu } from './ContextMenu.tsx';
import { rowMenuItems } from './RowMenu.tsx';
import type { Connection } from '../../core/session/session.ts';
import { ConnectionTable } from './ConnectionTable.tsx';
import { DeepSwitch } from './DeepSwitch.tsx';
import { Detail, type Tab } from './Detail.tsx';
import { InjectedList, useFaults } from './Faults.tsx';
import { Notices } from './Notices.tsx';
import { StatusBar } from './StatusBar.tsx';
import { SummaryStrip } from './SummaryStrip.tsx';
import { Timeline } from './Timeline.tsx';
import { Toolbar } from './Toolbar.tsx';

interface Props {
  store: PanelStore;
  send: (msg: PanelToHub) => void;
  initialLang: UiLang;
  onLang: (lang: UiLang) => void;
  /** False in the standalone viewer opened without a tab: only files can be shown. */
  live: boolean;
  /** Asks for the permission network details need (host.ts); undefined: this page cannot ask. */
  requestNetAccess?: () => Promise<boolean | undefined>;
  /** Which browser's DevTools hosts the live panel (deep capture is Chrome's), or `file`. */
  place?: PanelPlace;
  /** Where deep capture's remembered origins live (the panel page's localStorage). */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  /** The file to open first (the web viewer's ?har=), with the name to show if it cannot be had. */
  initialFile?: { name: string; file: Promise<File> };
  /** Derives the live session off the panel's thread (deriver/client.ts); absent: derived here. */
  deriver?: DeriverClient;
  /** What the panel remembers between sessions (prefs.ts), as read back, and where changes go. */
  initialPrefs?: Prefs;
  onPrefs?: (prefs: Prefs) => void;
}

const NO_DOCS = new Map<string, never>();
/**
 * Below this panel width the detail replaces the list (with a back control) instead of sharing
 * the row with it: beside a 45% list, the explanation had under 350 px and the list's columns a
 * few letters each (DevTools docked right is 400–550 px wide by default).
 */
export const NARROW_PX = 640;

export function App({ store, send, initialLang, onLang, live, requestNetAccess, place = 'file', storage, initialFile, deriver, initialPrefs, onPrefs }: Props) {
  const version = useStoreVersion(store);
  const now = useNow();
  const [fs, setFs] = useState<FileState>(LIVE);
  const file = fs.file;
  // Called early in the render: the render is timed from here (see useDerived).
  const derived = useDerived(store, version, file, now, deriver);
  const [lang, setLang] = useState<UiLang>(initialLang);
  const [prefs, setPrefs] = useState<Prefs>(initialPrefs ?? DEFAULT_PREFS);
  const patchPrefs = (patch: Partial<Prefs>) => setPrefs((s) => mergePrefs(s, patch));
  const savedPrefs = useRef(prefs);
  useEffect(() => {
    if (prefs === savedPrefs.current) return;
    savedPrefs.current = prefs;
    onPrefs?.(prefs);
  }, [prefs]);
  // The filter is one remembered string; the summary's chips are terms of it (view/filters.ts).
  const filters = useMemo<Filters>(() => ({ text: prefs.filter }), [prefs.filter]);
  const setFilters = (f: (s: Filters) => Filters) => patchPrefs({ filter: f(filters).text });
  const [multi, setMulti] = useState<MultiSelection>(NO_MULTI);
  const picked = multi.focus;
  const setSelected = (id: string | undefined) => setMulti(only(id));
  // Where the detail replaces the list: whether it is shown (a click or Enter opens, back or Escape returns).
  const [opened, setOpened] = useState(false);
  const [rowMenu, setRowMenu] = useState<{ conn: Connection; at: { x: number; y: number } } | undefined>();
  const appRef = useRef<HTMLDivElement>(null);
  const size = useSize(appRef, { width: innerWidth, height: innerHeight });
  const narrow = size.width < NARROW_PX;
  const [tab, setTab] = useState<Tab>('explanation');
  const [cursor, setCursor] = useState<number | undefined>();
  const [preserve, setPreserve] = useState(store.preserveLog);
  const [exporting, setExporting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const { faults, layer } = useFaults(store, file ? 'file' : live ? 'live' : 'viewer', lang);

  const session = file ? file.imported.state : store.session;
  const all = derived.connections;
  const rows = useMemo(() => visibleRows(all, derived.diagnoses, filters, lang), [derived, filters, lang]);
  const ids = useMemo(() => new Set(all.map((c) => c.id)), [all]);
  const kept = keepMulti(multi, (id) => ids.has(id));
  const selected = kept.focus;
  useEffect(() => {
    if (kept !== multi) setMulti(kept);
  }, [kept, multi]);
  // The selected connection as of this store version: its message list is a copy, so the views
  // see it change only when the store notifies. With the live array, every render the list
  // caused itself (a scroll event) found new messages, followed them to the bottom and forced
  // a layout, which fired the next scroll event: a loop at frame rate, beside the store's
  // pacing, that took ~1 s of layout per 3 s at 10,000 msg/s (profile, bench/panel.bench.ts).
  // A network-only row is not in the session (derive.ts makes it): found among the derived rows.
  const liveConn = selected ? (session.connections.get(selected) ?? all.find((c) => c.id === selected && c.netOnly)) : undefined;
  const conn = useMemo(() => (liveConn ? { ...liveConn, messages: liveConn.messages.slice() } : undefined), [liveConn, version]);
  const drops = file ? file.imported.drops : store.drops();
  const topDoc = [...store.docs.values()].find((d) => d.top && !d.gone);
  // Deep capture is Chrome's live panel's: never over an imported file, never in Firefox.
  const deepHere = live && !file && place === 'chrome' && storage !== undefined;
  const hints = unseenHints(file || !live ? 'file' : place, store.deep);

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
    setFs(importStarted);
    try {
      const r = await readHarFile(f);
      if (r.ok) {
        setSelected(undefined);
        setFilters((s) => withCategory(s, undefined));
      }
      setFs((s) => importFinished(s, f.name, r, lang));
    } catch (err) {
      setFs((s) => importThrew(s, f.name, err, lang));
    }
  };

  useEffect(() => {
    if (!initialFile) return;
    setFs(importStarted);
    initialFile.file.then(
      (f) => void openFile(f),
      (err: unknown) => setFs((s) => importThrew(s, initialFile.name, err, lang)),
    );
    // Once, on mount: the page's URL does not change while it is open.
  }, []);

  const exportNow = (choice: ExportChoice) => {
    setExporting(false);
    // The export menu's "selected" is every selected row; a row's menu names its own.
    if (choice.selected && choice.selected.length === 0) choice.selected = kept.ids.size ? [...kept.ids] : selected ? [selected] : [];
    if (file) {
      download(buildHarText(file.imported, choice, lang), harFileName(undefined));
      return;
    }
    const pageUrl = topDoc?.url ?? [...store.docs.values()][0]?.url ?? '';
    const here = () => localHar(store, choice, lang, pageUrl, derived);
    const blob = deriver ? deriver.exportHar(choice, lang, pageUrl, here) : Promise.resolve(new Blob([here()], { type: 'application/json' }));
    void blob.then((b) => download(b, harFileName(pageUrl)));
  };

  const clear = () => {
    if (file) setFs(backToLive);
    else send({ type: 'panel-clear' });
    setSelected(undefined);
  };

  useShortcuts((s) => {
    if (s === 'clear') clear();
    else if (s === 'export') exportNow({ redact: true });
    else fileInput.current?.click();
  });
  const drop = useFileDrop((f) => void openFile(f));
  const back = () => {
    setOpened(false);
    // The list is shown again on the next render: focus goes back to it, on the same row.
    setTimeout(() => appRef.current?.querySelector<HTMLElement>('[data-testid="connection-table"]')?.focus());
  };
  const showInTimeline = (id: string) => {
    setSelected(id);
    setTimeout(() => {
      const bar = appRef.current?.querySelector(`[data-testid="timeline-bar"][data-conn-id="${CSS.escape(id)}"]`);
      bar?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      // Not a Preact-managed attribute: re-renders keep it until the highlight ends.
      bar?.setAttribute('data-flash', '1');
      setTimeout(() => bar?.removeAttribute('data-flash'), 2000);
    });
  };
  const showDetail = conn !== undefined && (!narrow || opened);

  return (
    <div ref={appRef} class={`app${drop.dragging ? ' dragging' : ''}${narrow ? ' narrow' : ''}`} data-testid="app" data-layout={narrow ? 'narrow' : 'wide'} lang={lang} onDragOver={drop.onDragOver} onDragLeave={drop.onDragLeave} onDrop={drop.onDrop}>
      <Toolbar
        lang={lang}
        onLang={(l) => {
          setLang(l);
          patchPrefs({ lang: l });
          onLang(l);
        }}
        live={live}
        onClear={clear}
        preserve={preserve}
        onPreserve={(on) => {
          setPreserve(on);
          patchPrefs({ preserveLog: on });
          send({ type: 'panel-preserve-log', on });
        }}
        filter={filters.text}
        onFilter={(text) => patchPrefs({ filter: text })}
        filterInvalid={invalidPatterns(parseFilter(filters.text))}
        exporting={exporting}
        onExporting={setExporting}
        hasSelection={selected !== undefined || kept.ids.size > 0}
        onExport={exportNow}
        fileInput={fileInput}
        onImport={(f) => void openFile(f)}
        width={size.width}
        deep={deepHere && storage && <DeepSwitch store={store} lang={lang} origin={originOf(topDoc?.url)} storage={storage} />}
      />
      <Notices
        lang={lang}
        live={live}
        importError={fs.error}
        onDismissError={() => setFs(dismissError)}
        file={file}
        fileCount={all.length}
        onBackToLive={() => {
          setFs(backToLive);
          setSelected(undefined);
        }}
        netAccess={store.netAccess}
        requestNetAccess={requestNetAccess}
      />
      <style data-testid="layout-style">{layoutCss(prefs)}</style>
      <SummaryStrip
        items={derived.summary}
        active={activeCategory(filters.text, derived.summary.map((i) => i.category))}
        allActive={!hasOutcomeTerm(filters.text)}
        onPick={(c) => setFilters((s) => withCategory(s, c))}
        lang={lang}
      />
      {timeline}
      {timeline && (
        <Splitter
          orientation="horizontal"
          testid="timeline-resize"
          label={ui(lang, 'resizeTimeline')}
          value={prefs.timelineHeight}
          min={TIMELINE.min}
          max={TIMELINE.max}
          initial={TIMELINE.initial}
          step={10}
          valueAt={(e, start) => start.value + e.clientY - start.y}
          onChange={(h) => patchPrefs({ timelineHeight: h })}
        />
      )}
      <div class={`main${showDetail ? ' with-detail' : ''}`}>
        <ConnectionTable
          rows={rows}
          diagnoses={derived.diagnoses}
          snapshots={derived.rows}
          network={derived.network}
          docs={file ? NO_DOCS : store.docs}
          multi={kept}
          onMulti={setMulti}
          onOpen={() => setOpened(true)}
          onMenu={(c, at) => setRowMenu({ conn: c, at })}
          lang={lang}
          now={now}
          netOnlyHint={hints.row}
          emptyText={all.length ? ui(lang, 'emptyFiltered') : live || file ? ui(lang, 'empty') : ui(lang, 'viewerEmpty')}
          columns={{ hidden: prefs.hidden, widths: prefs.widths, onPrefs: patchPrefs }}
        />
        {showDetail && !narrow && (
          <Splitter
            orientation="vertical"
            testid="split-resize"
            label={ui(lang, 'resizeSplit')}
            value={prefs.split}
            min={SPLIT.min}
            max={SPLIT.max}
            initial={SPLIT.initial}
            step={2}
            valueAt={(e, _start, el) => {
              const box = el.parentElement!.getBoundingClientRect();
              return ((e.clientX - box.left) / box.width) * 100;
            }}
            onChange={(split) => patchPrefs({ split })}
          />
        )}
        {showDetail && (
          <Detail
            onBack={narrow ? back : undefined}
            conn={conn}
            diagnosis={derived.diagnoses.get(conn.id)}
            net={derived.network.get(conn.id)}
            ambiguous={derived.ambiguous.get(conn.id)}
            tab={tab}
            onTab={setTab}
            onClose={() => setSelected(undefined)}
            cursor={cursor}
            onCursor={setCursor}
            version={version}
            lang={lang}
            faults={faults}
            injected={<InjectedList store={store} conn={conn} lang={lang} />}
            hideHeartbeats={prefs.hideHeartbeats}
            onHideHeartbeats={(on) => patchPrefs({ hideHeartbeats: on })}
          />
        )}
      </div>
      {layer}
      {rowMenu && (
        <ContextMenu
          label={mui(lang, 'rowMenu')}
          testid="row-menu"
          at={rowMenu.at}
          onClose={() => setRowMenu(undefined)}
          items={rowMenuItems(
            rowMenu.conn,
            { diagnosis: derived.diagnoses.get(rowMenu.conn.id), net: derived.network.get(rowMenu.conn.id), targets: targetsOf(kept, rowMenu.conn.id), lang, faults },
            { exportIds: (sel) => exportNow({ redact: true, selected: sel }), setFilter: (text) => patchPrefs({ filter: text }), showInTimeline },
          )}
        />
      )}
      <StatusBar lang={lang} selectedCount={kept.ids.size} note={hints.note} count={all.length} drops={drops} netDropped={file ? 0 : store.netDropped()} disconnected={live && !file && !store.connected} />
    </div>
  );
}
