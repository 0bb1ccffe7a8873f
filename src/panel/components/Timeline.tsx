// The timeline: one lane per endpoint, each connection a bar from creation to close, its close
// marked by category, reconnect chains linked on their lane, message ticks above (sent) and
// below (received) the bar, a shared time cursor. Zoom with the wheel, pan with Shift+wheel or
// a drag, keyboard + − 0 ← →. SVG with ticks per time cell (tick-cells.ts, kept up to date per
// connection) keeps 500 connections and 100,000 messages to a few thousand elements.
import { useMemo, useRef, useState } from 'preact/hooks';
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import { endpointOf, type ReconnectChain } from '../../core/session/reconnect.ts';
import type { Connection } from '../../core/session/session.ts';
import { CATEGORY_LOOK, categoryLabel } from '../categories.ts';
import { formatClock, formatDuration, inert, shortUrl } from '../format.ts';
import { workerTitle } from '../deep.ts';
import { faultPhrase } from '../view/faults.ts';
import { ui, type UiLang } from '../i18n.ts';
import { cellWidth, lowerBound, TickCells, type CellList } from '../tick-cells.ts';
import { useSize } from '../use-size.ts';

const ROW_H = 16;
const LANE_PAD = 6;
const AXIS_H = 18;
const LABEL_W = 170;
const BAR_H = 8;
const MAX_TICK_BUCKETS = 400;

interface Props {
  connections: Connection[];
  diagnoses: Map<string, Diagnosis>;
  chains: ReconnectChain[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  cursor: number | undefined;
  onCursor: (t: number | undefined) => void;
  now: number;
  lang: UiLang;
}

interface Lane {
  endpoint: string;
  conns: Connection[];
  /** Sub-row of each connection: sockets open at the same time to one endpoint stack up. */
  rowOf: Map<string, number>;
  rows: number;
  top: number;
}

function lanesOf(connections: Connection[], now: number): Lane[] {
  const map = new Map<string, Lane>();
  for (const c of connections) {
    const ep = endpointOf(c.url);
    let lane = map.get(ep);
    if (!lane) map.set(ep, (lane = { endpoint: ep, conns: [], rowOf: new Map(), rows: 0, top: 0 }));
    lane.conns.push(c);
  }
  let top = AXIS_H;
  for (const lane of map.values()) {
    // Greedy interval partitioning in creation order: a reconnect (created after the previous
    // socket ended) stays on the same row, so a chain reads left to right on one line.
    const rowEnds: number[] = [];
    for (const c of lane.conns) {
      let row = rowEnds.findIndex((end) => end <= c.createdAt);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = c.close?.at ?? now;
      lane.rowOf.set(c.id, row);
    }
    lane.rows = Math.max(1, rowEnds.length);
    lane.top = top;
    top += lane.rows * ROW_H + LANE_PAD;
  }
  return [...map.values()];
}

/** "Nice" tick step (1, 2, 5 × 10^k ms) giving about `target` ticks over `span` ms. */
function tickStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function Timeline({ connections, diagnoses, chains, selected, onSelect, cursor, onCursor, now, lang }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const { width } = useSize(ref, { width: 800, height: 0 });
  const lanes = useMemo(() => lanesOf(connections, now), [connections, now]);
  const byId = useMemo(() => new Map(connections.map((c) => [c.id, c])), [connections]);
  let start = connections.length ? Infinity : now - 1000;
  let end = -Infinity;
  for (const c of connections) {
    if (c.createdAt < start) start = c.createdAt;
    const e = c.close?.at ?? now;
    if (e > end) end = e;
  }
  end = Math.max(start + 1000, end);
  // The view is [view0, view1]; undefined means "fit everything" and follows new data.
  const [view, setView] = useState<[number, number] | undefined>();
  const [v0, v1] = view ?? [start - (end - start) * 0.01, end + (end - start) * 0.02];
  const plotW = Math.max(50, width - LABEL_W);
  const x = (t: number) => LABEL_W + ((t - v0) / (v1 - v0)) * plotW;
  const tAt = (px: number) => v0 + ((px - LABEL_W) / plotW) * (v1 - v0);
  const drag = useRef<{ px: number; view: [number, number] } | undefined>(undefined);
  const cellsRef = useRef<TickCells>(undefined);
  const tickCells = (cellsRef.current ??= new TickCells());
  const q = cellWidth(v1 - v0, Math.min(MAX_TICK_BUCKETS, Math.ceil(plotW / 2)));

  const zoom = (factor: number, at = (v0 + v1) / 2) => {
    const span = Math.max(5, (v1 - v0) * factor);
    const ratio = (at - v0) / (v1 - v0);
    setView([at - span * ratio, at - span * ratio + span]);
  };
  const pan = (fraction: number) => {
    const d = (v1 - v0) * fraction;
    setView([v0 + d, v1 + d]);
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) pan((e.deltaX || e.deltaY) / 1000);
    else zoom(e.deltaY > 0 ? 1.25 : 0.8, tAt(e.clientX - rect.left));
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === '+' || e.key === '=') zoom(0.8);
    else if (e.key === '-') zoom(1.25);
    else if (e.key === '0') setView(undefined);
    else if (e.key === 'ArrowLeft') pan(-0.1);
    else if (e.key === 'ArrowRight') pan(0.1);
    else return;
    e.preventDefault();
  };

  const step = tickStep(v1 - v0, plotW / 90);
  const ticks: number[] = [];
  for (let t = Math.ceil((v0 - start) / step) * step; start + t <= v1; t += step) ticks.push(t);
  const last = lanes[lanes.length - 1];
  const height = last ? last.top + last.rows * ROW_H + LANE_PAD : AXIS_H + ROW_H;
  const yOf = new Map<string, number>();
  for (const l of lanes) for (const c of l.conns) yOf.set(c.id, l.top + LANE_PAD / 2 + (l.rowOf.get(c.id) ?? 0) * ROW_H + ROW_H / 2);

  return (
    <section class="timeline" aria-label={ui(lang, 'timeline')} data-testid="timeline">
      <div class="timeline-tools">
        <span class="muted">{ui(lang, 'timeline')}</span>
        <button class="tb-btn" data-testid="timeline-zoom-in" title={ui(lang, 'timelineZoomIn')} aria-label={ui(lang, 'timelineZoomIn')} onClick={() => zoom(0.5)}>+</button>
        <button class="tb-btn" data-testid="timeline-zoom-out" title={ui(lang, 'timelineZoomOut')} aria-label={ui(lang, 'timelineZoomOut')} onClick={() => zoom(2)}>−</button>
        <button class="tb-btn" data-testid="timeline-fit" title={ui(lang, 'timelineFit')} aria-label={ui(lang, 'timelineFit')} onClick={() => setView(undefined)}>⤢</button>
        <span class="muted small">{ui(lang, 'timelineHelp')}</span>
      </div>
      <div
        ref={ref}
        class="timeline-plot"
        tabIndex={0}
        role="img"
        aria-label={`${ui(lang, 'timeline')}: ${lanes.length} × ${connections.length}`}
        onWheel={onWheel}
        onKeyDown={onKey}
        onMouseDown={(e) => {
          drag.current = { px: e.clientX, view: [v0, v1] };
        }}
        onMouseMove={(e) => {
          const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
          const px = e.clientX - rect.left;
          const d = drag.current;
          if (d && e.buttons === 1) {
            const dt = ((e.clientX - d.px) / plotW) * (d.view[1] - d.view[0]);
            if (Math.abs(e.clientX - d.px) > 3) setView([d.view[0] - dt, d.view[1] - dt]);
            return;
          }
          onCursor(px > LABEL_W ? tAt(px) : undefined);
        }}
        onMouseUp={() => (drag.current = undefined)}
        onMouseLeave={() => {
          drag.current = undefined;
          onCursor(undefined);
        }}
      >
        <svg width={width} height={height} class="timeline-svg">
          <g class="axis">
            {ticks.map((t) => (
              <g key={t}>
                <line x1={x(start + t)} x2={x(start + t)} y1={AXIS_H - 4} y2={height} class="grid" />
                <text x={x(start + t) + 3} y={AXIS_H - 6} class="tick-label">{formatDuration(t)}</text>
              </g>
            ))}
          </g>
          {lanes.map((lane, i) => (
            <g key={lane.endpoint} data-testid="timeline-lane" data-endpoint={lane.endpoint}>
              <rect x={0} y={lane.top} width={width} height={lane.rows * ROW_H + LANE_PAD} class={i % 2 ? 'lane odd' : 'lane'} />
              <text x={4} y={lane.top + LANE_PAD / 2 + ROW_H / 2 + 4} class="lane-label">
                <title>{inert(lane.endpoint)}</title>
                {inert(shortUrl(lane.endpoint)).slice(0, 28)}
              </text>
            </g>
          ))}
          {chains.map((ch) => {
            const links = [];
            for (let k = 0; k + 1 < ch.connectionIds.length; k++) {
              const a = byId.get(ch.connectionIds[k]!);
              const b = byId.get(ch.connectionIds[k + 1]!);
              if (!a || !b) continue;
              const ya = yOf.get(a.id) ?? 0;
              const yb = yOf.get(b.id) ?? 0;
              links.push(<path key={k} d={`M${x(a.close?.at ?? now)},${ya} Q${(x(a.close?.at ?? now) + x(b.createdAt)) / 2},${Math.min(ya, yb) - 7} ${x(b.createdAt)},${yb}`} class="chain-link" />);
            }
            const lastConn = byId.get(ch.connectionIds[ch.connectionIds.length - 1]!);
            return (
              <g key={ch.id} data-testid="timeline-chain" data-attempts={ch.attempts} data-backoff={ch.backoff} data-storm={String(ch.storm)} class={ch.storm ? 'chain storm' : 'chain'}>
                {links}
                {lastConn && (
                  <text x={Math.min(width - 90, x(lastConn.close?.at ?? now) + 30)} y={(yOf.get(lastConn.id) ?? 0) + 4} class="chain-label">
                    ↻ {ui(lang, 'reconnectChain', { n: ch.attempts })}
                  </text>
                )}
              </g>
            );
          })}
          {connections.map((c) => {
            const y = yOf.get(c.id) ?? 0;
            const d = diagnoses.get(c.id);
            const look = d ? CATEGORY_LOOK[d.category] : CATEGORY_LOOK.live;
            const x0 = x(c.createdAt);
            const x1 = Math.max(x0 + 2, x(c.close?.at ?? now));
            if (x1 < LABEL_W || x0 > width) return null;
            return (
              <g key={c.id} data-testid="timeline-bar" data-conn-id={c.id} data-category={d?.category} data-worker={c.worker?.type} class={`bar tone-${look.tone}${c.id === selected ? ' selected' : ''}`}
                onClick={() => onSelect(c.id)}>
                <title>{inert(`${c.url}\n${c.worker ? `${workerTitle(lang, c.worker)}\n` : ''}${c.close ? `${c.close.code} ${c.close.reason}` : ''} · ${categoryLabel(d?.category ?? 'live', lang)}`)}</title>
                <rect x={Math.max(LABEL_W, x0)} y={y - BAR_H / 2} width={Math.max(2, x1 - Math.max(LABEL_W, x0))} height={BAR_H} rx={2} class="bar-rect" />
                {c.messages.length > 0 && <Ticks cells={tickCells.get(c, c.messages, q)} q={q} x={x} y={y} v0={v0} v1={v1} />}
                {c.faults?.map((f, i) => {
                  // An injected fault: a diamond above the bar, never the close mark's colours.
                  const fx = x(f.at);
                  if (fx < LABEL_W || fx > width) return null;
                  const what = faultPhrase(f);
                  return (
                    <g key={`f${i}`} class={`fault-mark${f.ok ? '' : ' refused'}`} data-testid="timeline-fault" data-op={f.op} data-ok={f.ok ? '1' : '0'} transform={`translate(${fx},${y})`}>
                      <title>{inert(ui(lang, 'faultMarker', { what: ui(lang, what.key, what.params), time: formatClock(f.at, lang) }))}</title>
                      <line y1={-4} y2={BAR_H / 2} class="fault-stem" />
                      <path d="M0,-10 L3.5,-6.5 L0,-3 L-3.5,-6.5 Z" class="fault-dot" />
                    </g>
                  );
                })}
                {c.close && (
                  <g class="close-mark" transform={`translate(${x1},${y})`}>
                    <circle r={5} class="close-dot" />
                    {x1 + 40 < width && <text x={7} y={4} class="close-label">{c.close.code}</text>}
                  </g>
                )}
              </g>
            );
          })}
          {cursor !== undefined && cursor >= v0 && cursor <= v1 && (
            <line data-testid="timeline-cursor" x1={x(cursor)} x2={x(cursor)} y1={0} y2={height} class="cursor" />
          )}
        </svg>
      </div>
    </section>
  );
}

/** Message ticks, one per cell in view: sent above the bar, received below. */
function Ticks({ cells, q, x, y, v0, v1 }: { cells: { out: CellList; in: CellList }; q: number; x: (t: number) => number; y: number; v0: number; v1: number }) {
  let d = '';
  for (const [list, y0, dy] of [[cells.out, y - BAR_H / 2 - 1, -4], [cells.in, y + BAR_H / 2 + 1, 4]] as const) {
    for (let i = lowerBound(list, Math.floor(v0 / q)); i < list.cells.length; i++) {
      const t = (list.cells[i]! + 0.5) * q;
      if (t > v1) break;
      if (t >= v0) d += `M${x(t)},${y0}v${dy}`;
    }
  }
  return d ? <path d={d} class="ticks" /> : null;
}
