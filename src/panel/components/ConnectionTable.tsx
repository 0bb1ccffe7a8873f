// The connection list: one row per socket, Network-panel style, keyboard navigable.
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import { netLabel, type NetView } from '../../core/network/net.ts';
import type { Connection } from '../../core/session/session.ts';
import { durationOf, outcomeOf } from '../../core/session/session.ts';
import type { DocInfo } from '../../core/wire/protocol.ts';
import { formatBytes, formatDuration, inert, shortUrl } from '../format.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { workerLabel, workerTitle } from '../deep.ts';
import { listKeyOf } from '../view/keys.ts';
import { moveSelection } from '../view/selection.ts';
import { outcomeOfCategory } from '../categories.ts';
import { CategoryBadge, OutcomeBadge } from './OutcomeBadge.tsx';
import type { FaultUi } from './Faults.tsx';
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
  /** Each connection's handshake as the network saw it. */
  network: ReadonlyMap<string, NetView>;
  docs: Map<string, DocInfo>;
  selected: string | undefined;
  onSelect: (id: string | undefined) => void;
  lang: UiLang;
  now: number;
  emptyText: string;
  faults: FaultUi;
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

export function ConnectionTable({ rows, diagnoses, network, docs, selected, onSelect, lang, now, emptyText, faults, netOnlyHint, columns }: Props) {
  const index = selected ? rows.findIndex((c) => c.id === selected) : -1;
  const onKey = (e: KeyboardEvent) => {
    // The context-menu key and Shift+F10 open the selected row's Inject menu, under the row.
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      const c = index >= 0 ? rows[index] : undefined;
      const r = c && document.getElementById(`row-${c.id}`)?.getBoundingClientRect();
      if (c) faults.openMenu(c, { x: (r?.left ?? 0) + 24, y: r?.bottom ?? 0 });
      e.preventDefault();
      return;
    }
    const k = listKeyOf(e.key);
    if (!k) return;
    if (k === 'deselect') onSelect(undefined);
    else if (rows.length > 0) onSelect(moveSelection(rows, selected, k));
    e.preventDefault();
  };
  return (
    <div class="conn-table" role="grid" aria-label={ui(lang, 'connections')} aria-rowcount={rows.length} tabIndex={0} onKeyDown={onKey} data-testid="connection-table"
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
          render={(c) => {
            const diagnosis = diagnoses.get(c.id);
            const category = diagnosis?.category;
            const outcome = category ? outcomeOfCategory(category) : outcomeOf(c);
            const net = network.get(c.id);
            const chip = netChip(diagnosis, net);
            // The hook's own word, else the network layer's (deep capture names a worker's handshake).
            const worker = c.worker ?? net?.worker;
            const doc = docs.get(c.doc);
            const code = c.close ? String(c.close.code) + (c.close.synthetic ? '*' : '') : '';
            return (
              <div
                key={c.id}
                id={`row-${c.id}`}
                role="row"
                aria-selected={c.id === selected}
                class={`row conn outcome-row-${outcome}${c.id === selected ? ' selected' : ''}`}
                data-testid="connection-row"
                data-conn-id={c.id}
                data-url={c.url}
                data-code={c.close?.code ?? ''}
                data-outcome={outcome}
                data-category={category}
                data-net={diagnosis?.net?.cls ?? ''}
                data-net-only={c.netOnly ? '1' : undefined}
                onClick={() => onSelect(c.id)}
                onContextMenu={(e) => {
                  e.preventDefault();
                  onSelect(c.id);
                  faults.openMenu(c, { x: e.clientX, y: e.clientY });
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
                <span role="gridcell" class="c-code" data-testid="connection-code" title={c.close?.synthetic ? ui(lang, c.close.synthetic === 'blocked' ? 'syntheticBlocked' : 'synthetic') : undefined}>{code}</span>
                <span role="gridcell" class="c-reason" data-testid="connection-reason" title={inert(reasonOf(c, diagnosis))}>{inert(reasonOf(c, diagnosis))}</span>
                <span role="gridcell" class="c-state">{ui(lang, STATE[c.state])}</span>
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

/**
 * The reason a row shows: the application protocol's own goodbye when it ended the connection
 * (it is the real reason: a SockJS "Go away!" arrives under a close frame's "Normal closure"),
 * else the close frame's, or what the socket's constructor threw.
 */
function reasonOf(c: Connection, d: Diagnosis | undefined): string {
  const app = d?.appClose;
  if (app) return `${app.reason ?? app.type} (${app.protocol})`;
  return c.close?.reason || c.createThrew || '';
}
