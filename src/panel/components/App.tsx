// The panel: toolbar, connection list, details of the selected connection, status bar.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Diagnosis, DiagnosisCategory } from '../../core/diagnose.ts';
import type { PanelToHub } from '../../core/protocol.ts';
import type { Connection } from '../../core/session.ts';
import { CATEGORY_LOOK } from '../categories.ts';
import { derive } from '../derive.ts';
import { ui, type UiLang } from '../i18n.ts';
import type { PanelStore } from '../store.ts';
import { ConnectionTable } from './ConnectionTable.tsx';
import { Explanation } from './Explanation.tsx';
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
  const cat = d ? `${d.category} ${ui(lang, CATEGORY_LOOK[d.category].label)}` : '';
  const hay = `${c.url} ${c.close?.code ?? ''} ${c.close?.reason ?? ''} ${cat}`.toLowerCase();
  return hay.includes(q.toLowerCase());
}

type Tab = 'explanation' | 'messages' | 'overview';
const TABS: readonly Tab[] = ['explanation', 'messages', 'overview'];

export function App({ store, send, initialLang, onLang }: Props) {
  const version = useStoreVersion(store);
  const [lang, setLang] = useState<UiLang>(initialLang);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>('explanation');
  const [category, setCategory] = useState<DiagnosisCategory | undefined>();
  const [cursor, setCursor] = useState<number | undefined>();
  const [preserve, setPreserve] = useState(store.preserveLog);
  const [now, setNow] = useState(Date.now());

  // Live durations tick once a second; nothing else polls.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // Diagnoses depend on "now" only for live sockets; recomputing on data changes (and on the
  // 1 s tick while something is live) keeps every view in agreement.
  const anyLive = useMemo(() => [...store.session.connections.values()].some((c) => !c.close), [version]);
  const derived = useMemo(() => derive(store.session, Date.now()), [version, anyLive ? now : 0]);
  const all = derived.connections;
  const rows = useMemo(
    () => all.filter((c) => (!category || derived.diagnoses.get(c.id)?.category === category) && matches(c, derived.diagnoses.get(c.id), filter, lang)),
    [derived, filter, category, lang],
  );
  const conn = selected ? store.session.connections.get(selected) : undefined;
  const diagnosis = conn ? derived.diagnoses.get(conn.id) : undefined;
  const drops = store.drops();

  const clear = () => {
    send({ type: 'panel-clear' });
    setSelected(undefined);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        clear();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="app" lang={lang}>
      <div class="toolbar" role="toolbar" aria-label="Socket Autopsy">
        <button class="tb-btn" data-testid="clear" title={ui(lang, 'clearTitle')} aria-label={ui(lang, 'clear')} onClick={clear}>
          <Icon name="clear" /> {ui(lang, 'clear')}
        </button>
        <span class="tb-sep" />
        <label class="tb-check" title={ui(lang, 'preserveLogTitle')}>
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
      <SummaryStrip items={derived.summary} active={category} onPick={setCategory} lang={lang} />
      {all.length > 0 && (
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
      )}
      <div class={`main${conn ? ' with-detail' : ''}`}>
        <ConnectionTable
          rows={rows}
          diagnoses={derived.diagnoses}
          docs={store.docs}
          selected={selected}
          onSelect={setSelected}
          lang={lang}
          now={now}
          emptyText={all.length ? ui(lang, 'emptyFiltered') : ui(lang, 'empty')}
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
                <Overview conn={conn} lang={lang} />
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
        {!store.connected && <span class="warn" data-testid="disconnected">{ui(lang, 'disconnected')}</span>}
        <span class="tb-grow" />
        <span class="muted" title={ui(lang, 'workerNote')} data-testid="worker-note"><Icon name="info" /> {ui(lang, 'workerNote')}</span>
      </div>
    </div>
  );
}
