// Messages of one connection: filter by direction, search in payloads, virtualized rows, the
// shared time cursor (the row nearest to it is marked), and an inspector for the selected one.
import { useMemo, useState } from 'preact/hooks';
import { fromBase64 } from '../../core/wire/payload.ts';
import type { Connection, MessageRecord } from '../../core/session/session.ts';
import { formatBytes, formatClock, hexPreview, preview } from '../format.ts';
import { ui, type UiLang } from '../i18n.ts';
import { MessageInspector } from './MessageInspector.tsx';
import { VirtualRows } from './VirtualRows.tsx';

const ROW = 19;
type DirFilter = 'all' | 'out' | 'in';

interface Props {
  conn: Connection;
  lang: UiLang;
  cursor: number | undefined;
  onCursor: (t: number | undefined) => void;
  /** Bumped by the store on every change, so the memo sees appended messages. */
  version: number;
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

export function MessageTable({ conn, lang, cursor, onCursor, version }: Props) {
  const [dir, setDir] = useState<DirFilter>('all');
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<MessageRecord | undefined>();
  const msgs = useMemo(() => {
    const q = query.toLowerCase();
    if (dir === 'all' && !q) return conn.messages;
    return conn.messages.filter((m) => (dir === 'all' || m.dir === dir) && (!q || (m.data !== undefined && !m.bin && m.data.toLowerCase().includes(q))));
  }, [conn, conn.messages.length, dir, query, version]);
  const cursorIndex = cursor !== undefined && msgs.length ? nearest(msgs, cursor) : -1;

  return (
    <div class="msg-table" data-testid="message-table">
      <div class="msg-tools">
        <select data-testid="msg-filter-dir" aria-label={ui(lang, 'msgDir')} value={dir} onChange={(e) => setDir(e.currentTarget.value as DirFilter)}>
          <option value="all">{ui(lang, 'msgFilterAll')}</option>
          <option value="out">{ui(lang, 'msgFilterSent')}</option>
          <option value="in">{ui(lang, 'msgFilterReceived')}</option>
        </select>
        <input type="search" class="tb-filter" data-testid="msg-search" aria-label={ui(lang, 'msgSearch')} placeholder={ui(lang, 'msgSearch')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <span class="muted" data-testid="msg-count">{ui(lang, 'msgMatches', { n: msgs.length, total: conn.messages.length })}</span>
      </div>
      {conn.stats.evicted + conn.stats.missed > 0 && (
        <div class="notice" data-testid="messages-evicted">{ui(lang, 'evictedMessages', { n: conn.stats.evicted + conn.stats.missed })}</div>
      )}
      <div class="row head" role="row">
        <span role="columnheader" class="m-dir" aria-label={ui(lang, 'msgDir')} title={ui(lang, 'msgDir')}>⇅</span>
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
          render={(m: MessageRecord, i, slot) => (
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
              onClick={() => {
                setPicked(m);
                onCursor(m.at);
              }}
            >
              <span role="gridcell" class="m-dir" aria-label={ui(lang, m.dir === 'out' ? 'sentLabel' : 'receivedLabel')}>
                {m.dir === 'out' ? '↑' : '↓'}
              </span>
              <span role="gridcell" class="m-data" title={m.trunc ? ui(lang, 'truncated') : undefined}>
                {m.bin && <span class="tag">{ui(lang, 'binary')}</span>}
                {m.later ? ui(lang, 'pendingPayload') : m.data === undefined ? ui(lang, 'noPayload') : m.bin ? hexPreview(m.data, fromBase64) : preview(m.data)}
                {m.trunc && <span class="tag warn">{ui(lang, 'truncated')}</span>}
              </span>
              <span role="gridcell" class="m-size">{formatBytes(m.size)}</span>
              <span role="gridcell" class="m-time">{formatClock(m.at)}</span>
            </div>
          )}
        />
      )}
      {picked ? <MessageInspector key={`${picked.dir}${picked.n}`} msg={picked} lang={lang} /> : null}
    </div>
  );
}
