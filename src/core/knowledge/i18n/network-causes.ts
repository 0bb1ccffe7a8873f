// Causes and fixes of the network rules, per NetClass (network/net.ts), in English and Japanese:
// what may have made the handshake fail, most likely first, and what to do about it. Values
// quoted from the network arrive bounded and inert (diagnosis/net-verdict.ts).
import { tx, type Text } from './text.ts';

type D = Text; // a formatted duration

/** Ranked causes, per class. */
export const NC = {
  noCredentials: tx(
    'No valid credentials reached the server: the session cookie was not sent or has expired, or the token is missing.',
    '有効な認証情報がサーバーに届いていない：セッション Cookie が送られていない・期限切れ、またはトークンがない。',
  ),
  authScheme: (scheme: string): Text =>
    tx(
      `The server asks for ${scheme} (WWW-Authenticate): a page cannot add an Authorization header to a WebSocket, so only a cookie, the query or the subprotocol can carry it.`,
      `サーバーは ${scheme} を求めている（WWW-Authenticate）。ページは WebSocket に Authorization ヘッダーを付けられないため、渡せるのは Cookie、クエリ、サブプロトコルだけです。`,
    ),
  sameSite: tx(
    'Cookies not sent cross-site: the socket\'s host is another site than the page and the cookie is SameSite=Lax or Strict, or third-party cookies are blocked.',
    'クロスサイトで Cookie が送られていない：ソケットのホストがページとは別のサイトで、Cookie が SameSite=Lax/Strict、またはサードパーティ Cookie がブロックされている。',
  ),
  tokenExpired: tx(
    'A token passed in the query string or as a subprotocol expired or was revoked, and the client reconnects with the old one.',
    'クエリ文字列やサブプロトコルで渡したトークンが期限切れまたは失効しており、クライアントが古いトークンのまま再接続している。',
  ),
  proxyAuth: tx(
    'A proxy between the browser and the server requires authentication (Proxy-Authenticate), and the browser had no credentials for it.',
    'ブラウザーとサーバーの間のプロキシが認証を求めており（Proxy-Authenticate）、ブラウザーはその認証情報を持っていなかった。',
  ),
  proxyPac: tx(
    'The system or PAC proxy settings send WebSocket traffic through an authenticating proxy that ordinary pages bypass.',
    'システムや PAC のプロキシ設定により、通常のページは経由しない認証付きプロキシを WebSocket の通信が通っている。',
  ),
  originList: (origin: string): Text =>
    origin
      ? tx(
          `The server's Origin allow-list does not include this page's origin (${origin}): servers check the Origin header of upgrades and answer 403 to origins they do not accept (RFC 6455 §4.2.2).`,
          `サーバーの Origin 許可リストにこのページの Origin（${origin}）が含まれていない。サーバーはアップグレードの Origin ヘッダーを確認し、受け付けない Origin には 403 を返します（RFC 6455 §4.2.2）。`,
        )
      : tx(
          'The server\'s Origin allow-list does not include this page\'s origin: servers check the Origin header of upgrades and answer 403 to origins they do not accept (RFC 6455 §4.2.2).',
          'サーバーの Origin 許可リストにこのページの Origin が含まれていない。サーバーはアップグレードの Origin ヘッダーを確認し、受け付けない Origin には 403 を返します（RFC 6455 §4.2.2）。',
        ),
  role: tx(
    'Authenticated but not allowed: the user\'s role or the token\'s scope does not grant this endpoint.',
    '認証はされているが許可されていない：ユーザーのロールやトークンのスコープがこのエンドポイントを許していない。',
  ),
  csrf: tx(
    'A CSRF or cross-site check (Origin against Host, a missing CSRF token in the query), or a WAF/CDN rule, rejected the request.',
    'CSRF やクロスサイトの検査（Origin と Host の照合、クエリに CSRF トークンがない）、または WAF や CDN のルールがリクエストを拒否した。',
  ),
  hopByHop: tx(
    'A proxy did not forward the Upgrade and Connection headers: they are hop-by-hop, so each proxy must pass them on explicitly (nginx: proxy_http_version 1.1 and proxy_set_header Upgrade/Connection), and the server saw an ordinary request.',
    'プロキシが Upgrade と Connection ヘッダーを転送していない。これらはホップバイホップのヘッダーなので、各プロキシが明示的に渡す必要があり（nginx なら proxy_http_version 1.1 と proxy_set_header Upgrade/Connection）、サーバーには普通のリクエストとして届いた。',
  ),
  wrongQuery: tx(
    'The path or query parameters are not what the server\'s handler expects (a missing or malformed parameter, a client library version mismatch).',
    'パスやクエリパラメーターがサーバーのハンドラーの想定と違う（パラメーターの欠落や形式の誤り、クライアントライブラリのバージョンの不一致）。',
  ),
  badHandshake: tx(
    'The server\'s WebSocket library rejected the handshake headers (Sec-WebSocket-Version, Sec-WebSocket-Key), for example after a proxy rewrote them.',
    'サーバーの WebSocket ライブラリがハンドシェイクのヘッダー（Sec-WebSocket-Version、Sec-WebSocket-Key）を拒否した。プロキシが書き換えた場合などです。',
  ),
  wrongPath: tx(
    'Wrong path or query: the server has no WebSocket route here (for example /ws versus /socket.io/?EIO=4&transport=websocket).',
    'パスやクエリの誤り：ここにはサーバーの WebSocket ルートがない（例：/ws と /socket.io/?EIO=4&transport=websocket の違い）。',
  ),
  routeMissing: tx(
    'The route is not registered on the server that answered: the app did not mount it, mounted it on another path, or another service shares the host.',
    '応答したサーバーにそのルートが登録されていない：アプリがマウントしていない、別のパスにマウントしている、または同じホストを別のサービスが使っている。',
  ),
  proxyRoute: tx(
    'A proxy sent the request to the wrong upstream, or rewrote the path.',
    'プロキシがリクエストを別のアップストリームに送った、またはパスを書き換えた。',
  ),
  htmlFallback: (contentType: string): Text =>
    contentType
      ? tx(
          `An HTML fallback answered (Content-Type: ${contentType}): a single-page app's catch-all route or a static host served a page because no WebSocket route matched.`,
          `HTML のフォールバックが応答した（Content-Type：${contentType}）。WebSocket のルートに一致しなかったため、SPA のキャッチオールルートや静的ホスティングがページを返しています。`,
        )
      : tx(
          'An HTML fallback answered: a single-page app\'s catch-all route or a static host served a page because no WebSocket route matched.',
          'HTML のフォールバックが応答した。WebSocket のルートに一致しなかったため、SPA のキャッチオールルートや静的ホスティングがページを返しています。',
        ),
  notEndpoint: tx(
    'The path is an ordinary HTTP route, not the WebSocket endpoint, or a proxy stripped the upgrade headers so the server answered a plain GET.',
    'そのパスは WebSocket のエンドポイントではなく通常の HTTP ルートである、またはプロキシがアップグレードのヘッダーを落としたため、サーバーが普通の GET として応答した。',
  ),
  redirect: (location: string): Text =>
    location
      ? tx(
          `The server or a proxy redirects this URL to ${location}: a WebSocket client fails on any status other than 101 (RFC 6455 §4.1), so browsers never follow it.`,
          `サーバーまたはプロキシがこの URL を ${location} へリダイレクトしている。WebSocket クライアントは 101 以外のステータスで失敗する（RFC 6455 §4.1）ため、ブラウザーはリダイレクトを追いません。`,
        )
      : tx(
          'The server or a proxy redirects this URL (http to https, a trailing slash, a moved host): a WebSocket client fails on any status other than 101 (RFC 6455 §4.1), so browsers never follow it.',
          'サーバーまたはプロキシがこの URL をリダイレクトしている（http から https、末尾のスラッシュ、ホストの移転）。WebSocket クライアントは 101 以外のステータスで失敗する（RFC 6455 §4.1）ため、ブラウザーはリダイレクトを追いません。',
        ),
  ssoRedirect: tx(
    'A single sign-on proxy redirects unauthenticated requests to its login page.',
    'シングルサインオンのプロキシが、未認証のリクエストをログインページへリダイレクトしている。',
  ),
  version: tx(
    'The server does not speak the browser\'s WebSocket version (13) and says which it wants in Sec-WebSocket-Version (RFC 6455 §4.2.2).',
    'サーバーがブラウザーの WebSocket バージョン（13）に対応しておらず、求めるバージョンを Sec-WebSocket-Version で示している（RFC 6455 §4.2.2）。',
  ),
  needsTls: tx(
    'The server or a proxy requires TLS on this endpoint (426 asks the client to switch protocols, RFC 9110 §15.5.22).',
    'サーバーまたはプロキシがこのエンドポイントで TLS を必須にしている（426 はクライアントにプロトコルの切り替えを求めます。RFC 9110 §15.5.22）。',
  ),
  rateLimit: tx(
    'The server or a gateway limits new connections from this client, user or IP: too many attempts in a short time, often a reconnect loop without backoff (RFC 6585 §4).',
    'サーバーやゲートウェイが、このクライアント・ユーザー・IP からの新規接続を制限している。短時間の試行が多すぎる。バックオフのない再接続ループが原因のことが多いです（RFC 6585 §4）。',
  ),
  sharedQuota: tx(
    'A shared quota is exhausted (per API key, per user, or per IP behind a NAT shared by many clients).',
    '共有の上限を使い切っている（API キーごと、ユーザーごと、または多くのクライアントが共有する NAT の IP ごと）。',
  ),
  overloaded: tx(
    'The server is overloaded, starting up or in maintenance, or the load balancer has no healthy backend for it (RFC 9110 §15.6.4).',
    'サーバーが過負荷、起動中、メンテナンス中である、またはロードバランサーに正常なバックエンドがない（RFC 9110 §15.6.4）。',
  ),
  limitAs503: tx(
    'A gateway answers rate limits or connection caps with 503 instead of 429.',
    'ゲートウェイが、レート制限や接続数の上限を 429 ではなく 503 で返している。',
  ),
  handlerFailed: tx(
    'The server\'s upgrade handler failed: an exception in its connection or authentication callback, or a failed lookup it depends on.',
    'サーバーのアップグレード処理が失敗した：接続時や認証のコールバックでの例外、または依存する照会の失敗。',
  ),
  noWsSupport: tx(
    'The framework or host serving this route does not support WebSocket and fails the request.',
    'このルートを処理するフレームワークやホストが WebSocket に対応しておらず、リクエストを失敗させている。',
  ),
  upstreamDown: (who: string): Text =>
    tx(
      `A proxy or load balancer${who} could not reach the app behind it: the app is down or restarting, or listens on another port than the proxy uses.`,
      `プロキシまたはロードバランサー${who}が背後のアプリに到達できなかった。アプリが停止中・再起動中である、またはプロキシが使うのとは別のポートで待ち受けている。`,
    ),
  upstreamSlow: (who: string): Text =>
    tx(
      `A proxy or load balancer${who} waited too long for the app behind it to answer the upgrade.`,
      `プロキシまたはロードバランサー${who}が、背後のアプリのアップグレード応答を待ちきれなかった。`,
    ),
  upstreamBroken: tx(
    'The app answered something the proxy could not use: it closed the connection, or spoke TLS where the proxy expected plain HTTP (or the reverse).',
    'アプリがプロキシの使えない応答をした：接続を閉じた、またはプロキシが平文の HTTP を想定しているところで TLS を話した（あるいはその逆）。',
  ),
  httpStatus: (status: string): Text =>
    tx(
      `The server refused the upgrade with ${status}; its meaning is in RFC 9110 §15 and the reason in the server's log.`,
      `サーバーが ${status} でアップグレードを拒否した。意味は RFC 9110 §15 に、理由はサーバーのログにあります。`,
    ),
  dns: (host: string): Text =>
    tx(
      `${host} does not resolve: a typo, a missing DNS record, or a name that only resolves on another network (VPN, internal DNS).`,
      `${host} を名前解決できない：綴りの誤り、DNS レコードがない、または別のネットワーク（VPN、社内 DNS）でしか引けない名前。`,
    ),
  dnsDown: tx('DNS or the network itself was unavailable at that moment.', 'その時点で DNS またはネットワーク自体が使えなかった。'),
  refused: (hostPort: string): Text =>
    tx(
      `Nothing listens on ${hostPort}: the server is down or restarting, or listens on another port or only on another interface (127.0.0.1 versus 0.0.0.0).`,
      `${hostPort} で待ち受けているものがない：サーバーが停止中・再起動中である、または別のポートや別のインターフェース（127.0.0.1 と 0.0.0.0 の違い）で待ち受けている。`,
    ),
  firewallReject: tx('A firewall rejected the connection actively.', 'ファイアウォールが接続を能動的に拒否した。'),
  reset: tx(
    'The server or a device on the path reset the connection during the handshake: a crash in the upgrade handler, a proxy without WebSocket support, or a firewall.',
    'サーバーまたは経路上の機器がハンドシェイク中に接続をリセットした：アップグレード処理でのクラッシュ、WebSocket に対応していないプロキシ、またはファイアウォール。',
  ),
  tlsMismatch: tx(
    'wss:// to a port that speaks plain HTTP, or ws:// to a port that expects TLS.',
    '平文の HTTP を話すポートへの wss://、または TLS を求めるポートへの ws://。',
  ),
  timeout: tx(
    'Nothing answered in time: a firewall silently drops the packets, the host is unreachable, or the server is too busy to accept.',
    '時間内に応答がなかった：ファイアウォールがパケットを黙って破棄している、ホストに到達できない、またはサーバーが忙しく接続を受け付けられない。',
  ),
  portFiltered: tx(
    'The port is not open on this network (corporate and public networks often allow only 80 and 443).',
    'このネットワークではそのポートが開いていない（社内や公共のネットワークは 80 と 443 しか通さないことが多い）。',
  ),
  tls: (error: string): Text =>
    tx(
      `The certificate is not trusted (self-signed, or from a private CA not installed here), has expired, or does not name this host: ${error}.`,
      `証明書が信頼されていない（自己署名、またはこの環境に入っていないプライベート CA）、期限切れ、またはこのホスト名に対応していない：${error}。`,
    ),
  tlsIntercept: tx(
    'A TLS-intercepting proxy or antivirus presents its own certificate.',
    'TLS を傍受するプロキシやウイルス対策ソフトが、独自の証明書を提示している。',
  ),
  extension: tx(
    'An extension (an ad, tracker or privacy blocker) blocked the request.',
    '拡張機能（広告・トラッカー・プライバシーのブロッカー）がリクエストをブロックした。',
  ),
  policy: tx(
    'An enterprise policy (such as a URL blocklist) or the browser\'s own protection blocked it.',
    'エンタープライズポリシー（URL ブロックリストなど）やブラウザー自身の保護機能がブロックした。',
  ),
  csp: (directive: string): Text =>
    tx(
      `The page's Content-Security-Policy does not allow this URL in ${directive} (connect-src, or default-src when connect-src is absent), so the browser blocked it without sending a request.`,
      `ページの Content-Security-Policy の ${directive}（connect-src、connect-src がなければ default-src）がこの URL を許可していないため、ブラウザーはリクエストを送らずにブロックした。`,
    ),
  cspElsewhere: tx(
    'A policy the app\'s authors did not write: one added by a proxy, a CDN or a framework header, or a <meta> tag; every policy on the page must allow the URL.',
    'アプリの作者が書いていないポリシー：プロキシ、CDN、フレームワークが付けたヘッダーや <meta> タグによるもの。ページ上のすべてのポリシーがその URL を許可している必要があります。',
  ),
  cspMissed: tx(
    'The page\'s Content-Security-Policy (connect-src) blocked it; no securitypolicyviolation event reached the hook to say which policy.',
    'ページの Content-Security-Policy（connect-src）がブロックした。どのポリシーかを示す securitypolicyviolation イベントはフックに届いていません。',
  ),
  tunnel: tx(
    'The configured HTTP proxy could not open a CONNECT tunnel to the server: it refused this host or port, or could not reach it.',
    '設定された HTTP プロキシがサーバーへの CONNECT トンネルを開けなかった：このホストやポートを拒否した、または到達できなかった。',
  ),
  proxyBlocksWs: tx('The proxy requires authentication or blocks WebSocket.', 'プロキシが認証を求めている、または WebSocket をブロックしている。'),
  invalidResponse: tx(
    'The server answered, but not with a valid WebSocket handshake: a wrong or missing Sec-WebSocket-Accept, a missing Upgrade or Connection header, or not HTTP at all.',
    'サーバーは応答したが、正しい WebSocket ハンドシェイクではなかった：Sec-WebSocket-Accept が誤っているかない、Upgrade や Connection ヘッダーがない、またはそもそも HTTP ではない。',
  ),
  firefoxNoUpgrade: tx(
    'Firefox names a server that answered without upgrading (for example 200 with an HTML page) NS_ERROR_WEBSOCKET_CONNECTION_REFUSED.',
    'Firefox は、アップグレードせずに応答したサーバー（HTML ページ付きの 200 など）を NS_ERROR_WEBSOCKET_CONNECTION_REFUSED と表します。',
  ),
  middlebox: tx('A proxy or middlebox rewrote the response.', 'プロキシや中継機器が応答を書き換えた。'),
  subprotocolNone: (asked: string): Text =>
    tx(
      `The page asked for ${asked} and the server's 101 selected none: when a page asks for subprotocols, the browser fails the connection unless the server selects one of them (WHATWG WebSockets, "establish a WebSocket connection").`,
      `ページは ${asked} を要求しましたが、サーバーの 101 応答はどれも選びませんでした。ページがサブプロトコルを要求した場合、サーバーがそのどれかを選ばない限り、ブラウザーは接続を失敗させます（WHATWG WebSockets 仕様）。`,
    ),
  subprotocolOther: (asked: string, answered: string): Text =>
    tx(
      `The page asked for ${asked} and the server selected ${answered}: a client must fail the connection when the server selects a subprotocol it did not ask for (RFC 6455 §4.1).`,
      `ページは ${asked} を要求し、サーバーは ${answered} を選びました。要求していないサブプロトコルをサーバーが選んだ場合、クライアントは接続を失敗させなければなりません（RFC 6455 §4.1）。`,
    ),
  subprotocolUnknown: tx(
    'The server library does not know that name (for example graphql-ws versus graphql-transport-ws) or needs it registered (ws: handleProtocols).',
    'サーバーのライブラリがその名前を知らない（例：graphql-ws と graphql-transport-ws）、または登録が必要（ws なら handleProtocols）。',
  ),
  subprotocolToken: tx(
    'A token passed as a subprotocol: the server must echo one of the offered values back, or the browser fails the socket.',
    'トークンをサブプロトコルとして渡している。サーバーが提示された値のどれかを返さないと、ブラウザーはソケットを失敗させます。',
  ),
  unsafePort: tx(
    'Browsers refuse ports used by other protocols (the Fetch standard\'s "bad port" list: 25, 110, 6000, 6665–6669 and more).',
    'ブラウザーは他のプロトコルが使うポートを拒否します（Fetch 標準の「bad port」リスト：25、110、6000、6665〜6669 など）。',
  ),
  mixed: tx(
    'The page was loaded over https:// and the socket URL is ws://: browsers refuse insecure WebSocket connections from secure pages (mixed content) and throw SecurityError; only loopback hosts are exempt.',
    'ページは https:// で読み込まれ、ソケットの URL は ws://。ブラウザーは安全なページからの安全でない WebSocket 接続を拒否し（混在コンテンツ）、SecurityError を投げます。例外はループバックのホストだけです。',
  ),
  cannotTell: tx(
    'The evidence cannot tell these causes apart: Chromium\'s webRequest reports every failed WebSocket handshake as net::ERR_FAILED, so an HTTP status, DNS, a refused connection and TLS all look the same here.',
    'この証拠からは原因を区別できません。Chromium の webRequest は失敗した WebSocket ハンドシェイクをすべて net::ERR_FAILED として報告するため、HTTP ステータス、DNS、接続拒否、TLS のどれも同じに見えます。',
  ),
};

/** Fixes, per class. */
export const NF = {
  checkCredentials: tx(
    'Check what the upgrade request carried (its Cookie header, the token in the query or subprotocol) against what the server expects, and log in again.',
    'アップグレードリクエストが何を運んだか（Cookie ヘッダー、クエリやサブプロトコルのトークン）をサーバーの期待と照らし合わせ、ログインし直してください。',
  ),
  refreshToken: tx(
    'Refresh the token before each reconnect; do not retry in a loop with an expired one.',
    '再接続のたびにトークンを更新してください。期限切れのトークンのまま再試行を繰り返さないでください。',
  ),
  cookieSite: tx(
    'Serve the socket from the page\'s own site, or set the cookie SameSite=None; Secure.',
    'ソケットをページと同じサイトから提供するか、Cookie を SameSite=None; Secure にしてください。',
  ),
  proxySignIn: tx(
    'Sign in to the proxy (open any page through it), or exempt the WebSocket host from the proxy.',
    'プロキシにサインインする（そのプロキシ経由で何かページを開く）か、WebSocket のホストをプロキシの対象から外してください。',
  ),
  allowOrigin: (origin: string): Text =>
    tx(
      `Add ${origin || 'the page\'s origin'} to the server's allowed origins (ws: verifyClient, Socket.IO: cors.origin, Spring: setAllowedOrigins…).`,
      `${origin || 'ページの Origin'} をサーバーの許可 Origin に追加してください（ws なら verifyClient、Socket.IO なら cors.origin、Spring なら setAllowedOrigins など）。`,
    ),
  serverReason: tx(
    'Read the server\'s log for the reason it refused this upgrade, and compare with a request that works.',
    'サーバーのログでこのアップグレードを拒否した理由を確認し、成功するリクエストと比べてください。',
  ),
  forwardUpgrade: tx(
    'Make every proxy forward WebSocket upgrades: HTTP/1.1 to the upstream and the Upgrade and Connection headers passed on.',
    'すべてのプロキシが WebSocket のアップグレードを転送するようにしてください：アップストリームへは HTTP/1.1 で、Upgrade と Connection ヘッダーを渡します。',
  ),
  routeTable: tx(
    'Compare the URL with the server\'s routes and with what the client library builds (some append a path and a query).',
    'URL をサーバーのルート定義、およびクライアントライブラリが組み立てる URL（パスやクエリを付け足すものがあります）と比べてください。',
  ),
  devProxyWs: tx(
    'If a dev server or proxy fronts the app, forward this path as WebSocket (Vite server.proxy and webpack devServer.proxy need ws: true).',
    '開発サーバーやプロキシがアプリの前にあるなら、このパスを WebSocket として転送してください（Vite の server.proxy や webpack の devServer.proxy には ws: true が必要です）。',
  ),
  finalUrl: (location: string): Text =>
    location
      ? tx(
          `Connect to the final URL directly (${location}), with wss:// where it redirects to https.`,
          `最終的な URL（${location}）に直接接続してください。https へリダイレクトされるなら wss:// を使います。`,
        )
      : tx('Connect to the final URL directly, with wss:// where the site redirects to https.', '最終的な URL に直接接続してください。サイトが https へリダイレクトするなら wss:// を使います。'),
  versionTls: tx(
    'Use wss:// if the server wants TLS; otherwise check the server library\'s supported version in its Sec-WebSocket-Version header (browsers speak only 13).',
    'サーバーが TLS を求めているなら wss:// を使ってください。そうでなければ、Sec-WebSocket-Version ヘッダーでサーバーライブラリの対応バージョンを確認してください（ブラウザーは 13 だけを話します）。',
  ),
  waitRetryAfter: (wait: D): Text =>
    tx(
      `Wait at least ${wait.en} (Retry-After) before the next attempt, then back off exponentially with jitter.`,
      `次の試行まで少なくとも ${wait.ja}待ち（Retry-After）、その後はジッター付きの指数バックオフにしてください。`,
    ),
  backOff: tx(
    'Back off: wait longer after each refused attempt (exponential, with jitter), and honour Retry-After when the server sends it.',
    'バックオフしてください：拒否されるたびに待ち時間を延ばし（ジッター付きの指数）、サーバーが Retry-After を送ったらそれに従います。',
  ),
  backendHealth: tx(
    'Check the backend\'s health and the load balancer\'s target status at that time.',
    'その時刻のバックエンドの状態と、ロードバランサーのターゲットの状態を確認してください。',
  ),
  upstreamCheck: (clock: string): Text =>
    tx(
      `Check that the app behind the proxy is up and listens where the proxy sends it; read the proxy's error log at ${clock}.`,
      `プロキシの背後のアプリが起動していて、プロキシの転送先で待ち受けているか確認してください。${clock} のプロキシのエラーログを読んでください。`,
    ),
  resolve: (host: string): Text =>
    tx(
      `Check the host name and resolve it from this machine (dig ${host}, nslookup ${host}); connect the VPN if it is an internal name.`,
      `ホスト名を確認し、このマシンから名前解決してみてください（dig ${host}、nslookup ${host}）。社内の名前なら VPN に接続してください。`,
    ),
  startServer: (hostPort: string): Text =>
    tx(
      `Start the server, and check that its port and bind address match ${hostPort}.`,
      `サーバーを起動し、ポートとバインドアドレスが ${hostPort} と一致しているか確認してください。`,
    ),
  proxiesSupportWs: tx('Check that every proxy on the path supports WebSocket upgrades.', '経路上のすべてのプロキシが WebSocket のアップグレードに対応しているか確認してください。'),
  tryFromHere: tx(
    'Try the same host and port from this network with another tool (curl, nc); use port 443 if other ports are filtered.',
    '同じホストとポートに、このネットワークから別のツール（curl、nc）で接続してみてください。他のポートが遮断されているなら 443 を使ってください。',
  ),
  openHttps: (host: string): Text =>
    tx(
      `Open https://${host}/ in a tab to see the certificate error, and fix the certificate chain on the server (or install the private CA).`,
      `タブで https://${host}/ を開いて証明書のエラーを確認し、サーバーの証明書チェーンを直してください（またはプライベート CA をインストールします）。`,
    ),
  noExtensions: tx(
    'Retry without extensions (a private window where none is allowed) and check chrome://policy or about:policies.',
    '拡張機能なしで再試行し（拡張機能を許可していないプライベートウィンドウなど）、chrome://policy や about:policies を確認してください。',
  ),
  allowConnectSrc: (origin: string): Text =>
    tx(
      `Add ${origin || 'the socket\'s origin'} to connect-src in the policy that blocked it.`,
      `ブロックしたポリシーの connect-src に ${origin || 'ソケットの Origin'} を追加してください。`,
    ),
  everyPolicy: tx(
    'Look for every policy on the page (response headers and <meta> tags): each must allow the URL.',
    'ページ上のすべてのポリシー（レスポンスヘッダーと <meta> タグ）を探してください。それぞれが URL を許可している必要があります。',
  ),
  consoleSays: tx(
    'Read the console: the browser logs which policy or rule refused the connection.',
    'コンソールを確認してください。どのポリシーやルールが接続を拒否したかをブラウザーが記録しています。',
  ),
  proxySettings: tx(
    'Check the proxy settings (system, PAC) and whether the proxy allows CONNECT to this host and port, or bypass it for this host.',
    'プロキシ設定（システム、PAC）と、プロキシがこのホストとポートへの CONNECT を許可しているかを確認するか、このホストをプロキシの対象外にしてください。',
  ),
  rawResponse: (url: string): Text =>
    tx(
      `Look at the raw answer: curl -i -N -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" ${url}`,
      `生の応答を確認してください：curl -i -N -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" ${url}`,
    ),
  echoProtocol: tx(
    'Make the server select one of the requested protocols in Sec-WebSocket-Protocol (ws: handleProtocols), or stop asking for one it does not speak.',
    'サーバーが要求されたプロトコルのどれかを Sec-WebSocket-Protocol で選ぶようにするか（ws なら handleProtocols）、サーバーが話さないプロトコルを要求しないでください。',
  ),
  otherPort: tx('Serve the WebSocket on an allowed port (443, 80, 8080…).', '許可されているポート（443、80、8080 など）で WebSocket を提供してください。'),
  useWss: tx(
    'Use wss:// (build the URL from location: wss: when location.protocol is https:).',
    'wss:// を使ってください（location から URL を組み立て、location.protocol が https: なら wss: にします）。',
  ),
  tellMore: tx(
    'To learn the real cause, open DevTools before the socket is created (its network log keeps Chromium\'s failure text with the status or the net error), or reproduce in Firefox, whose webRequest reports every status and names every error.',
    '本当の原因を知るには、ソケットが作られる前に DevTools を開いておくか（そのネットワークログには、ステータスやネットワークエラーを含む Chromium の失敗メッセージが残ります）、webRequest がすべてのステータスとエラー名を報告する Firefox で再現してください。',
  ),
};
