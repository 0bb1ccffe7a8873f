// Messages of one connection, newest at the bottom, virtualized.
import type { Connection, MessageRecord } from '../../core/session.ts';
import { fromBase64 } from '../../core/payload.ts';
import { formatBytes, formatClock, hexPreview, preview } from '../format.ts';
import { ui, type UiLang } from '../i18n.ts';
import { VirtualRows } from './VirtualRows.tsx';

const ROW = 19;

export function MessageTable({ conn, lang }: { conn: Connection; lang: UiLang }) {
  const msgs = conn.messages;
  return (
    <div class="msg-table" data-testid="message-table">
      {conn.stats.evicted > 0 && (
        <div class="notice" data-testid="messages-evicted">{ui(lang, 'evictedMessages', { n: conn.stats.evicted })}</div>
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
          follow
          role="grid"
          label={ui(lang, 'messages')}
          testid="message-rows"
          render={(m: MessageRecord, i) => (
            <div key={i} role="row" class={`row msg msg-${m.dir}`} data-testid="message-row" data-dir={m.dir} data-size={m.size}>
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
    </div>
  );
}
