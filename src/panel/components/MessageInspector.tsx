// One message, inspected: its application-protocol frames when it decoded, a collapsible JSON
// tree for JSON text, plain text otherwise, and a hex dump (offset, bytes, ASCII) for binary. Everything renders as text nodes — never HTML —
// and is bounded, so a hostile 10 MB one-line payload cannot hurt the panel.
import { useState } from 'preact/hooks';
import { fromBase64 } from '../../core/wire/payload.ts';
import type { MessageResult } from '../../core/protocols/index.ts';
import type { MessageRecord } from '../../core/session/session.ts';
import { copyText } from '../clipboard.ts';
import { formatBytes, formatClock, inert } from '../format.ts';
import { ui, type UiLang } from '../i18n.ts';
import { replayOff, type Said } from '../view/faults.ts';
import type { FaultRequest } from './Faults.tsx';

const MAX_TEXT = 256 * 1024;
const MAX_JSON_NODES = 5_000;
const MAX_DEPTH = 64;

/** Sending this message again: why it is off for the connection, and how to ask. */
interface FaultHook {
  off: Said | undefined;
  request: (r: FaultRequest) => void;
}

export function MessageInspector({ msg, lang, decoded, fault }: { msg: MessageRecord; lang: UiLang; decoded?: MessageResult | undefined; fault?: FaultHook }) {
  const replay = fault ? (fault.off ?? replayOff(msg)) : undefined;
  const data = msg.data ?? '';
  const json = !msg.bin && data.length <= MAX_TEXT ? tryJson(data) : undefined;
  const frames = decoded && 'frames' in decoded ? decoded : undefined;
  const [view, setView] = useState<'decoded' | 'json' | 'text' | 'hex'>(frames ? 'decoded' : msg.bin ? 'hex' : json !== undefined ? 'json' : 'text');
  const shown = json === undefined && view === 'json' ? 'text' : !frames && view === 'decoded' ? (msg.bin ? 'hex' : 'text') : view;
  return (
    <div class="inspector" data-testid="message-inspector" data-view={shown}>
      <div class="inspector-head">
        <span class={`m-dir-label msg-${msg.dir}`}>{msg.dir === 'out' ? '↑' : '↓'}</span>
        <span>{formatClock(msg.at, lang)}</span>
        <span>{formatBytes(msg.size)}</span>
        {msg.trunc && <span class="tag warn">{ui(lang, 'truncated')}</span>}
        {msg.inj && <span class="tag inj" title={ui(lang, 'injectedTitle')}>{ui(lang, 'injected')}</span>}
        {fault && (
          <>
            <button type="button" class="tb-btn" data-testid="fault-replay" disabled={!!replay} title={replay ? ui(lang, replay.key, replay.params) : ui(lang, 'faultReplayTitle')}
              onClick={() => fault.request({ replay: msg })}>
              ↻ {ui(lang, 'faultReplay')}
            </button>
            <button type="button" class="tb-btn" data-testid="fault-as-server" disabled={!!fault.off} title={fault.off ? ui(lang, fault.off.key, fault.off.params) : undefined}
              onClick={() => fault.request({ asServer: msg })}>
              {ui(lang, 'faultSendAsServer')}
            </button>
          </>
        )}
        <span class="tb-grow" />
        {frames && (
          <button class={`tab${shown === 'decoded' ? ' active' : ''}`} data-testid="view-decoded" onClick={() => setView('decoded')}>{ui(lang, 'decodedFrames')}</button>
        )}
        {!msg.bin && json !== undefined && (
          <button class={`tab${shown === 'json' ? ' active' : ''}`} data-testid="view-json" onClick={() => setView('json')}>{ui(lang, 'jsonView')}</button>
        )}
        {!msg.bin && <button class={`tab${shown === 'text' ? ' active' : ''}`} data-testid="view-text" onClick={() => setView('text')}>{ui(lang, 'textView')}</button>}
        <button class={`tab${shown === 'hex' ? ' active' : ''}`} data-testid="view-hex" onClick={() => setView('hex')}>{ui(lang, 'hexView')}</button>
        <button class="tb-btn" data-testid="copy-data" onClick={() => void copyText(data)}>{ui(lang, 'copyData')}</button>
      </div>
      <div class="inspector-body">
        {shown === 'decoded' && frames ? (
          <div data-testid="decoded-view">
            {frames.frames.map((f, i) => (
              <div class="frame-block" key={i} data-testid="decoded-frame">
                <div class={`j-row f-${f.cls}`}>
                  <strong>{inert(f.type)}</strong>
                  <span class="muted">{` ${f.protocol} · ${f.cls}`}</span>
                  {f.id !== undefined && <span class="muted">{` · id=${inert(f.id)}`}</span>}
                  {f.topic && <span class="muted">{` · ${inert(f.topic)}`}</span>}
                  {frames.latencyMs[i] !== undefined && <span class="muted">{` · ${Math.round(frames.latencyMs[i]!)} ms`}</span>}
                  {f.partial && <span class="tag warn">{ui(lang, 'truncated')}</span>}
                </div>
                {f.close && <JsonTree value={f.close} name="close" budget={{ left: 200 }} depth={1} />}
                {f.terms && <JsonTree value={f.terms} name="heartbeat" budget={{ left: 200 }} depth={1} />}
                {f.body !== undefined && <JsonTree value={f.body} name="body" budget={{ left: MAX_JSON_NODES }} depth={1} />}
              </div>
            ))}
          </div>
        ) : shown === 'json' && json !== undefined ? (
          <JsonTree value={json.value} budget={{ left: MAX_JSON_NODES }} depth={0} />
        ) : shown === 'hex' ? (
          <HexDump bytes={msg.bin ? safeBytes(data) : new TextEncoder().encode(data.slice(0, MAX_TEXT))} />
        ) : (
          <pre class="text-view" data-testid="text-view">{inert(data.length > MAX_TEXT ? `${data.slice(0, MAX_TEXT)}…` : data)}</pre>
        )}
      </div>
    </div>
  );
}

function tryJson(s: string): { value: unknown } | undefined {
  const t = s.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return { value: JSON.parse(s) };
  } catch {
    return undefined;
  }
}

function safeBytes(b64: string): Uint8Array {
  try {
    return fromBase64(b64);
  } catch {
    return new Uint8Array();
  }
}

function JsonTree({ value, name, budget, depth }: { value: unknown; name?: string; budget: { left: number }; depth: number }) {
  budget.left--;
  const key = name !== undefined ? <span class="j-key">{inert(name)}: </span> : null;
  if (budget.left < 0 || depth > MAX_DEPTH) return <div class="j-row muted">…</div>;
  if (value === null || typeof value !== 'object') {
    const cls = value === null ? 'j-null' : `j-${typeof value}`;
    const text = typeof value === 'string' ? inert(JSON.stringify(value.length > 2000 ? `${value.slice(0, 2000)}…` : value)) : String(value);
    return <div class="j-row">{key}<span class={cls}>{text}</span></div>;
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const label = Array.isArray(value) ? `Array(${entries.length})` : `{${entries.length}}`;
  return (
    <details class="j-node" open={depth < 2}>
      <summary class="j-row">{key}<span class="muted">{label}</span></summary>
      <div class="j-children">
        {entries.map(([k, v]) => (
          <JsonTree key={k} name={k} value={v} budget={budget} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}

function HexDump({ bytes }: { bytes: Uint8Array }) {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const b = row[i];
      hex += b === undefined ? '   ' : `${b.toString(16).padStart(2, '0')} `;
      if (i === 7) hex += ' ';
      ascii += b === undefined ? '' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} ${ascii}`);
  }
  return <pre class="hex-view" data-testid="hex-view">{lines.join('\n')}</pre>;
}
