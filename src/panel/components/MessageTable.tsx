// Messages of one connection: filter by direction, search in payloads, virtualized rows, the
// shared time cursor (the row nearest to it is marked), and an inspector for the selected one.
// When the connection speaks a recognised application protocol: a column with each message's
// frame type (and the latency of an answer), a one-click heartbeat toggle and a frame-type pick.
import { useMemo, useState } from 'preact/hooks';
import { fromBase64 } from '../../core/wire/payload.ts';
import { decodedOf, protocolOf } from '../../core/protocols/index.ts';
import type { Connection, MessageRecord } from '../../core/session/session.ts';
import { frameCell, frameTypes, NO_FRAME_FILTER, passesFrames, type FrameFilter } from '../view/frames.ts';
import { formatBytes, formatClock, hexPreview, preview } from '../format.ts';
import { ui, type UiLang } from '../i18n.ts';
import { MessageInspector } from './MessageInspector.tsx';
import type { FaultUi } from './Faults.tsx';
import { VirtualRows } from './VirtualRows.tsx';
import { actionOff } from '../view/faults.ts';
import { rowKeyOf } from '../view/keys.ts';
import { mui } from '../i18n-menu.ts';
import { ContextMenu } from './ContextMenu.tsx';
import { messageMenuItems } from './MessageMenu.tsx';

const ROW = 19;
type DirFilter = 'all' | 'out' | 'in';

interface Props {
  conn: Connection;
  lang: UiLang;
  cursor: number | undefined;
  onCursor: (t: number | undefined) => void;
  /** Bumped by the store on every change, so the memo sees appended messages. */
  version: number;
  faults: FaultUi;
  /** The heartbeat toggle's starting state and where a change goes (the panel remembers it). */
  hideHeartbeats?: boolean | undefined;
  onHideHeartbeats?: ((on: boolean) => void) | undefined;
}

/** Index of the message whose time is closest to t (messages are in time order). */
function nearest(msgs: readonly MessageRecord[], t: number): number {
  let lo = 0;
  let hi = msgs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (msgs[mid]!.at < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(msgs[lo - 1]!.at - t) <= Math.abs(msgs[lo]!.at - t)) return lo - 1;
  return lo;
}

export function MessageTable({ conn, lang, cursor, onCursor, version, faults, hideHeartbeats, onHideHeartbeats }: Props) {
  const [dir, setDir] = useState<DirFilter>('all');
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<MessageRecord | undefined>();
  const [frames, setFrames] = useState<FrameFilter>(hideHeartbeats ? { ...NO_FRAME_FILTER, hideHeartbeats } : NO_FRAME_FILTER);
  const [menu, setMenu] = useState<{ m: MessageRecord; at: { x: number; y: number } } | undefined>();
  // Incremental: only messages added since the last render are decoded.
  const track = useMemo(() => protocolOf(conn), [conn, conn.messages.length, version]);
  const proto = track.label !== undefined;
  const types = useMemo(() => (proto ? frameTypes(conn.messages.map((m) => decodedOf(conn, m))) : []), [conn, proto, conn.messages.length, version]);
  const msgs = useMemo(() => {
    const q = query.toLowerCase();
    if (dir === 'all' && !q && frames === NO_FRAME_FILTER) return conn.messages;
    return conn.messages.filter((m) => {
      if (dir !== 'all' && m.dir !== dir) return false;
      const r = proto ? decodedOf(conn, m) : undefined;
      if (!passesFrames(r, frames)) return false;
      if (!q) return true;
      if (m.data !== undefined && !m.bin && m.data.toLowerCase().includes(q)) return true;
      return !!r && 'frames' in r && r.frames.some((f) => f.type.toLowerCase().includes(q));
    });
  }, [conn, conn.messages.length, dir, query, frames, proto, version]);
  const cursorIndex = cursor !== undefined && msgs.length ? nearest(msgs, cursor) : -1;

  return (
    <div
      class="msg-table"
      data-testid="message-table"
      onKeyDown={(e) => {
        // The context-menu key or Shift+F10 opens the picked message's menu, under its row.
        if (!picked || rowKeyOf(e) !== 'menu') return;
        const r = document.querySelector('[data-testid="message-row"].selected')?.getBoundingClientRect();
        setMenu({ m: picked, at: { x: (r?.left ?? 0) + 24, y: r?.bottom ?? 0 } });
        e.preventDefault();
      }}
    >
      <div class="msg-tools">
        <select data-testid="msg-filter-dir" aria-label={ui(lang, 'msgDir')} value={dir} onChange={(e) => setDir(e.currentTarget.value as DirFilter)}>
          <option value="all">{ui(lang, 'msgFilterAll')}</option>
          <option value="out">{ui(lang, 'msgFilterSent')}</option>
          <option value="in">{ui(lang, 'msgFilterReceived')}</option>
        </select>
        <input type="search" class="tb-filter" data-testid="msg-search" aria-label={ui(lang, 'msgSearch')} placeholder={ui(lang, 'msgSearch')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        {proto && (
          <>
            <label class="tb-check" title={ui(lang, 'hideHeartbeatsTitle')}>
              <input
                type="checkbox"
                data-testid="msg-hide-heartbeats"
                checked={frames.hideHeartbeats}
                onChange={(e) => {
                  setFrames({ ...frames, hideHeartbeats: e.currentTarget.checked });
                  onHideHeartbeats?.(e.currentTarget.checked);
                }}
              />
              {ui(lang, 'hideHeartbeats')}
            </label>
            <select data-testid="msg-filter-type" aria-label={ui(lang, 'frameType')} value={frames.type} onChange={(e) => setFrames({ ...frames, type: e.currentTarget.value })}>
              <option value="">{ui(lang, 'frameTypeAll')}</option>
              {types.map((t) => (
                <option key={t} value={t}>{t}</option>
              ))}
            </select>
          </>
        )}
        <span class="muted" data-testid="msg-count">{ui(lang, 'msgMatches', { n: msgs.length, total: conn.messages.length })}</span>
      </div>
      {proto && (
        <div class="msg-proto muted" data-testid="msg-protocol" data-protocol={track.detection?.protocol} data-certainty={track.detection?.certainty}>
          {ui(lang, 'protocolLine', {
            name: `${track.label}${track.detection?.certainty === 'possible' ? '?' : ''}${track.detection?.variant ? ` (${track.detection.variant})` : ''}`,
            how: ui(lang, track.detection?.certainty === 'certain' ? 'certaintyCertain' : track.detection?.certainty === 'likely' ? 'certaintyLikely' : 'certaintyPossible'),
          })}
          {track.undecodable > 0 && <span data-testid="msg-undecodable">{` · ${ui(lang, 'undecodable', { n: track.undecodable })}`}</span>}
        </div>
      )}
      {conn.stats.evicted + conn.stats.missed > 0 && (
        <div class="notice" data-testid="messages-evicted">{ui(lang, 'evictedMessages', { n: conn.stats.evicted + conn.stats.missed })}</div>
      )}
      <div class="row head" role="row">
        <span role="columnheader" class="m-dir" aria-label={ui(lang, 'msgDir')} title={ui(lang, 'msgDir')}>⇅</span>
        {proto && <span role="columnheader" class="m-proto">{ui(lang, 'frameType')}</span>}
        <span role="columnheader" class="m-data">{ui(lang, 'msgData')}</span>
        <span role="columnheader" class="m-size">{ui(lang, 'msgSize')}</span>
        <span role="columnheader" class="m-time">{ui(lang, 'msgTime')}</span>
      </div>
      {msgs.length === 0 ? (
        <div class="empty" data-testid="messages-empty">{ui(lang, 'noMessages')}</div>
      ) : (
        <VirtualRows
          items={msgs}
          rowHeight={ROW}
          follow={cursorIndex < 0}
          scrollTo={cursorIndex}
          role="grid"
          label={ui(lang, 'messages')}
          testid="message-rows"
          render={(m: MessageRecord, i, slot) => {
            const cell = proto ? frameCell(decodedOf(conn, m)) : undefined;
            return (
            // Keyed by its place in the window, not by message: following a flood, every row
            // shows another message each render, and reusing the elements only changes text.
            <div
              key={slot}
              role="row"
              aria-selected={m === picked}
              class={`row msg msg-${m.dir}${m === picked ? ' selected' : ''}${i === cursorIndex ? ' at-cursor' : ''}`}
              data-testid="message-row"
              data-dir={m.dir}
              data-size={m.size}
              data-frame={cell?.text}
              data-frame-class={cell?.cls}
              data-injected={m.inj ? '1' : undefined}
              onClick={() => {
                setPicked(m);
                onCursor(m.at);
              }}
              onContextMenu={(e) => {
                e.preventDefault();
                setPicked(m);
                setMenu({ m, at: { x: e.clientX, y: e.clientY } });
              }}
            >
              <span role="gridcell" class="m-dir" aria-label={ui(lang, m.dir === 'out' ? 'sentLabel' : 'receivedLabel')}>
                {m.dir === 'out' ? '↑' : '↓'}
              </span>
              {cell && (
                <span role="gridcell" class={`m-proto f-${cell.cls}`} data-testid="message-frame" title={cell.title}>
                  {cell.text}
                </span>
              )}
              <span role="gridcell" class="m-data" title={m.trunc ? ui(lang, 'truncated') : undefined}>
                {m.inj && <span class="tag inj" data-testid="message-injected" title={ui(lang, 'injectedTitle')}>{ui(lang, 'injected')}</span>}
                {m.bin && <span class="tag">{ui(lang, 'binary')}</span>}
                {m.later ? ui(lang, 'pendingPayload') : m.data === undefined ? ui(lang, 'noPayload') : m.bin ? hexPreview(m.data, fromBase64) : preview(m.data)}
                {m.trunc && <span class="tag warn">{ui(lang, 'truncated')}</span>}
              </span>
              <span role="gridcell" class="m-size">{formatBytes(m.size)}</span>
              <span role="gridcell" class="m-time">{formatClock(m.at, lang)}</span>
            </div>
            );
          }}
        />
      )}
      {picked ? <MessageInspector key={`${picked.dir}${picked.n}`} msg={picked} lang={lang} decoded={proto ? decodedOf(conn, picked) : undefined}
        fault={{ off: actionOff('send', conn, faults.place), request: (r) => faults.request(conn, r) }} /> : null}
      {menu && <ContextMenu label={mui(lang, 'msgMenu')} testid="message-menu" items={messageMenuItems(menu.m, conn.id, lang)} at={menu.at} onClose={() => setMenu(undefined)} />}
    </div>
  );
}
