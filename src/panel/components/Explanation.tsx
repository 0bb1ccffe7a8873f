// The explanation card: what happened, why we think so (evidence with times), what to do.
import { useState } from 'preact/hooks';
import { describeCode } from '../../core/knowledge/close-codes.ts';
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import { localize } from '../../core/knowledge/i18n/text.ts';
import { diagnosisToMarkdown } from '../../core/diagnosis/markdown.ts';
import { CONFIDENCE } from '../../core/knowledge/i18n/honest.ts';
import type { Connection } from '../../core/session/session.ts';
import { httpsUrl } from '../../core/wire/https-url.ts';
import { CATEGORY_LOOK } from '../categories.ts';
import { copyText } from '../clipboard.ts';
import { formatClock, formatDuration, inert } from '../format.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { Icon } from './Icon.tsx';

const SEVERITY: Record<Diagnosis['severity'], UiKey> = { info: 'sevInfo', warning: 'sevWarning', error: 'sevError' };

export function Explanation({ conn, diagnosis, lang }: { conn: Connection; diagnosis: Diagnosis; lang: UiLang }) {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  const look = CATEGORY_LOOK[diagnosis.category];
  const code = conn.close?.code;
  const info = code !== undefined ? describeCode(code, { protocol: conn.protocol || conn.protocols.join(','), url: conn.url, reason: conn.close?.reason ?? '' }) : undefined;
  // Only an https: URL becomes a link: an imported HAR may say anything here (core/wire/https-url.ts).
  const learnMore = httpsUrl(diagnosis.learnMore ?? info?.learnMore);
  const reason = conn.close?.reason;
  const copy = async () => {
    const ok = await copyText(diagnosisToMarkdown(conn, diagnosis, lang));
    setCopied(ok ? 'ok' : 'failed');
    setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <article class={`explanation tone-${look.tone}`} data-testid="explanation" data-category={diagnosis.category} aria-labelledby="expl-headline">
      <header class="expl-head">
        <span class={`expl-code tone-${look.tone}`} data-testid="explanation-code">
          <Icon name={look.icon} size={14} />
          {code ?? '—'}
          {info && <span class="expl-code-name">{localize(info.name, lang)}</span>}
        </span>
        <span class={`sev sev-${diagnosis.severity}`}>{ui(lang, SEVERITY[diagnosis.severity])}</span>
        <span class="tb-grow" />
        <button class="tb-btn" data-testid="copy-markdown" onClick={copy} title={ui(lang, 'copyMarkdown')}>
          {copied === 'ok' ? ui(lang, 'copied') : ui(lang, 'copyMarkdown')}
        </button>
      </header>
      {copied === 'failed' && <div class="notice">{ui(lang, 'copyFailed')}</div>}
      <h2 id="expl-headline" class="expl-headline" data-testid="explanation-headline" data-category={diagnosis.category} data-net={diagnosis.net?.cls}>
        {inert(localize(diagnosis.headline, lang))}
      </h2>
      {reason ? (
        <p class="expl-reason" data-testid="explanation-reason">
          <span class="muted">{ui(lang, 'closeReason')}:</span> <q>{inert(reason)}</q>
        </p>
      ) : null}
      <p class="expl-confidence" data-testid="explanation-confidence" data-confidence={diagnosis.confidence}>
        <span class="muted">{localize(CONFIDENCE.label, lang)}:</span> {localize(CONFIDENCE[diagnosis.confidence], lang)}
      </p>
      {diagnosis.suspect && (
        <p class="expl-suspect" data-testid="explanation-suspect">
          <span class="muted">{ui(lang, 'suspect')}:</span> {diagnosis.suspect.name} ({formatDuration(diagnosis.suspect.timeoutMs)})
        </p>
      )}
      {info && (
        <p class="expl-meaning">
          <span class="muted">{ui(lang, 'codeMeaning')}:</span> {localize(info.meaning, lang)}{' '}
          <span class="muted">
            · {ui(lang, 'sentBy')}: {localize(info.senderText, lang)}
          </span>
        </p>
      )}
      <section aria-label={ui(lang, 'evidence')}>
        <h3>{ui(lang, 'evidence')}</h3>
        <ul class="evidence" data-testid="evidence">
          {diagnosis.evidence.map((e, i) => (
            <li key={i} data-fact={e.fact}>
              {e.at !== undefined && <time class="ev-time">{formatClock(e.at, lang)}</time>}
              <span>{inert(localize(e.text, lang))}</span>
            </li>
          ))}
        </ul>
      </section>
      {diagnosis.causes.length > 0 && (
        <section aria-label={ui(lang, 'causes')}>
          <h3>{ui(lang, 'causes')}</h3>
          <ol class="causes" data-testid="causes">
            {diagnosis.causes.map((c, i) => (
              <li key={i}>{inert(localize(c, lang))}</li>
            ))}
          </ol>
        </section>
      )}
      {diagnosis.competitors && diagnosis.competitors.length > 0 && (
        <section aria-label={localize(CONFIDENCE.competitors, lang)}>
          <h3>{localize(CONFIDENCE.competitors, lang)}</h3>
          <ul class="competitors" data-testid="explanation-competitors">
            {diagnosis.competitors.map((c, i) => (
              <li key={i}>
                {inert(localize(c.cause, lang))} <span class="muted">— {localize(CONFIDENCE.tells, lang)}: {inert(localize(c.tells, lang))}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {diagnosis.fixes.length > 0 && (
        <section aria-label={ui(lang, 'fixes')}>
          <h3>{ui(lang, 'fixes')}</h3>
          <ul class="fixes" data-testid="fixes">
            {diagnosis.fixes.map((f, i) => (
              <li key={i}>{inert(localize(f, lang))}</li>
            ))}
          </ul>
        </section>
      )}
      {learnMore && (
        <p>
          <a href={learnMore} target="_blank" rel="noreferrer noopener" data-testid="learn-more">
            {ui(lang, 'learnMore')} ↗
          </a>
        </p>
      )}
    </article>
  );
}
