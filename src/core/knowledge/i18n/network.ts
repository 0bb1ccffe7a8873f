// Texts of the network rules (diagnosis/rules-network.ts, net-verdict.ts): what the network
// said about a failed handshake, one set per NetClass (network/net.ts): headlines and evidence
// here, causes and fixes in network-causes.ts. Values quoted from the network (headers, error
// strings, host names) arrive already bounded and made inert by diagnosis/net-verdict.ts; these
// functions only place them. docs/network.md, "What the diagnosis relies on", has the sources.
import { concat, tx, type Text } from './text.ts';

type D = Text; // a formatted duration

/** Which source reported a fact (NetSource). */
export const SOURCE_NAME = {
  webrequest: tx('webRequest', 'webRequest（拡張機能 API）'),
  devtools: tx('DevTools network log', 'DevTools のネットワークログ'),
  har: tx('HAR', 'HAR ファイル'),
  cdp: tx('the browser\'s network layer (deep capture)', 'ブラウザーのネットワーク層（ディープキャプチャ）'),
};

/** Headlines: a lead (how we know the socket) and a body (what the network said). */
export const NH = {
  lead: tx('Never connected: ', '一度も接続できていません。'),
  leadNetOnly: tx(
    'Seen on the network only (no page socket: a Worker\'s, or one the hook did not wrap): ',
    'ネットワーク上でのみ観測（ページ側のソケットなし：Worker のもの、またはフックが捕捉していないもの）。',
  ),
  unauthorized: (status: string): Text =>
    tx(
      `the server answered ${status} Unauthorized — credentials missing, expired or rejected`,
      `サーバーが ${status} Unauthorized を返しました。認証情報がない、期限切れ、または拒否されています`,
    ),
  proxyAuth: tx(
    'a proxy answered 407 Proxy Authentication Required — it wants credentials the browser did not give',
    'プロキシが 407 Proxy Authentication Required を返しました。ブラウザーが渡していない認証情報を求めています',
  ),
  forbidden: tx(
    'the server answered 403 Forbidden — it does not allow this origin or this user',
    'サーバーが 403 Forbidden を返しました。この Origin またはこのユーザーを許可していません',
  ),
  badRequest: tx(
    'the server answered 400 Bad Request — it rejected the upgrade request itself',
    'サーバーが 400 Bad Request を返しました。アップグレードリクエストそのものを拒否しています',
  ),
  notFound: (status: string): Text =>
    tx(`the server answered ${status} — there is no WebSocket endpoint at this path`, `サーバーが ${status} を返しました。このパスに WebSocket のエンドポイントはありません`),
  notWebSocket: (status: string): Text =>
    tx(
      `the server answered ${status} instead of 101 — this URL is not a WebSocket endpoint`,
      `サーバーが 101 ではなく ${status} を返しました。この URL は WebSocket のエンドポイントではありません`,
    ),
  redirect: (status: string): Text =>
    tx(
      `the server redirected (${status}) — browsers never follow redirects for WebSocket`,
      `サーバーがリダイレクトしました（${status}）。ブラウザーは WebSocket のリダイレクトを追いません`,
    ),
  upgradeRequired: tx(
    'the server answered 426 Upgrade Required — it wants another protocol version or TLS',
    'サーバーが 426 Upgrade Required を返しました。別のプロトコルバージョンか TLS を求めています',
  ),
  rateLimited: tx(
    'the server answered 429 Too Many Requests — it is rate-limiting connections',
    'サーバーが 429 Too Many Requests を返しました。接続数を制限しています',
  ),
  unavailable: tx(
    'the server answered 503 Service Unavailable — overloaded, in maintenance, or no healthy backend',
    'サーバーが 503 Service Unavailable を返しました。過負荷、メンテナンス中、または正常なバックエンドがありません',
  ),
  waitFor: (wait: D): Text => tx(` (Retry-After: wait ${wait.en})`, `（Retry-After：${wait.ja}待つ必要があります）`),
  serverError: (status: string): Text =>
    tx(`the server answered ${status} — it failed while handling the upgrade`, `サーバーが ${status} を返しました。アップグレードの処理中にエラーが起きています`),
  badGateway: (status: string): Text =>
    tx(
      `${status} from a proxy or load balancer — it could not get an answer from the server behind it`,
      `プロキシまたはロードバランサーが ${status} を返しました。背後のサーバーから応答を得られていません`,
    ),
  gatewayTimeout: tx(
    '504 from a proxy or load balancer — it waited too long for the server behind it',
    'プロキシまたはロードバランサーが 504 を返しました。背後のサーバーの応答を待ちきれませんでした',
  ),
  httpError: (status: string): Text =>
    tx(`the server refused the upgrade with HTTP ${status}`, `サーバーが HTTP ${status} でアップグレードを拒否しました`),
  dns: (host: string): Text =>
    tx(`the host name ${host} could not be resolved (DNS)`, `ホスト名 ${host} を名前解決できませんでした（DNS）`),
  refused: (hostPort: string): Text =>
    tx(`connection refused — nothing listens on ${hostPort}`, `接続が拒否されました。${hostPort} で待ち受けているものがありません`),
  reset: tx('the connection was reset or closed during the handshake', 'ハンドシェイクの途中で接続がリセットされた、または閉じられました'),
  timeout: tx('the connection attempt timed out', '接続の試行がタイムアウトしました'),
  tls: (error: string): Text =>
    tx(`the TLS handshake failed (${error})`, `TLS ハンドシェイクに失敗しました（${error}）`),
  blockedClient: (error: string): Text =>
    tx(
      `the browser blocked the request before it left (${error}): an extension or a policy`,
      `リクエストは送信前にブラウザー内でブロックされました（${error}）。拡張機能またはポリシーによるものです`,
    ),
  csp: (directive: string): Text =>
    tx(
      `the page's Content-Security-Policy (${directive}) blocked the socket — no request was made`,
      `ページの Content-Security-Policy（${directive}）がソケットをブロックしました。リクエストは送られていません`,
    ),
  tunnel: tx('the proxy could not open a tunnel to the server', 'プロキシがサーバーへのトンネルを開けませんでした'),
  invalidResponse: tx(
    "the server's answer was not a valid WebSocket handshake",
    'サーバーの応答が正しい WebSocket ハンドシェイクではありませんでした',
  ),
  subprotocol: tx(
    'the server upgraded (101) but did not select the subprotocol the page asked for, so the browser failed the socket',
    'サーバーはアップグレード（101）しましたが、ページが要求したサブプロトコルを選ばなかったため、ブラウザーがソケットを失敗させました',
  ),
  unsafePort: (port: string): Text =>
    tx(`the browser does not allow connections to port ${port}`, `ブラウザーはポート ${port} への接続を許可していません`),
  network: (error: string): Text =>
    tx(
      `the browser only said the handshake failed (${error}), not why`,
      `ブラウザーはハンドシェイクの失敗（${error}）を伝えただけで、理由は示していません`,
    ),
  mixedContent: tx(
    'new WebSocket() threw: an insecure ws:// socket from an https:// page is blocked (mixed content)',
    'new WebSocket() が例外を投げました。https:// のページからの安全でない ws:// 接続はブロックされます（混在コンテンツ）',
  ),
  unsafePortThrew: tx(
    'new WebSocket() threw: the browser does not allow connections to this port',
    'new WebSocket() が例外を投げました。ブラウザーはこのポートへの接続を許可していません',
  ),
  blockedUnknown: tx(
    'Blocked by the browser when it was created: the socket was closed at once and no request was made',
    '作成時にブラウザーがブロックしました。ソケットは直ちに閉じられ、リクエストは送られていません',
  ),
  netOnlyUpgraded: tx(
    'Seen on the network only: the handshake succeeded (101), but no page socket was seen, so its messages and its end are unknown',
    'ネットワーク上でのみ観測：ハンドシェイクは成功しました（101）が、ページ側のソケットが見えないため、メッセージと終わり方は分かりません',
  ),
  netOnlyPending: tx(
    'Seen on the network only: a WebSocket request with no answer recorded yet, and no page socket',
    'ネットワーク上でのみ観測：まだ応答が記録されていない WebSocket リクエストで、ページ側のソケットはありません',
  ),
};

/** Evidence: each states one fact the network (or the page's policy check) reported. */
export const NE = {
  status: (status: string, clock: string, sources: Text): Text =>
    tx(`The network reported ${status} at ${clock} (${sources.en})`, `ネットワークの記録：${status}（${clock}、${sources.ja}）`),
  error: (error: string, clock: string, sources: Text): Text =>
    tx(`The network reported the error "${error}" at ${clock} (${sources.en})`, `ネットワークが記録したエラー：「${error}」（${clock}、${sources.ja}）`),
  requestHeader: (name: string, value: string): Text => tx(`Request header ${name}: ${value}`, `リクエストヘッダー ${name}：${value}`),
  responseHeader: (name: string, value: string): Text => tx(`Response header ${name}: ${value}`, `レスポンスヘッダー ${name}：${value}`),
  noResponseHeader: (name: string): Text => tx(`The response had no ${name} header`, `レスポンスに ${name} ヘッダーはありませんでした`),
  noCookie: tx(
    'The upgrade request carried no Cookie header: no session cookie reached the server',
    'アップグレードリクエストに Cookie ヘッダーがありません。セッション Cookie はサーバーに届いていません',
  ),
  retryAfter: (raw: string, wait: D, until: string): Text =>
    tx(
      `Retry-After: ${raw} — the server asked to wait ${wait.en} (until ${until})`,
      `Retry-After：${raw}。サーバーは ${wait.ja}待つよう求めています（${until} まで）`,
    ),
  retryAfterUnreadable: (raw: string): Text =>
    tx(`Retry-After: ${raw} — neither seconds nor an HTTP date`, `Retry-After：${raw}。秒数でも HTTP の日付でもありません`),
  noRetryAfter: tx('No Retry-After header: the server did not say how long to wait', 'Retry-After ヘッダーはありません。サーバーは待つべき時間を示していません'),
  retriedTooSoon: (after: D, wait: D): Text =>
    tx(
      `The next attempt came ${after.en} later, before the ${wait.en} the server asked for`,
      `次の試行は ${after.ja}後で、サーバーが求めた ${wait.ja}より前でした`,
    ),
  asked: (protocols: string): Text => tx(`The page asked for the subprotocol(s) ${protocols}`, `ページが要求したサブプロトコル：${protocols}`),
  answeredNone: tx(
    'The server\'s 101 response had no Sec-WebSocket-Protocol header: it selected none',
    'サーバーの 101 応答に Sec-WebSocket-Protocol ヘッダーがなく、どれも選ばれていません',
  ),
  answered: (protocol: string): Text =>
    tx(`The server's 101 response selected ${protocol}, which the page did not ask for`, `サーバーの 101 応答は、ページが要求していない ${protocol} を選びました`),
  csp: (directive: string, blocked: string, clock: string): Text =>
    tx(
      `The page's Content-Security-Policy blocked ${blocked} at ${clock} (directive ${directive})`,
      `${clock} にページの Content-Security-Policy が ${blocked} をブロックしました（ディレクティブ ${directive}）`,
    ),
  cspPolicy: (policy: string): Text => tx(`The policy: ${policy}`, `ポリシー：${policy}`),
  closedAtCreate: tx(
    'The socket was already CLOSED when new WebSocket() returned (readyState 3): the page got an error event and no close event',
    'new WebSocket() が返った時点でソケットはすでに CLOSED（readyState 3）でした。ページには error イベントだけが届き、close イベントは発火していません',
  ),
  netOnly: tx(
    'No page socket matches this request: the page hook never saw it being created',
    'このリクエストに対応するページ側のソケットはありません。ページのフックはその作成を見ていません',
  ),
  mixed: (url: string): Text =>
    tx(`The socket URL is insecure (${url}) and the constructor threw a SecurityError`, `ソケットの URL は安全でない ${url} で、コンストラクターが SecurityError を投げました`),
  bareFailure: tx(
    'No source named the failure: Chromium\'s webRequest reports every failed handshake as net::ERR_FAILED, whatever the cause',
    '失敗の種類を示したソースはありません。Chromium の webRequest は、原因にかかわらず失敗したハンドシェイクをすべて net::ERR_FAILED として報告します',
  ),
};

/** "webRequest, DevTools network log". */
export function sourceNames(sources: readonly (keyof typeof SOURCE_NAME)[]): Text {
  const parts = sources.map((s) => SOURCE_NAME[s]);
  if (!parts.length) return tx('source unknown', '出所不明');
  return parts.slice(1).reduce<Text>((acc, p) => concat(acc, tx(', ', '、'), p), parts[0]!);
}
