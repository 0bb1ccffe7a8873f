// The connection list: one row per socket, Network-panel style, keyboard navigable.
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import { netLabel, type NetView } from '../../core/network/net.ts';
import type { Connection } from '../../core/session/session.ts';
import { durationOf } from '../../core/session/session.ts';
import type { DocInfo } from '../../core/wire/protocol.ts';
import { formatBytes, formatDuration, inert, shortUrl } from '../format.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { workerLabel, workerTitle } from '../deep.ts';
import { listKeyOf, rowKeyOf } from '../view/keys.ts';
import { clickSelect, extendSelection, moveSelection, only, type MultiSelection } from '../view/selection.ts';
import type { RowSnapshot } from '../derive.ts';
import { rowFacts } from '../view/row.ts';
import { CategoryBadge, OutcomeBadge } from './OutcomeBadge.tsx';
import { VirtualRows } from './VirtualRows.tsx';
import { ConnectionHeader } from './ConnectionHeader.tsx';
import type { Prefs } from '../prefs.ts';
import { formatNumber } from '../plural.ts';

const ROW = 21;
const STATE: Record<Connection['state'], UiKey> = {
  connecting: 'stateConnecting',
  open: 'stateOpen',
  closing: 'stateClosing',
  closed: 'stateClosed',
};

interface Props {
  rows: Connection[];
  diagnoses: Map<string, Diagnosis>;
  /** Each connection's state and close as of the derive the diagnoses come from (view/row.ts). */
  snapshots: ReadonlyMap<string, RowSnapshot>;
  /** Each connection's handshake as the network saw it. */
  network: ReadonlyMap<string, NetView>;
  docs: Map<string, DocInfo>;
  /** The focused row (the detail's) and the rows selected for export and copy. */
  multi: MultiSelection;
  onMulti: (s: MultiSelection) => void;
  /** A row opened (a plain click, Enter): where the detail replaces the list, it is shown. */
  onOpen: (id: string) => void;
  /** The row's context menu, at a viewport position. */
  onMenu: (c: Connection, at: { x: number; y: number }) => void;
  lang: UiLang;
  now: number;
  emptyText: string;
  /** The hint on rows seen on the network only (how to see more here), if any. */
  netOnlyHint?: UiKey;
  /** Column widths and visibility (prefs.ts), and where changes to them go. */
  columns?: Pick<Prefs, 'hidden' | 'widths'> & { onPrefs: (patch: Partial<Pick<Prefs, 'hidden' | 'widths'>>) => void };
}

/**
 * What the network said, when it says more than "101": the status or the error's kind ("403",
 * "DNS", "CSP"), from the diagnosis when it has one (it knows CSP and mixed content too).
 */
export function netChip(d: Diagnosis | undefined, net: NetView | undefined): string | undefined {
  if (d?.net) return d.net.label;
  const label = net ? netLabel(net) : undefined;
  return label === '101' ? undefined : label;
}

export function ConnectionTable({ rows, diagnoses, snapshots, network, docs, multi, onMulti, onOpen, onMenu, lang, now, emptyText, netOnlyHint, columns }: Props) {
  const selected = multi.focus;
  const index = selected ? rows.findIndex((c) => c.id === selected) : -1;
  const onKey = (e: KeyboardEvent) => {
    const rk = rowKeyOf(e);
    const c = index >= 0 ? rows[index] : undefined;
    if (rk) {
      // The context-menu key and Shift+F10 open the focused row's menu, under the row.
      if (c && rk === 'menu') {
        const r = document.getElementById(`row-${c.id}`)?.getBoundingClientRect();
        onMenu(c, { x: (r?.left ?? 0) + 24, y: r?.bottom ?? 0 });
      } else if (c) onOpen(c.id);
      e.preventDefault();
      return;
    }
    const k = listKeyOf(e.key);
    if (!k) return;
    if (k === 'deselect') onMulti(only(undefined));
    else if (rows.length > 0) onMulti(e.shiftKey ? extendSelection(rows, multi, k) : only(moveSelection(rows, selected, k)));
    e.preventDefault();
  };
  return (
    <div class="conn-table" role="grid" aria-label={ui(lang, 'connections')} aria-rowcount={rows.length} aria-multiselectable="true" tabIndex={0} onKeyDown={onKey} data-testid="connection-table"
      aria-activedescendant={selected ? `row-${selected}` : undefined}>
      <ConnectionHeader lang={lang} hidden={columns?.hidden ?? []} widths={columns?.widths ?? {}} onPrefs={columns?.onPrefs ?? (() => undefined)} />
      {rows.length === 0 ? (
        <div class="empty" data-testid="connections-empty">{emptyText}</div>
      ) : (
        <VirtualRows
          items={rows}
          rowHeight={ROW}
          scrollTo={index}
          follow
          testid="connection-rows"
          render={(c, _index, slot) => {
            const f = rowFacts(c, { diagnoses, rows: snapshots });
            const { diagnosis, category, outcome, close, code } = f;
            const net = network.get(c.id);
            const chip = netChip(diagnosis, net);
            // The hook's own word, else the network layer's (deep capture names a worker's handshake).
            const worker = c.worker ?? net?.worker;
            const doc = docs.get(c.doc);
            return (
              // Keyed by the row's slot in the window: scrolling or a new connection changes the
              // text of the same elements instead of replacing them (VirtualRows).
              <div
                key={slot}
                id={`row-${c.id}`}
                role="row"
                aria-selected={multi.ids.has(c.id)}
                class={`row conn outcome-row-${outcome}${multi.ids.has(c.id) ? ' selected' : ''}${c.id === selected ? ' focused' : ''}`}
                data-testid="connection-row"
                data-conn-id={c.id}
                data-url={c.url}
                data-code={close?.code ?? ''}
                data-outcome={outcome}
                data-category={category}
                data-net={diagnosis?.net?.cls ?? ''}
                data-net-only={c.netOnly ? '1' : undefined}
                onClick={(e) => {
                  const mods = { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
                  onMulti(clickSelect(rows, multi, c.id, mods));
                  if (!mods.shift && !mods.toggle) onOpen(c.id);
                }}
                onContextMenu={(e) => {
                  e.preventDefault();
                  // A row outside the selection is acted on alone; inside it, the selection is kept.
                  onMulti(multi.ids.has(c.id) ? { ...multi, focus: c.id } : only(c.id));
                  onMenu(c, { x: e.clientX, y: e.clientY });
                }}
              >
                <span role="gridcell" class="c-outcome">{category ? <CategoryBadge category={category} lang={lang} /> : <OutcomeBadge outcome={outcome} lang={lang} />}</span>
                <span role="gridcell" class="c-net">
                  {chip && (
                    <span class="net-chip" data-testid="net-status" title={inert(net?.statusLine ?? net?.error ?? chip)}>
                      {inert(chip)}
                    </span>
                  )}
                </span>
                <span role="gridcell" class="c-url" title={inert(c.url)}>
                  {c.netOnly && (
                    <span class="net-chip net-only" data-testid="net-only" title={netOnlyHint ? `${ui(lang, 'netOnly')}: ${ui(lang, netOnlyHint)}` : ui(lang, 'netOnly')} data-hint={netOnlyHint}>
                      {ui(lang, 'netOnly')}
                    </span>
                  )}
                  {worker && (
                    <span class="net-chip worker-chip" data-testid="worker-chip" data-worker={worker.type} title={inert(workerTitle(lang, worker))}>
                      {workerLabel(lang, worker)}
                    </span>
                  )}
                  {inert(shortUrl(c.url))}
                </span>
                <span role="gridcell" class="c-code" data-testid="connection-code" title={close?.synthetic ? ui(lang, close.synthetic === 'blocked' ? 'syntheticBlocked' : 'synthetic') : undefined}>{code}</span>
                <span role="gridcell" class="c-reason" data-testid="connection-reason" title={inert(f.reason)}>{inert(f.reason)}</span>
                <span role="gridcell" class="c-state">{ui(lang, STATE[f.state])}</span>
                <span role="gridcell" class="c-num c-duration">{formatDuration(durationOf(c, now))}</span>
                <span role="gridcell" class="c-num c-sent" title={formatBytes(c.stats.bytesSent)}>{formatNumber(lang, c.stats.sent)}</span>
                <span role="gridcell" class="c-num c-received" title={formatBytes(c.stats.bytesReceived)}>{formatNumber(lang, c.stats.received)}</span>
                <span role="gridcell" class="c-frame" title={doc?.url}>{doc?.top === false ? ui(lang, 'frameChild') : ui(lang, 'frameTop')}</span>
              </div>
            );
          }}
        />
      )}
    </div>
  );
}

