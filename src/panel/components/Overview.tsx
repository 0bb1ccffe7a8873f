// Everything recorded about one connection, as facts (the explanation comes from core/diagnose).
import type { Connection } from '../../core/session.ts';
import { formatClock, inert } from '../format.ts';
import { ui, type UiLang } from '../i18n.ts';

function Row({ label, value, testid }: { label: string; value: string | undefined; testid?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testid}>{value ? inert(value) : '—'}</dd>
    </>
  );
}

export function Overview({ conn, lang }: { conn: Connection; lang: UiLang }) {
  const close = conn.close;
  return (
    <div class="overview" data-testid="overview">
      {close?.synthetic && <div class="notice" data-testid="synthetic-note">{ui(lang, close.synthetic === 'blocked' ? 'syntheticBlocked' : 'synthetic')}</div>}
      {conn.createThrew && <div class="notice">{ui(lang, 'createThrew', { error: conn.createThrew })}</div>}
      <dl>
        <Row label={ui(lang, 'url')} value={conn.url} />
        <Row label={ui(lang, 'created')} value={formatClock(conn.createdAt)} />
        <Row label={ui(lang, 'opened')} value={conn.openedAt ? formatClock(conn.openedAt) : undefined} />
        <Row label={ui(lang, 'closed')} value={close ? formatClock(close.at) : undefined} />
        <Row label={ui(lang, 'protocol')} value={conn.protocol || (conn.protocols.length ? conn.protocols.join(', ') : undefined)} />
        <Row label={ui(lang, 'extensions')} value={conn.extensions} />
        <Row label={ui(lang, 'closeCode')} value={close ? String(close.code) : undefined} testid="overview-code" />
        <Row label={ui(lang, 'closeReason')} value={close?.reason} testid="overview-reason" />
        <Row label={ui(lang, 'wasClean')} value={close ? ui(lang, close.wasClean ? 'yes' : 'no') : undefined} />
      </dl>
      {conn.closeCalls.map((call, i) => (
        <details key={i} class="stack" open>
          <summary>
            {ui(lang, 'closeCalled')} · {formatClock(call.at)} · {call.code ?? ''} {inert(call.reason ?? '')} {call.threw ? `(${inert(call.threw)})` : ''}
          </summary>
          <pre>{inert(call.stack ?? '')}</pre>
        </details>
      ))}
      {conn.createStack && (
        <details class="stack">
          <summary>{ui(lang, 'createdBy')}</summary>
          <pre>{inert(conn.createStack)}</pre>
        </details>
      )}
    </div>
  );
}
