// Texts of the diagnosis engine (diagnose.ts), in English and Japanese: headlines, evidence
// sentences, causes and fixes. Functions take already formatted values (durations as Text,
// sizes and clock times as strings) so that no number formatting hides in the sentences.
import { concat, quote, tx, type Text } from './text.ts';

type D = Text; // a formatted duration

const closeArgs = (code?: number, reason?: string): string =>
  code === undefined ? '' : reason === undefined ? String(code) : `${code}, ${JSON.stringify(reason)}`;

/** Headlines: one line, the answer first. */
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
  byPage: (code?: number, reason?: string): Text =>
    tx(`Closed by the page: close(${closeArgs(code, reason)})`, `ページが閉じました：close(${closeArgs(code, reason)})`),
  byPageWhileConnecting: tx(
    'Closed by the page before the connection was established',
    '接続が確立する前にページが閉じました',
  ),
  byPageNoEcho: (code?: number, reason?: string): Text =>
    tx(
      `Closed by the page (close(${closeArgs(code, reason)})), but the server never completed the close handshake (1006)`,
      `ページが閉じました（close(${closeArgs(code, reason)})）が、サーバーがクローズハンドシェイクを完了しませんでした（1006）`,
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

/** Ranked causes. */
export const C = {
  handshakeStatus: tx(
    'The server answered with an HTTP status other than 101: 401/403 (authentication, origin check), 404 (wrong path), 502/503 (the app behind the proxy is down).',
    'サーバーが 101 以外の HTTP ステータスを返した：401/403（認証、Origin チェック）、404（パスの誤り）、502/503（プロキシの背後のアプリが停止）。',
  ),
  handshakeRefused: tx(
    'Connection refused: nothing listens on that host and port (server down, wrong port).',
    '接続拒否：そのホストとポートで待ち受けているものがない（サーバー停止、ポートの誤り）。',
  ),
  handshakeDns: tx('The host name does not resolve (DNS).', 'ホスト名が解決できない（DNS）。'),
  handshakeTls: tx(
    'TLS failed: invalid, expired or self-signed certificate.',
    'TLS の失敗：証明書が無効、期限切れ、または自己署名。',
  ),
  handshakeBlocked: tx(
    'Blocked in the browser: Content-Security-Policy connect-src, or an extension.',
    'ブラウザー内でブロックされた：Content-Security-Policy の connect-src、または拡張機能。',
  ),
  handshakeHidden: tx(
    'Browsers report all of these as 1006 on purpose, so that pages cannot probe networks: the close code cannot tell them apart.',
    'ページがネットワークを探れないよう、ブラウザーはこれらをすべて意図的に 1006 として報告します。クローズコードからは区別できません。',
  ),
  wasOffline: tx('The browser was offline when it tried to connect.', '接続しようとしたとき、ブラウザーはオフラインでした。'),
  idleKnown: (name: string, timeout: D): Text =>
    tx(
      `${name} closed the connection after ${timeout.en} without traffic (its default idle timeout).`,
      `${name} が ${timeout.ja}通信のない接続を閉じた（既定のアイドルタイムアウト）。`,
    ),
  lifetimeKnown: (name: string, timeout: D): Text =>
    tx(
      `${name} ends every WebSocket after ${timeout.en}, traffic or not.`,
      `${name} は通信の有無にかかわらず、WebSocket を ${timeout.ja}で終了させる。`,
    ),
  noHeartbeat: tx(
    'No heartbeat, or one slower than the timeout: nothing crossed the intermediary long enough for it to call the connection dead.',
    'ハートビートがない、またはタイムアウトより間隔が長い。中継機器が接続を死んだとみなすほど長く、何も通らなかった。',
  ),
  idleUnknown: (silence: D): Text =>
    tx(
      `A proxy, load balancer, NAT or firewall on the path closes connections after about ${silence.en} without traffic.`,
      `経路上のプロキシ、ロードバランサー、NAT、ファイアウォールが、約 ${silence.ja}通信のない接続を閉じている。`,
    ),
  crashLooksSame: tx(
    'The server process died (crash, OOM kill, restart without closing): from the browser this looks exactly the same.',
    'サーバープロセスが落ちた（クラッシュ、OOM による強制終了、クローズせずに再起動）。ブラウザーからはまったく同じに見えます。',
  ),
  serverIdleDestroy: tx(
    'The server\'s own idle check destroyed the socket instead of closing it with a code.',
    'サーバー自身のアイドル判定が、コード付きで閉じずにソケットを破棄した。',
  ),
  serverDown: tx(
    'The server went down: its next connection attempt failed, so the cut was the server process or host going away.',
    'サーバーが停止した：直後の接続が失敗しているため、切断はサーバープロセスやホストの停止によるものです。',
  ),
  offline: tx('The network connection was lost.', 'ネットワーク接続が失われた。'),
  networkSwitch: tx(
    'The network changed (Wi-Fi, VPN, cellular): connections made on the old one die.',
    'ネットワークが切り替わった（Wi-Fi、VPN、モバイル回線）。以前のネットワークで張った接続は失われます。',
  ),
  suspended: tx(
    'The OS or the browser suspended the page (mobile background, sleep): its sockets were cut while it could not run.',
    'OS やブラウザーがページを停止した（モバイルのバックグラウンド、スリープ）。動けない間にソケットが切られた。',
  ),
  throttled: tx(
    'Background throttling delayed the page\'s heartbeat timers, so the server or a proxy gave up on the connection.',
    'バックグラウンドでのタイマー抑制によりページのハートビートが遅れ、サーバーやプロキシが接続を見限った。',
  ),
  bfcache: tx(
    'The page went into the back/forward cache; browsers close or freeze its sockets there.',
    'ページが bfcache に入った。ブラウザーはそこでソケットを閉じるか凍結します。',
  ),
  sizeLimitDrop: tx(
    'The peer has a message size limit and dropped the connection instead of answering 1009 (some servers and gateways do).',
    '相手にメッセージサイズの上限があり、1009 を返さずに接続を切った（そうするサーバーやゲートウェイがあります）。',
  ),
  sizeGateway: tx(
    'A gateway limit: AWS API Gateway accepts frames up to 32 KB and messages up to 128 KB; proxies may have buffer limits.',
    'ゲートウェイの上限：AWS API Gateway はフレーム 32 KB、メッセージ 128 KB まで。プロキシにもバッファの上限がある場合があります。',
  ),
  sizeCrash: tx(
    'The server ran out of memory or crashed while handling the large message.',
    '大きなメッセージの処理中に、サーバーがメモリ不足になった、またはクラッシュした。',
  ),
  sizeServerLib: tx(
    'The server library\'s limit (ws: maxPayload, 100 MiB by default; many frameworks set far less).',
    'サーバーライブラリの上限（ws なら maxPayload、既定 100 MiB。多くのフレームワークはずっと小さい値）。',
  ),
  tcpReset: tx(
    'A network device or the server host reset the TCP connection.',
    'ネットワーク機器やサーバーのホストが TCP 接続をリセットした。',
  ),
  serverTerminate: tx(
    'The server code dropped the socket without a close frame (e.g. terminate() or destroy()).',
    'サーバーのコードが close フレームを送らずにソケットを破棄した（terminate() や destroy() など）。',
  ),
  invalidCloseCode: tx(
    'The server sent an invalid close code (for example 404): Chrome reports that as 1006.',
    'サーバーが不正なクローズコード（404 など）を送った。Chrome はそれを 1006 として報告します。',
  ),
  navigated: tx(
    'The user or the page navigated, reloaded, or closed the tab while the socket was open. This is normal.',
    'ソケットが開いたまま、ユーザーまたはページが遷移・リロード・タブを閉じた。通常の動作です。',
  ),
  frameGone: tx(
    'The iframe that owned the socket was removed from the page.',
    'ソケットを持っていた iframe がページから削除された。',
  ),
  pageCode: tx('Application code called close(): see the caller below.', 'アプリケーションのコードが close() を呼んだ（呼び出し元は下記）。'),
  pageLibrary: tx(
    'A WebSocket library closed it itself (a heartbeat timeout, a reconnect, a logout).',
    'WebSocket ライブラリ自身が閉じた（ハートビートタイムアウト、再接続、ログアウトなど）。',
  ),
  strictMode: tx(
    'A component was unmounted before the socket connected — in development, React StrictMode mounts effects twice and closes the first socket.',
    'ソケットの接続前にコンポーネントがアンマウントされた。開発時は React StrictMode がエフェクトを 2 回実行し、最初のソケットを閉じます。',
  ),
  connectTimeout: tx(
    'The application gave up on a slow connection with its own timeout.',
    'アプリケーション独自のタイムアウトで、遅い接続を諦めた。',
  ),
  noEcho: tx(
    'The server did not answer the close frame (it was dead, stuck, or a proxy dropped the frame): without the answer the browser reports 1006.',
    'サーバーが close フレームに応答しなかった（停止・停滞していた、またはプロキシがフレームを落とした）。応答がないとブラウザーは 1006 を報告します。',
  ),
  serverDeliberate: tx(
    'The server closed on purpose (logout, session end, token rotation, its own idle policy): search the server code for close(1000).',
    'サーバーが意図的に閉じた（ログアウト、セッション終了、トークンの更新、サーバー独自のアイドル判定）。サーバーのコードで close(1000) を探してください。',
  ),
  serverHeartbeat: tx(
    'A server-side heartbeat or session timeout closed it politely with 1000.',
    'サーバー側のハートビートやセッションのタイムアウトが、1000 で丁寧に閉じた。',
  ),
  deploy: tx(
    'A deploy or restart: the server, or a load balancer draining it, closed its connections.',
    'デプロイや再起動。サーバー、または接続をドレインするロードバランサーが接続を閉じた。',
  ),
  shutdown: tx(
    'The server is shutting down gracefully (scale-in, maintenance).',
    'サーバーが正常に停止処理をしている（スケールイン、メンテナンスなど）。',
  ),
  createUrl: tx(
    'The URL is invalid: a scheme other than ws:, wss:, http: or https:, a fragment (#), or a malformed address (SyntaxError).',
    'URL が不正：ws:、wss:、http:、https: 以外のスキーム、フラグメント（#）付き、または形式の誤り（SyntaxError）。',
  ),
  createProtocols: tx(
    'An invalid or duplicated subprotocol name was passed (SyntaxError).',
    '不正な、または重複したサブプロトコル名が渡された（SyntaxError）。',
  ),
  createMixed: tx(
    'An insecure ws:// connection from an https:// page (SecurityError: mixed content), or a blocked port.',
    'https:// のページからの安全でない ws:// 接続（SecurityError：混在コンテンツ）、またはブロックされたポート。',
  ),
};

/** Fixes, most useful first. */
export const F = {
  networkPanel: tx(
    'The network\'s answer was not seen: Chrome tells an extension why a handshake failed only through DevTools\' own network log, which records while DevTools is open. Keep DevTools open and reproduce: this row will then show the HTTP status or network error the close code hides (so will the Network panel, filter WS).',
    'ネットワークの応答は観測できませんでした。Chrome がハンドシェイク失敗の理由を拡張機能に伝えるのは DevTools 自身のネットワークログだけで、記録は DevTools を開いている間に限られます。DevTools を開いたまま再現してください。この行に、クローズコードが隠している HTTP ステータスやネットワークエラーが表示されます（Network パネルでも WS で絞り込めば確認できます）。',
  ),
  serverLogsHandshake: tx(
    'Check the server and proxy logs at the time of the attempt for the upgrade request.',
    '試行時刻のサーバーとプロキシのログで、アップグレードリクエストを確認してください。',
  ),
  auth: tx(
    'Check authentication: browsers cannot set headers on a WebSocket, so tokens go in a cookie, the query, or the first message.',
    '認証を確認してください。ブラウザーは WebSocket にヘッダーを付けられないため、トークンは Cookie、クエリ、または最初のメッセージで渡します。',
  ),
  checkUrl: tx(
    'Check the URL: host, port, path, and ws:// versus wss://.',
    'URL を確認してください：ホスト、ポート、パス、そして ws:// と wss:// の違い。',
  ),
  heartbeat: (interval: D, timeout: D): Text =>
    tx(
      `Send a heartbeat every ${interval.en} or less (half of the ${timeout.en} timeout): server ping frames, or small app-level messages.`,
      `${interval.ja}以下の間隔（タイムアウト ${timeout.ja}の半分）でハートビートを送ってください。サーバーからの ping フレーム、またはアプリレベルの小さなメッセージで構いません。`,
    ),
  serverPings: tx(
    'Pings from the server are best: the browser answers ping frames itself, even in a throttled background tab.',
    'サーバーからの ping が最適です。バックグラウンドで抑制されたタブでも、ブラウザーが ping フレームに自動で応答します。',
  ),
  findIntermediaries: tx(
    'List every proxy, load balancer and tunnel between browser and server, and look up their idle timeouts.',
    'ブラウザーとサーバーの間にあるプロキシ、ロードバランサー、トンネルをすべて洗い出し、それぞれのアイドルタイムアウトを調べてください。',
  ),
  serverLogsAt: (clock: string): Text =>
    tx(`Check the server logs at ${clock} for a crash or restart.`, `${clock} のサーバーログで、クラッシュや再起動がないか確認してください。`),
  reconnectBackoff: tx(
    'Reconnect automatically with exponential backoff and jitter, and resync state after reconnecting.',
    'ジッター付きの指数バックオフで自動的に再接続し、再接続後に状態を同期し直してください。',
  ),
  onlineEvent: tx(
    'Reconnect on the window "online" event instead of retrying blindly while offline.',
    'オフライン中にやみくもに再試行せず、window の online イベントで再接続してください。',
  ),
  resync: tx(
    'After reconnecting, fetch what was missed (last event id, a sequence number, or a full refresh).',
    '再接続後は取りこぼした分を取得してください（最後のイベント ID、シーケンス番号、または全体の再取得）。',
  ),
  onResume: tx(
    'Reconnect on visibilitychange (visible), pageshow and resume: expect the socket to be dead after a suspension.',
    'visibilitychange（visible）、pageshow、resume で再接続してください。停止の後はソケットが切れている前提で扱います。',
  ),
  chunk: tx(
    'Split large payloads into chunks, or upload them over HTTP and send a reference.',
    '大きなデータは分割するか、HTTP でアップロードして参照だけを送ってください。',
  ),
  raiseLimit: tx(
    'Or raise the message size limit on the server or gateway.',
    'または、サーバーやゲートウェイのメッセージサイズ上限を引き上げてください。',
  ),
  nothingNavigated: tx(
    'Nothing to fix: the server received 1001. To end cleanly, call close(1000) in a pagehide listener.',
    '修正は不要です。サーバーには 1001 が届いています。きれいに終えたいなら pagehide のリスナーで close(1000) を呼んでください。',
  ),
  wrapHandlers: tx(
    'Wrap every message handler in try/catch and catch async errors (rejected promises).',
    'すべてのメッセージハンドラーを try/catch で囲み、非同期のエラー（reject された Promise）も捕まえてください。',
  ),
  logConnId: tx(
    'Log errors with a connection id, and put an error id in the close reason to match both sides.',
    'エラーは接続 ID と一緒にログに残し、クローズ理由にエラー ID を入れて双方を突き合わせられるようにしてください。',
  ),
  followStack: tx(
    'If the close was not intended, follow the caller frame to the code that decided to close.',
    '意図しないクローズなら、呼び出し元のフレームをたどって、閉じると判断したコードを確認してください。',
  ),
  strictMode: tx(
    'In development with React StrictMode this is expected; otherwise keep the socket outside the component lifecycle or close it only after open.',
    'React StrictMode の開発環境なら想定どおりです。そうでなければ、ソケットをコンポーネントのライフサイクルの外で管理するか、open の後にだけ閉じてください。',
  ),
  echoClose: tx(
    'Make the server answer close frames (every maintained library does); check for a stuck event loop on the server.',
    'サーバーが close フレームに応答するようにしてください（保守されているライブラリならそうなっています）。サーバーのイベントループが止まっていないかも確認してください。',
  ),
  stormBackoff: tx(
    'Stop the storm: exponential backoff (×2) with random jitter, a cap (e.g. 30 s), and reset the delay only after a connection stayed up for a while.',
    '再接続の嵐を止めてください：ランダムなジッター付きの指数バックオフ（×2）、上限（例：30 秒）を設け、接続がしばらく安定してから待ち時間をリセットします。',
  ),
  addJitter: tx(
    'Add random jitter to the retry delay so that clients do not reconnect in lockstep.',
    'クライアントが一斉に再接続しないよう、待ち時間にランダムなジッターを加えてください。',
  ),
  keepRetrying: tx(
    'The client stopped retrying: keep retrying with a capped backoff, or show the user that the connection is lost with a retry button.',
    'クライアントが再試行をやめています。上限付きのバックオフで再試行を続けるか、接続が切れたことを再試行ボタンとともにユーザーに示してください。',
  ),
  addReconnect: tx(
    'Nothing reconnected: add automatic reconnection with exponential backoff and jitter.',
    '再接続されていません。ジッター付きの指数バックオフによる自動再接続を追加してください。',
  ),
  createRead: tx(
    'Read the exception message: it names the argument the browser rejected.',
    '例外のメッセージを読んでください。ブラウザーが拒否した引数が示されています。',
  ),
  createWss: tx('Use wss:// on https:// pages.', 'https:// のページでは wss:// を使ってください。'),
  phoenixCheck: tx(
    'Check server load and the channel processes at that time; phoenix.js reconnects by itself (reconnectAfterMs).',
    'その時刻のサーバー負荷とチャンネルプロセスを確認してください。phoenix.js は自動で再接続します（reconnectAfterMs）。',
  ),
};
