// Everything recorded about one connection, as facts (the explanation comes from core/diagnose).
import { netLabel, type NetHeader, type NetObservation, type NetView } from '../../core/network/net.ts';
import type { Connection } from '../../core/session/session.ts';
import { workerTitle } from '../deep.ts';
import { formatClock, inert } from '../format.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';

const SOURCE_KEY: Record<NetView['sources'][number], UiKey> = {
  webrequest: 'netSourceWebrequest',
  devtools: 'netSourceDevtools',
  cdp: 'netSourceCdp',
  har: 'netSourceHar',
};

function Headers({ title, headers, testid }: { title: string; headers: readonly NetHeader[] | undefined; testid: string }) {
  if (!headers?.length) return null;
  return (
    <details class="stack" open data-testid={testid}>
      <summary>{title}</summary>
      <table class="headers">
        <tbody>
          {headers.map((h, i) => (
            <tr key={i}>
              <th scope="row">{inert(h.name)}</th>
              <td>{inert(h.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The opening handshake as the network saw it: status line, error, headers, timings, sources. */
function Handshake({ net, ambiguous, lang }: { net: NetView | undefined; ambiguous: readonly NetObservation[] | undefined; lang: UiLang }) {
  if (ambiguous?.length) {
    const answers = [...new Set(ambiguous.map((o) => netLabel(o) ?? '?'))].join(', ');
    return <p class="notice" data-testid="overview-net-ambiguous">{ui(lang, 'netAmbiguous', { answers })}</p>;
  }
  if (!net) return <p class="muted" data-testid="overview-handshake-none">{ui(lang, 'netNone')}</p>;
  const status = net.statusLine ?? (net.status !== undefined && net.status !== 0 ? String(net.status) : undefined);
  const t = (at: number | undefined) => (at === undefined ? '—' : formatClock(at, lang));
  return (
    <section class="handshake" data-testid="overview-handshake" aria-label={ui(lang, 'handshake')}>
      <h3>{ui(lang, 'handshake')}</h3>
      <dl>
        <Row label={ui(lang, 'netStatus')} value={status} testid="overview-status" />
        <Row label={ui(lang, 'netError')} value={net.error} testid="overview-net-error" />
        <Row label={ui(lang, 'netTiming')} value={ui(lang, 'netTimingValue', { start: t(net.at), response: t(net.responseAt), end: t(net.endAt) })} />
        <Row label={ui(lang, 'netSources')} value={net.sources.map((s) => ui(lang, SOURCE_KEY[s])).join(', ')} testid="overview-net-sources" />
      </dl>
      <Headers title={`${net.method ?? 'GET'} · ${ui(lang, 'netRequestHeaders')}`} headers={net.requestHeaders} testid="overview-request-headers" />
      <Headers title={ui(lang, 'netResponseHeaders')} headers={net.responseHeaders} testid="overview-response-headers" />
      {net.headersDropped ? <p class="muted">{ui(lang, 'netHeadersDropped', { n: net.headersDropped })}</p> : null}
    </section>
  );
}

function Row({ label, value, testid }: { label: string; value: string | undefined; testid?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testid}>{value ? inert(value) : '—'}</dd>
    </>
  );
}

const SYNTHETIC_KEY: Record<NonNullable<NonNullable<Connection['close']>['synthetic']>, UiKey> = {
  pagehide: 'synthetic',
  'frame-gone': 'synthetic',
  blocked: 'syntheticBlocked',
  'network-only': 'syntheticNetOnly',
};

export function Overview({ conn, net, ambiguous, lang }: { conn: Connection; net: NetView | undefined; ambiguous?: readonly NetObservation[]; lang: UiLang }) {
  const close = conn.close;
  const note = conn.netOnly ? 'syntheticNetOnly' : close?.synthetic ? SYNTHETIC_KEY[close.synthetic] : undefined;
  return (
    <div class="overview" data-testid="overview">
      {note && <div class="notice" data-testid="synthetic-note">{ui(lang, note)}</div>}
      {conn.csp && <div class="notice" data-testid="overview-csp">{ui(lang, 'cspBlocked', { directive: conn.csp.directive })}: {inert(conn.csp.policy)}</div>}
      {conn.createThrew && <div class="notice">{ui(lang, 'createThrew', { error: conn.createThrew })}</div>}
      <dl>
        <Row label={ui(lang, 'url')} value={conn.url} />
        {(conn.worker ?? net?.worker) && <Row label={ui(lang, 'workerRow')} value={workerTitle(lang, (conn.worker ?? net?.worker)!)} testid="overview-worker" />}
        <Row label={ui(lang, 'created')} value={formatClock(conn.createdAt, lang)} />
        <Row label={ui(lang, 'opened')} value={conn.openedAt ? formatClock(conn.openedAt, lang) : undefined} />
        <Row label={ui(lang, 'closed')} value={close ? formatClock(close.at, lang) : undefined} />
        <Row label={ui(lang, 'protocol')} value={conn.protocol || (conn.protocols.length ? conn.protocols.join(', ') : undefined)} />
        <Row label={ui(lang, 'extensions')} value={conn.extensions} />
        <Row label={ui(lang, 'closeCode')} value={close ? String(close.code) : undefined} testid="overview-code" />
        <Row label={ui(lang, 'closeReason')} value={close?.reason} testid="overview-reason" />
        <Row label={ui(lang, 'wasClean')} value={close ? ui(lang, close.wasClean ? 'yes' : 'no') : undefined} />
      </dl>
      <Handshake net={net} ambiguous={ambiguous} lang={lang} />
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
