// Texts for faults injected from the panel (core/faults/), in English and Japanese: what each
// fault was (evidence, the CLI's one-line list), and the diagnosis of a connection whose end was
// injected or caused by an injected fault. Never worded as a real failure: the developer did it.
import type { FaultRecord } from '../../session/connection.ts';
import { fmtBytes, fmtClock, fmtDuration, tx, type Text } from './text.ts';

type D = Text; // a formatted duration

const q = (s: string): string => JSON.stringify(s);
const withReason = (code: number | undefined, reason: string | undefined): string =>
  `${code ?? 1011}${reason ? ` ${q(reason)}` : ''}`;

/** fail-next's rule in words: "the next 3 attempts" / "every attempt until turned off". */
function attempts(n: number | undefined): Text {
  if (n === undefined) return tx('attempts', '接続試行');
  if (n === 0) return tx('every attempt until turned off', '解除するまでのすべての接続試行');
  return n === 1 ? tx('the next attempt', '次の 1 回の接続試行') : tx(`the next ${n} attempts`, `次の ${n} 回の接続試行`);
}

function failHow(r: Pick<FaultRecord, 'as' | 'code' | 'reason'>): Text {
  return r.as === 'after-open'
    ? tx(`closed with ${withReason(r.code, r.reason)} right after open`, `接続直後に ${withReason(r.code, r.reason)} でクローズ`)
    : tx('as 1006 before open', '接続前に 1006 で失敗');
}

/** What one fault did, in a few words (the CLI's list, the panel's marker). */
export function faultShort(r: FaultRecord): Text {
  const t = ((): Text => {
    switch (r.op) {
      case 'drop':
        return tx('drop', '切断');
      case 'close':
        return tx(`server close ${withReason(r.code, r.reason)}`, `サーバー側クローズ ${withReason(r.code, r.reason)}`);
      case 'silence':
        return tx(`silence ${fmtDuration(r.ms ?? 0).en} (${r.mode ?? 'hold'})`, `無応答 ${fmtDuration(r.ms ?? 0).ja}（${r.mode === 'drop' ? '破棄' : '保留'}）`);
      case 'delay':
        return r.ms ? tx(`delay ${fmtDuration(r.ms).en}`, `遅延 ${fmtDuration(r.ms).ja}`) : tx('delay off', '遅延解除');
      case 'drop-next':
        return tx(`drop next ${r.n ?? 0}`, `次の ${r.n ?? 0} 件を破棄`);
      case 'block-sends':
        return r.pattern ? tx(`block sends ${q(r.pattern)}`, `送信ブロック ${q(r.pattern)}`) : tx('block sends off', '送信ブロック解除');
      case 'fail-next':
        return tx(`fail ${attempts(r.n).en}`, `${attempts(r.n).ja}を失敗させる`);
      case 'send':
        return r.dir === 'out' ? tx(`send to server ${fmtBytes(r.size ?? 0)}`, `サーバーへ送信 ${fmtBytes(r.size ?? 0)}`) : tx(`message from "server" ${fmtBytes(r.size ?? 0)}`, `「サーバーから」のメッセージ ${fmtBytes(r.size ?? 0)}`);
      case 'clear':
        return tx('clear', '解除');
    }
  })();
  return r.ok ? t : tx(`${t.en} (refused)`, `${t.ja}（拒否）`);
}

/** One evidence line per fault: what it did, when. */
export function faultEvidence(r: FaultRecord): Text {
  const at = fmtClock(r.at);
  if (!r.ok) {
    const s = faultShort({ ...r, ok: true });
    return tx(`Injected from the panel at ${at} and refused: ${s.en} — ${r.error ?? 'no reason given'}`, `${at} にパネルから注入しようとして拒否されました：${s.ja} — ${r.error ?? '理由なし'}`);
  }
  switch (r.op) {
    case 'drop':
      return tx(`You dropped the link from the panel at ${at} (the page was shown 1006, the server was told 4999)`, `${at} にパネルから接続を切断しました（ページには 1006、サーバーには 4999 を通知）`);
    case 'close':
      return tx(`You closed it from the panel at ${at} as the server would, with ${withReason(r.code, r.reason)}`, `${at} にパネルからサーバー側のクローズを ${withReason(r.code, r.reason)} で再現しました`);
    case 'silence': {
      const d = fmtDuration(r.ms ?? 0);
      return r.mode === 'drop'
        ? tx(`You injected ${d.en} of silence at ${at}: inbound messages in it were dropped`, `${at} に ${d.ja}の無応答を注入しました（その間の受信メッセージは破棄）`)
        : tx(`You injected ${d.en} of silence at ${at}: inbound messages were held, then delivered`, `${at} に ${d.ja}の無応答を注入しました（受信メッセージは保留後に配信）`);
    }
    case 'delay':
      return r.ms
        ? tx(`From ${at}, every inbound message was delayed by ${fmtDuration(r.ms).en} (injected)`, `${at} から受信メッセージをすべて ${fmtDuration(r.ms).ja}遅らせました（注入）`)
        : tx(`The injected delay was turned off at ${at}`, `${at} に注入した遅延を解除しました`);
    case 'drop-next':
      return tx(`From ${at}, the next ${r.n ?? 0} inbound messages were dropped (injected)`, `${at} から次の ${r.n ?? 0} 件の受信メッセージを破棄しました（注入）`);
    case 'block-sends':
      return r.pattern
        ? tx(`From ${at}, the page's sends matching ${q(r.pattern)} were blocked (injected)`, `${at} から ${q(r.pattern)} に一致するページの送信をブロックしました（注入）`)
        : tx(`Send blocking was turned off at ${at}`, `${at} に送信ブロックを解除しました`);
    case 'fail-next':
      return tx(`You failed this attempt from the panel at ${at} (${failHow(r).en})`, `${at} にパネルからこの接続試行を失敗させました（${failHow(r).ja}）`);
    case 'send':
      return r.dir === 'out'
        ? tx(`At ${at} you sent ${fmtBytes(r.size ?? 0)} to the server from the panel`, `${at} にパネルからサーバーへ ${fmtBytes(r.size ?? 0)} を送信しました`)
        : tx(`At ${at} you injected a ${fmtBytes(r.size ?? 0)} message as if from the server (it never crossed the network)`, `${at} にサーバーからのように見せて ${fmtBytes(r.size ?? 0)} のメッセージを注入しました（ネットワークは通っていません）`);
    case 'clear':
      return tx(`You undid the injected faults at ${at}`, `${at} に注入した障害を解除しました`);
  }
}

/** A document-wide fail-next rule, as the headline of the attempt it failed names it. */
export function failRule(r: Pick<FaultRecord, 'n' | 'url' | 'as' | 'code' | 'reason'>, setAt: number | undefined): Text {
  const to = r.url ? ` to ${r.url}` : '';
  const toJa = r.url ? `${r.url} への` : '';
  const set = setAt === undefined ? tx('', '') : tx(`, set at ${fmtClock(setAt)}`, `、${fmtClock(setAt)} に設定`);
  return tx(`fail ${attempts(r.n).en}${to} ${failHow(r).en}${set.en}`, `${toJa}${attempts(r.n).ja}を失敗させる・${failHow(r).ja}${set.ja}`);
}

/** Headlines of the `injected` category. */
export const FH = {
  dropped: (at: string): Text =>
    tx(`You dropped this link from the panel at ${at} (the page was shown 1006, the server was told 4999)`, `${at} にパネルからこの接続を切断しました（ページには 1006、サーバーには 4999 を通知）`),
  closed: (at: string, code: number, name: string, reason: string): Text =>
    tx(
      `You closed it from the panel at ${at} as the server would, with ${code}${reason ? ` ${q(reason)}` : name ? ` (${name})` : ''}`,
      `${at} にパネルからサーバー側のクローズを再現しました（${code}${reason ? ` ${q(reason)}` : name ? `・${name}` : ''}）`,
    ),
  failed: (rule: Text): Text => tx(`You failed this attempt from the panel (${rule.en})`, `パネルからこの接続試行を失敗させました（${rule.ja}）`),
  /** The end came during an injected fault: what gave up, during what. */
  gaveUp: (who: 'client' | 'server', during: Text): Text =>
    who === 'client'
      ? tx(`The client gave up during ${during.en}`, `${during.ja}の間にクライアントが接続を諦めました`)
      : tx(`The server ended it during ${during.en}: the page could not answer it`, `${during.ja}の間にサーバーが接続を終了しました（ページが応答できなかったため）`),
};

/** "the 30 s silence you injected at 12:03:04" and the like, for FH.gaveUp. */
export const DURING = {
  silence: (d: D, at: string): Text => tx(`the ${d.en} silence you injected at ${at}`, `${at} に注入した ${d.ja}の無応答`),
  dropNext: (n: number, at: string): Text => tx(`the ${n} inbound messages you dropped from ${at}`, `${at} から ${n} 件の受信メッセージを破棄した間`),
  delay: (d: D, at: string): Text => tx(`the ${d.en} delay you injected at ${at}`, `${at} に注入した ${d.ja}の遅延`),
  blocked: (pattern: string, at: string): Text => tx(`the send blocking (${q(pattern)}) you injected at ${at}`, `${at} に注入した送信ブロック（${q(pattern)}）`),
};

export const FE = {
  /** What the normal rules would have said, kept so nothing is hidden. */
  otherwise: (h: Text): Text => tx(`Without the injected fault this would read: ${h.en}`, `注入した障害がなければ次のように診断されます：${h.ja}`),
  dropped: (n: number): Text => tx(`${n} older injected faults are not kept`, `古い注入障害 ${n} 件は保持されていません`),
};

export const FC = {
  test: tx('A fault you injected from the panel to test the app, not a real failure', 'アプリの検証のためにパネルから注入した障害で、実際の障害ではありません'),
  caused: tx(
    'The end came inside the window of a fault you injected: the fault is the likely trigger, not the server or the network',
    '注入した障害の時間内に接続が終わりました。サーバーやネットワークではなく、その障害が引き金と考えられます',
  ),
};

export const FF = {
  recovery: tx(
    'Check how the app recovered: did it reconnect, after what delay and backoff, and did it restore its state (subscriptions, unsent messages)?',
    'アプリの回復を確認してください：再接続したか、どの程度の待ち時間とバックオフで、状態（購読・未送信メッセージ）を復元したか',
  ),
  heartbeat: tx(
    'The app noticed the silence and gave up, as a heartbeat should: check that its timeout is what you expect and that it reconnects',
    'アプリは無応答に気づいて接続を諦めました（ハートビートの想定どおり）。タイムアウト値が想定どおりか、再接続するかを確認してください',
  ),
};
