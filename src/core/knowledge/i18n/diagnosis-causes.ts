// Ranked causes and fixes of the diagnosis rules, in English and Japanese. Functions take
// already formatted values (durations as Text, sizes as strings), as in diagnosis.ts.
import { tx, type Text } from './text.ts';

type D = Text; // a formatted duration

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
