// Texts of the diagnosis engine (diagnosis/), in English and Japanese: headlines and evidence
// sentences here, causes and fixes in diagnosis-causes.ts. Functions take already formatted
// values (durations as Text, sizes and clock times as strings) so that no number formatting
// hides in the sentences.
import { concat, quote, tx, type Text } from './text.ts';

type D = Text; // a formatted duration

const closeArgs = (code?: number, reason?: string): string =>
  code === undefined ? '' : reason === undefined ? String(code) : `${code}, ${JSON.stringify(reason)}`;

/** Headlines: one line, the answer first. */
/** Who called close() on a socket: its page, or the worker that made it. */
export type Closer = 'page' | 'worker';
const CLOSER: Readonly<Record<Closer, Text>> = { page: tx('the page', 'ページ'), worker: tx('the worker', 'ワーカー') };

export const H = {
  live: (d: D): Text => tx(`Open for ${d.en}`, `接続中（${d.ja}経過）`),
  connecting: (d: D): Text => tx(`Still connecting after ${d.en}`, `${d.ja}経っても接続中です`),
  closing: (d: D): Text =>
    tx(`Closing: close() was called ${d.en} ago, waiting for the server`, `クローズ処理中：${d.ja}前に close() が呼ばれ、サーバーの応答を待っています`),
  createFailed: (msg: string): Text =>
    tx(`new WebSocket() threw — no connection was made: ${msg}`, `new WebSocket() が例外を投げたため、接続は作られませんでした：${msg}`),
  handshakeFailed: (code: number): Text =>
    tx(
      `Never connected: the handshake failed (${code}), it was not a drop`,
      `一度も接続できていません。ハンドシェイクの失敗です（${code}）。切断ではありません`,
    ),
  idleKnown: (silence: D, name: string, timeout: D): Text =>
    tx(
      `Cut after ${silence.en} of silence — matches the ${timeout.en} idle timeout of ${name}`,
      `${silence.ja}無通信の後に切断されました。${name} のアイドルタイムアウト（${timeout.ja}）と一致します`,
    ),
  lifetimeKnown: (lifetime: D, name: string, timeout: D): Text =>
    tx(
      `Cut ${lifetime.en} after opening — matches the ${timeout.en} connection limit of ${name}`,
      `接続から ${lifetime.ja}後に切断されました。${name} の接続時間の上限（${timeout.ja}）と一致します`,
    ),
  idleUnknown: (silence: D): Text =>
    tx(
      `Cut after ${silence.en} of silence — an idle timeout of an unknown intermediary`,
      `${silence.ja}無通信の後に切断されました。不明な中継機器のアイドルタイムアウトと考えられます`,
    ),
  offline: tx('Dropped while the browser was offline (1006)', 'ブラウザーがオフラインの間に切断されました（1006）'),
  suspended: tx(
    'Dropped while the page was in the background or frozen (1006)',
    'ページがバックグラウンドまたは凍結状態の間に切断されました（1006）',
  ),
  largeSend: (size: string, d: D): Text =>
    tx(
      `Cut ${d.en} after the page sent ${size} — likely over the peer's message size limit`,
      `ページが ${size} を送った ${d.ja}後に切断されました。相手のメッセージサイズ上限を超えた可能性が高いです`,
    ),
  tooBig: (size: string): Text =>
    tx(
      `Message too big (1009): the peer refused a message (largest sent: ${size})`,
      `メッセージが大きすぎます（1009）。相手がメッセージを拒否しました（送信した最大サイズ：${size}）`,
    ),
  abnormal: tx('Cut without a close frame (1006): the connection was lost', 'close フレームなしで切断されました（1006）。接続が失われています'),
  serverDown: tx(
    'Cut without a close frame (1006), and the server was unreachable right after',
    'close フレームなしで切断され（1006）、直後にはサーバーへ接続できませんでした',
  ),
  navigated: tx(
    'Ended by navigation or reload: the server saw 1001, the page got no close event',
    'ページ遷移またはリロードで終了しました。サーバーには 1001 が届き、ページには close イベントが発火していません',
  ),
  frameGone: tx(
    'Ended because its frame was removed: the server saw 1001, the page got no close event',
    'フレームが削除されたため終了しました。サーバーには 1001 が届き、ページには close イベントが発火していません',
  ),
  serverErrorReason: (reason: string): Text =>
    tx(`Server error: "${reason}" (1011)`, `サーバーエラー：「${reason}」（1011）`),
  serverErrorNoReason: tx(
    'The server hit an internal error (1011) and gave no reason',
    'サーバーで内部エラーが発生しました（1011、理由の記載なし）',
  ),
  // Who called close(): the page, or for a socket a worker made (deep capture) the worker's own code.
  byPage: (closer: Closer, code?: number, reason?: string): Text =>
    tx(`Closed by ${CLOSER[closer].en}: close(${closeArgs(code, reason)})`, `${CLOSER[closer].ja}が閉じました：close(${closeArgs(code, reason)})`),
  byPageWhileConnecting: (closer: Closer): Text =>
    tx(`Closed by ${CLOSER[closer].en} before the connection was established`, `接続が確立する前に${CLOSER[closer].ja}が閉じました`),
  byPageNoEcho: (closer: Closer, code?: number, reason?: string): Text =>
    tx(
      `Closed by ${CLOSER[closer].en} (close(${closeArgs(code, reason)})), but the server never completed the close handshake (1006)`,
      `${CLOSER[closer].ja}が閉じました（close(${closeArgs(code, reason)})）が、サーバーがクローズハンドシェイクを完了しませんでした（1006）`,
    ),
  phoenixHeartbeat: tx(
    'Phoenix client gave up: heartbeat timeout — no reply to its heartbeat in time',
    'Phoenix クライアントが切断：ハートビートタイムアウト（応答が時間内に届きませんでした）',
  ),
  byServer: (reason: string): Text =>
    reason
      ? tx(`Closed normally by the server (1000): "${reason}"`, `サーバーが正常に閉じました（1000）：「${reason}」`)
      : tx('Closed normally by the server (1000)', 'サーバーが正常に閉じました（1000）'),
  goingAway: (reason: string): Text =>
    reason
      ? tx(`The server went away (1001): "${reason}"`, `サーバーが離脱しました（1001）：「${reason}」`)
      : tx('The server went away (1001): deploy, restart or shutdown', 'サーバーが離脱しました（1001）：デプロイ、再起動、または停止'),
  /** Generic: "Policy Violation (1008): "token expired"". */
  coded: (name: Text, code: number, reason: string): Text =>
    reason
      ? tx(`${name.en} (${code}): "${reason}"`, `${name.ja}（${code}）：「${reason}」`)
      : tx(`${name.en} (${code})`, `${name.ja}（${code}）`),
};

/** Evidence sentences: each states one fact the hook saw. */
export const E = {
  closeEvent: (code: number, name: Text, clock: string): Text =>
    tx(`Close event: ${code} ${name.en} at ${clock}`, `close イベント：${code}（${name.ja}）、${clock}`),
  synthetic: (clock: string, frameGone: boolean): Text =>
    frameGone
      ? tx(`The frame was removed at ${clock} with the socket still open`, `${clock} にソケットが開いたままフレームが削除されました`)
      : tx(`pagehide at ${clock} with the socket still open`, `${clock} にソケットが開いたまま pagehide が発生しました`),
  reason: (reason: string): Text => concat(tx('Close reason: ', 'クローズ理由：'), quote(reason)),
  noReason: tx('No close reason was given', 'クローズ理由は空でした'),
  neverOpened: (d: D): Text =>
    tx(`Never reached open: closed ${d.en} after new WebSocket()`, `open に至らず、new WebSocket() から ${d.ja}後に閉じました`),
  opened: (clock: string, lifetime: D): Text =>
    tx(`Opened at ${clock}, ${lifetime.en} before the close`, `${clock} に open（クローズの ${lifetime.ja}前）`),
  errorEvent: tx(
    'An error event fired before the close: the browser\'s sign of a failed connection',
    'close の前に error イベントが発火しました。ブラウザーが接続の失敗とみなした印です',
  ),
  lastIn: (size: string, d: D): Text =>
    tx(`Last message received ${d.en} before the close (${size})`, `最後の受信はクローズの ${d.ja}前（${size}）`),
  lastOut: (size: string, d: D): Text =>
    tx(`Last message sent ${d.en} before the close (${size})`, `最後の送信はクローズの ${d.ja}前（${size}）`),
  noFrames: tx('No message in either direction since open', 'open 以降、送受信ともにメッセージがありません'),
  silence: (d: D): Text =>
    tx(`Silent in both directions for ${d.en} right before the cut`, `切断の直前まで、送受信ともに ${d.ja}無通信でした`),
  lifetime: (d: D): Text => tx(`The connection had been open for ${d.en}`, `接続は ${d.ja}続いていました`),
  otherMatch: (name: string, timeout: D): Text =>
    tx(`Also close to ${name} (${timeout.en})`, `${name}（${timeout.ja}）にも近い値です`),
  invisiblePings: tx(
    'Ping/pong control frames are invisible to the page: if the server sends protocol pings, the real silence was shorter',
    'ping/pong 制御フレームはページからは見えません。サーバーがプロトコルレベルの ping を送っている場合、実際の無通信時間はこれより短くなります',
  ),
  offline: (clock: string, rel: Text): Text => tx(`Browser went offline at ${clock} (${rel.en})`, `${clock} にブラウザーがオフラインになりました（${rel.ja}）`),
  online: (clock: string, rel: Text): Text => tx(`Back online at ${clock} (${rel.en})`, `${clock} にオンラインへ復帰（${rel.ja}）`),
  hidden: (clock: string, rel: Text): Text => tx(`Tab hidden at ${clock} (${rel.en})`, `${clock} にタブが非表示になりました（${rel.ja}）`),
  freeze: (clock: string, rel: Text): Text => tx(`Page frozen at ${clock} (${rel.en})`, `${clock} にページが凍結されました（${rel.ja}）`),
  bfcache: (clock: string, rel: Text): Text =>
    tx(`Page entered the back/forward cache at ${clock} (${rel.en})`, `${clock} にページが bfcache（戻る/進むキャッシュ）に入りました（${rel.ja}）`),
  resumed: (clock: string, rel: Text): Text =>
    tx(
      `Page active again at ${clock} (${rel.en}): a drop during suspension is only noticed on resume`,
      `${clock} にページが再開（${rel.ja}）。停止中の切断は再開時に初めて検知されます`,
    ),
  before: (d: D): Text => tx(`${d.en} before the close`, `クローズの ${d.ja}前`),
  after: (d: D): Text => tx(`${d.en} after the close`, `クローズの ${d.ja}後`),
  largeSend: (size: string, d: D): Text =>
    tx(`The page sent a ${size} message ${d.en} before the cut`, `切断の ${d.ja}前に、ページが ${size} のメッセージを送りました`),
  maxSent: (size: string): Text => tx(`Largest message sent on this socket: ${size}`, `このソケットで送った最大のメッセージ：${size}`),
  maxReceived: (size: string): Text => tx(`Largest message received: ${size}`, `受信した最大のメッセージ：${size}`),
  lastSent: (size: string, d: D): Text =>
    tx(`Last message sent: ${size}, ${d.en} before the close`, `最後に送ったメッセージ：${size}（クローズの ${d.ja}前）`),
  closeCall: (code: number | undefined, reason: string | undefined, clock: string): Text =>
    tx(`The page called close(${closeArgs(code, reason)}) at ${clock}`, `${clock} にページが close(${closeArgs(code, reason)}) を呼びました`),
  closeCallConnecting: tx('…while the socket was still connecting', '…ソケットがまだ接続中のときです'),
  closeCallFrom: (frame: string): Text => tx(`Called from ${frame}`, `呼び出し元：${frame}`),
  closeCallThrew: (msg: string): Text => tx(`A close() call threw: ${msg}`, `close() の呼び出しが例外を投げました：${msg}`),
  noCloseCall: tx('The page never called close(): the other side closed', 'ページは close() を呼んでいません。相手側が閉じています'),
  serverLogs: (clock: string): Text =>
    tx(`Look at the server logs at ${clock} (±1 s)`, `サーバーログの ${clock} 前後（±1 秒）を確認してください`),
  trigger: (size: string, d: D): Text =>
    tx(
      `The page sent a ${size} message ${d.en} before: a likely trigger`,
      `その ${d.ja}前にページが ${size} のメッセージを送っています。これが引き金の可能性があります`,
    ),
  library: (name: string): Text => tx(`Recognised library: ${name}`, `認識したライブラリ：${name}`),
  createThrew: (msg: string): Text => tx(`The constructor threw: ${msg}`, `コンストラクターの例外：${msg}`),
  nextFailed: (d: D): Text =>
    tx(
      `The next socket to the same endpoint, ${d.en} later, could not connect at all`,
      `${d.ja}後に同じエンドポイントへ張った次のソケットは、まったく接続できませんでした`,
    ),
  reconnect: (k: number, n: number, d: D): Text =>
    tx(
      `Reconnect attempt ${k} of ${n} to this endpoint, ${d.en} after the previous socket ended`,
      `このエンドポイントへの再接続 ${n} 回中 ${k} 回目。前のソケットの終了から ${d.ja}後`,
    ),
  reconnectNext: (d: D): Text =>
    tx(`A new socket to the same endpoint followed ${d.en} later`, `${d.ja}後に同じエンドポイントへ新しいソケットが張られました`),
  backoff: (what: Text): Text => concat(tx('Retry policy: ', '再試行の方式：'), what),
  storm: (n: number, d: D): Text =>
    tx(`Reconnect storm: ${n} attempts, median delay ${d.en}`, `再接続の嵐：${n} 回の試行、待ち時間の中央値 ${d.ja}`),
  gaveUp: (n: number, window: D): Text =>
    tx(
      `No further attempt within ${window.en}: the client gave up after ${n} reconnect attempt${n === 1 ? '' : 's'}`,
      `${window.ja}以内に次の試行がありません。クライアントは ${n} 回の再接続の後に諦めています`,
    ),
  noReconnect: (window: D): Text =>
    tx(`No new socket to the same endpoint within ${window.en}`, `${window.ja}以内に同じエンドポイントへの新しいソケットはありません`),
  connectingFor: (d: D): Text => tx(`Created ${d.en} ago and not open yet`, `${d.ja}前に作成され、まだ open していません`),
};

export const BACKOFF = {
  none: tx('immediate retries, no backoff', '待ち時間なしの即時再試行（バックオフなし）'),
  constant: (d: D, jitter: boolean): Text =>
    tx(`constant delay of about ${d.en}${jitter ? ', with jitter' : ''}`, `約 ${d.ja}の一定間隔${jitter ? '（ジッターあり）' : ''}`),
  linear: (step: D, jitter: boolean): Text =>
    tx(`linear backoff, +${step.en} per attempt${jitter ? ', with jitter' : ''}`, `線形バックオフ（1 回ごとに +${step.ja}）${jitter ? '、ジッターあり' : ''}`),
  exponential: (factor: number, jitter: boolean): Text =>
    tx(
      `exponential backoff ×${factor}${jitter ? ' with jitter' : ', no jitter'}`,
      `指数バックオフ（×${factor}）${jitter ? '、ジッターあり' : '、ジッターなし'}`,
    ),
  irregular: tx('irregular delays, no clear pattern', '不規則な待ち時間（明確な規則なし）'),
};
