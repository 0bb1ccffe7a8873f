// Texts of the private (4000–4999) codes and conventions of well-known WebSocket libraries.
// The library's own docs are the source of each meaning (linked from close-codes.ts):
// graphql-ws PROTOCOL.md and its CloseCode enum, Discord's "Gateway Close Event Codes",
// phoenix.js (Socket heartbeat), Socket.IO server options (pingInterval / pingTimeout).
import type { CodeTexts, DiscordCode, GraphqlWsCode } from '../code-kinds.ts';
import { tx, type Text } from './text.ts';

const reconnectOk = tx(
  'Discord allows a reconnect (resume) after this code.',
  'このコードの後は再接続（resume）してかまいません（Discord の仕様）。',
);
const doNotReconnect = tx(
  'Do not reconnect with the same settings: Discord treats this code as final, and a reconnect loop will fail the same way.',
  '同じ設定で再接続しないでください。Discord はこのコードを終了扱いとしており、再接続を繰り返しても同じ理由で失敗します。',
);

export const GRAPHQL_WS_TEXTS: Readonly<Record<GraphqlWsCode, CodeTexts>> = {
  4400: {
    name: tx('Bad Request (graphql-ws)', '不正なリクエスト（graphql-ws）'),
    meaning: tx(
      'The server received a message that is not valid in the GraphQL over WebSocket protocol.',
      'GraphQL over WebSocket プロトコルとして不正なメッセージをサーバーが受け取りました。',
    ),
    causes: [
      tx(
        'A malformed message, or a client speaking the legacy subscriptions-transport-ws protocol.',
        '形式の誤ったメッセージ、または旧プロトコル（subscriptions-transport-ws）で話すクライアント。',
      ),
    ],
    fixes: [
      tx(
        'Use a client that speaks graphql-transport-ws; read the close reason for the failing field.',
        'graphql-transport-ws に対応したクライアントを使い、クローズ理由でどの項目が不正か確認してください。',
      ),
    ],
  },
  4401: {
    name: tx('Unauthorized (graphql-ws)', '未認証（graphql-ws）'),
    meaning: tx(
      'A subscribe message was sent before the server acknowledged the connection (connection_ack).',
      'サーバーが接続を承認（connection_ack）する前に subscribe メッセージが送られました。',
    ),
    causes: [
      tx(
        'The client subscribed before connection_ack, often because connection_init failed or was slow.',
        'connection_ack より前に購読した。多くは connection_init が失敗したか遅かったためです。',
      ),
    ],
    fixes: [
      tx(
        'Wait for connection_ack before subscribing (the graphql-ws client does), and check onConnect on the server.',
        '購読は connection_ack を待ってから行い（graphql-ws クライアントはそうします）、サーバーの onConnect を確認してください。',
      ),
    ],
  },
  4403: {
    name: tx('Forbidden (graphql-ws)', '権限なし（graphql-ws）'),
    meaning: tx(
      "The server's onConnect rejected the connection (authentication or authorization failed).",
      'サーバーの onConnect が接続を拒否しました（認証または認可に失敗）。',
    ),
    causes: [tx('connectionParams carried a missing or invalid token.', 'connectionParams のトークンがない、または不正。')],
    fixes: [
      tx(
        'Send valid credentials in connectionParams; refresh them before each reconnect.',
        'connectionParams に正しい認証情報を入れ、再接続のたびに更新してください。',
      ),
    ],
  },
  4406: {
    name: tx('Subprotocol Not Acceptable (graphql-ws)', 'サブプロトコル不一致（graphql-ws）'),
    meaning: tx(
      'The connection was not made with the graphql-transport-ws subprotocol.',
      'graphql-transport-ws サブプロトコルで接続されていませんでした。',
    ),
    causes: [
      tx(
        'A client using the legacy "graphql-ws" subprotocol (subscriptions-transport-ws), or a proxy stripping Sec-WebSocket-Protocol.',
        '旧来の「graphql-ws」サブプロトコル（subscriptions-transport-ws）を使うクライアント、または Sec-WebSocket-Protocol を削除するプロキシ。',
      ),
    ],
    fixes: [
      tx(
        'Use the graphql-ws client (subprotocol graphql-transport-ws) and make sure proxies pass the header.',
        'graphql-ws クライアント（サブプロトコル graphql-transport-ws）を使い、プロキシがヘッダーを通すことを確認してください。',
      ),
    ],
  },
  4408: {
    name: tx('Connection Initialisation Timeout (graphql-ws)', '初期化タイムアウト（graphql-ws）'),
    meaning: tx(
      'The client did not send connection_init within the server\'s connectionInitWaitTimeout.',
      'サーバーの connectionInitWaitTimeout 以内に、クライアントが connection_init を送りませんでした。',
    ),
    causes: [
      tx(
        'connectionParams was slow to resolve (e.g. waiting for a token), or the client never sent connection_init.',
        'connectionParams の解決が遅かった（トークン取得待ちなど）、またはクライアントが connection_init を送らなかった。',
      ),
    ],
    fixes: [
      tx(
        'Resolve credentials before opening the socket, or raise connectionInitWaitTimeout on the server.',
        'ソケットを開く前に認証情報を用意するか、サーバーの connectionInitWaitTimeout を延ばしてください。',
      ),
    ],
  },
  4409: {
    name: tx('Subscriber Already Exists (graphql-ws)', '購読 ID の重複（graphql-ws）'),
    meaning: tx(
      'A subscribe message reused the id of an operation that is still running.',
      '実行中の操作と同じ ID で subscribe メッセージが送られました。',
    ),
    causes: [tx('Client code generating duplicate operation ids.', 'クライアントのコードが重複した操作 ID を生成している。')],
    fixes: [
      tx('Use unique ids per operation (the graphql-ws client does by default).', '操作ごとに一意な ID を使ってください（graphql-ws クライアントは既定でそうします）。'),
    ],
  },
  4429: {
    name: tx('Too Many Initialisation Requests (graphql-ws)', '初期化リクエストの重複（graphql-ws）'),
    meaning: tx(
      'The client sent connection_init more than once on the same connection.',
      '同じ接続で connection_init が 2 回以上送られました。',
    ),
    causes: [tx('A client bug or two clients sharing one socket.', 'クライアントのバグ、または 1 つのソケットを 2 つのクライアントで共有している。')],
    fixes: [tx('Send connection_init exactly once per socket.', 'connection_init はソケットごとに 1 回だけ送ってください。')],
  },
  4500: {
    name: tx('Internal Server Error (graphql-ws)', 'サーバー内部エラー（graphql-ws）'),
    meaning: tx(
      'The server failed while handling the connection (e.g. an exception in onConnect or onSubscribe).',
      '接続の処理中にサーバーが失敗しました（onConnect や onSubscribe での例外など）。',
    ),
    causes: [tx('An exception in a server hook or resolver setup.', 'サーバーのフックやリゾルバーの準備処理での例外。')],
    fixes: [
      tx('Check the server logs at the close time; the close reason carries the error message.', 'クローズ時刻のサーバーログを確認してください。クローズ理由にエラーメッセージが入っています。'),
    ],
  },
  4004: {
    name: tx('Bad Response (graphql-ws client)', '不正な応答（graphql-ws クライアント）'),
    meaning: tx(
      'The graphql-ws client closed because the server sent a message it could not parse.',
      'サーバーから解析できないメッセージが届いたため、graphql-ws クライアントが閉じました。',
    ),
    causes: [tx('The server speaks another protocol or version.', 'サーバーが別のプロトコルやバージョンで話している。')],
    fixes: [tx('Check the last inbound message and the server library version.', '最後の受信メッセージとサーバーライブラリのバージョンを確認してください。')],
  },
  4005: {
    name: tx('Internal Client Error (graphql-ws client)', 'クライアント内部エラー（graphql-ws クライアント）'),
    meaning: tx(
      'The graphql-ws client closed because something threw on the client side.',
      'クライアント側で例外が発生したため、graphql-ws クライアントが閉じました。',
    ),
    causes: [
      tx('connectionParams or a client callback threw or rejected.', 'connectionParams やクライアントのコールバックが例外を投げた、または reject した。'),
    ],
    fixes: [tx('Read the close reason and the console for the client-side error.', 'クローズ理由とコンソールで、クライアント側のエラーを確認してください。')],
  },
  4504: {
    name: tx('Connection Acknowledgement Timeout (graphql-ws client)', '承認タイムアウト（graphql-ws クライアント）'),
    meaning: tx(
      'The graphql-ws client gave up waiting for connection_ack (connectionAckWaitTimeout).',
      'graphql-ws クライアントが connection_ack を待ちきれずに閉じました（connectionAckWaitTimeout）。',
    ),
    causes: [tx('The server is slow or stuck in onConnect.', 'サーバーが遅い、または onConnect で止まっている。')],
    fixes: [
      tx('Check the server\'s onConnect latency, or raise connectionAckWaitTimeout.', 'サーバーの onConnect の所要時間を確認するか、connectionAckWaitTimeout を延ばしてください。'),
    ],
  },
  4499: {
    name: tx('Terminated (graphql-ws client)', '強制終了（graphql-ws クライアント）'),
    meaning: tx(
      'The page called client.terminate(): the graphql-ws client dropped the socket at once.',
      'ページが client.terminate() を呼び、graphql-ws クライアントが直ちにソケットを破棄しました。',
    ),
    causes: [
      tx('Application code terminated the client (often from its own health check).', 'アプリケーションのコードがクライアントを終了させた（独自のヘルスチェックからのことが多い）。'),
    ],
    fixes: [tx('Find the terminate() call in the close() stack shown in the evidence.', '根拠に示した close() のスタックから terminate() の呼び出し元を探してください。')],
  },
};

export const DISCORD_TEXTS: Readonly<Record<DiscordCode, CodeTexts>> = {
  4000: {
    name: tx('Unknown error (Discord)', '不明なエラー（Discord）'),
    meaning: tx('Discord is not sure what went wrong.', 'Discord 側でも原因が特定できないエラーです。'),
    causes: [tx('A transient problem on the gateway.', 'ゲートウェイ側の一時的な問題。')],
    fixes: [reconnectOk],
  },
  4001: {
    name: tx('Unknown opcode (Discord)', '不明な opcode（Discord）'),
    meaning: tx('The client sent an invalid opcode or payload for an opcode.', 'クライアントが不正な opcode、または opcode に合わないペイロードを送りました。'),
    causes: [tx('A bug in the gateway client.', 'ゲートウェイクライアントのバグ。')],
    fixes: [tx('Check the last outbound message.', '最後の送信メッセージを確認してください。'), reconnectOk],
  },
  4002: {
    name: tx('Decode error (Discord)', 'デコードエラー（Discord）'),
    meaning: tx('The client sent a payload Discord could not decode.', 'Discord がデコードできないペイロードをクライアントが送りました。'),
    causes: [tx('Invalid JSON/ETF or the wrong encoding/compression.', '不正な JSON/ETF、またはエンコーディングや圧縮の指定違い。')],
    fixes: [tx('Check the last outbound message and the encoding query parameter.', '最後の送信メッセージと encoding クエリパラメーターを確認してください。'), reconnectOk],
  },
  4003: {
    name: tx('Not authenticated (Discord)', '未認証（Discord）'),
    meaning: tx('A payload was sent before Identify.', 'Identify より前にペイロードが送られました。'),
    causes: [tx('The client sent events before identifying.', 'クライアントが識別（Identify）前にイベントを送った。')],
    fixes: [tx('Send Identify (or Resume) first.', '最初に Identify（または Resume）を送ってください。'), reconnectOk],
  },
  4004: {
    name: tx('Authentication failed (Discord)', '認証失敗（Discord）'),
    meaning: tx('The token sent with Identify is invalid.', 'Identify で送ったトークンが不正です。'),
    causes: [tx('A wrong, revoked or reset bot token.', '誤った、失効した、またはリセットされたボットトークン。')],
    fixes: [tx('Fix the token.', 'トークンを修正してください。'), doNotReconnect],
  },
  4005: {
    name: tx('Already authenticated (Discord)', '認証済み（Discord）'),
    meaning: tx('More than one Identify was sent.', 'Identify が 2 回以上送られました。'),
    causes: [tx('A client bug sending Identify twice.', 'Identify を二重に送るクライアントのバグ。')],
    fixes: [tx('Send Identify once per session.', 'Identify はセッションごとに 1 回だけ送ってください。'), reconnectOk],
  },
  4007: {
    name: tx('Invalid seq (Discord)', '不正なシーケンス番号（Discord）'),
    meaning: tx('The sequence number sent with Resume was invalid.', 'Resume で送ったシーケンス番号が不正でした。'),
    causes: [tx('The client resumed with a stale sequence number.', '古いシーケンス番号で Resume した。')],
    fixes: [tx('Reconnect and start a new session (Identify).', '再接続し、新しいセッションを開始（Identify）してください。')],
  },
  4008: {
    name: tx('Rate limited (Discord)', 'レート制限（Discord）'),
    meaning: tx('The client sent payloads too quickly.', 'クライアントがペイロードを速く送りすぎました。'),
    causes: [tx('Too many gateway commands in a short time.', '短時間に多すぎるゲートウェイコマンド。')],
    fixes: [tx('Throttle outbound gateway commands.', '送信するゲートウェイコマンドの頻度を抑えてください。'), reconnectOk],
  },
  4009: {
    name: tx('Session timed out (Discord)', 'セッションのタイムアウト（Discord）'),
    meaning: tx('The session timed out.', 'セッションがタイムアウトしました。'),
    causes: [
      tx('Heartbeats stopped or arrived too late (for example in a throttled background tab).', 'ハートビートが止まった、または遅れた（バックグラウンドで間引かれたタブなど）。'),
    ],
    fixes: [tx('Reconnect and start a new session; keep heartbeats on the interval from Hello.', '再接続して新しいセッションを始め、Hello で指定された間隔でハートビートを送ってください。')],
  },
  4010: {
    name: tx('Invalid shard (Discord)', '不正なシャード（Discord）'),
    meaning: tx('An invalid shard was sent with Identify.', 'Identify で不正なシャードが指定されました。'),
    causes: [tx('Wrong shard id or shard count.', 'シャード ID またはシャード数の誤り。')],
    fixes: [tx('Fix the shard configuration.', 'シャードの設定を修正してください。'), doNotReconnect],
  },
  4011: {
    name: tx('Sharding required (Discord)', 'シャーディングが必要（Discord）'),
    meaning: tx('The session would handle too many guilds: sharding is required.', 'セッションが扱うギルドが多すぎるため、シャーディングが必要です。'),
    causes: [tx('The bot grew beyond the single-shard limit.', 'ボットが単一シャードの上限を超えた。')],
    fixes: [tx('Enable sharding.', 'シャーディングを有効にしてください。'), doNotReconnect],
  },
  4012: {
    name: tx('Invalid API version (Discord)', '不正な API バージョン（Discord）'),
    meaning: tx('The gateway version in the URL is invalid.', 'URL で指定したゲートウェイのバージョンが不正です。'),
    causes: [tx('An outdated or wrong v= query parameter.', '古い、または誤った v= クエリパラメーター。')],
    fixes: [tx('Use a supported gateway version.', 'サポートされているゲートウェイのバージョンを使ってください。'), doNotReconnect],
  },
  4013: {
    name: tx('Invalid intent(s) (Discord)', '不正なインテント（Discord）'),
    meaning: tx('The intents value is invalid.', 'インテントの値が不正です。'),
    causes: [tx('A wrongly computed intents bit field.', 'インテントのビットフィールドの計算違い。')],
    fixes: [tx('Recompute the intents value.', 'インテントの値を計算し直してください。'), doNotReconnect],
  },
  4014: {
    name: tx('Disallowed intent(s) (Discord)', '許可されていないインテント（Discord）'),
    meaning: tx('An intent was requested that is not enabled or approved for the bot.', 'ボットで有効化・承認されていないインテントが要求されました。'),
    causes: [tx('A privileged intent not enabled in the developer portal.', '開発者ポータルで特権インテントが有効になっていない。')],
    fixes: [tx('Enable the intent in the developer portal or stop requesting it.', '開発者ポータルでインテントを有効にするか、要求をやめてください。'), doNotReconnect],
  },
};

/** Phoenix: the client gives up on an unanswered heartbeat and closes with 1000 "heartbeat timeout". */
export const PHOENIX_HEARTBEAT_TEXTS: CodeTexts = {
  name: tx('Heartbeat timeout (Phoenix client)', 'ハートビートタイムアウト（Phoenix クライアント）'),
  meaning: tx(
    'The Phoenix JS client got no reply to its previous heartbeat before the next one was due (every 30 s by default), so it closed the socket itself with 1000 and will reconnect.',
    'Phoenix の JS クライアントが、次のハートビートの時刻（既定では 30 秒ごと）までに前回のハートビートへの応答を受け取れなかったため、自分で 1000 を指定してソケットを閉じました。この後自動で再接続します。',
  ),
  causes: [
    tx(
      'The server or the channel process was too busy (or blocked) to answer the heartbeat.',
      'サーバーやチャンネルのプロセスが忙しすぎて（または止まっていて）ハートビートに応答できなかった。',
    ),
    tx(
      'The network stalled without resetting the connection (sleep, Wi-Fi change, a buffering proxy).',
      '接続がリセットされないままネットワークが止まった（スリープ、Wi-Fi の切り替え、バッファリングするプロキシ）。',
    ),
    tx(
      'The tab was in the background and the browser delayed its timers and event handling.',
      'タブがバックグラウンドにあり、ブラウザーがタイマーやイベント処理を遅らせた。',
    ),
  ],
  fixes: [
    tx(
      'Check server load and the channel processes at that time; the reconnect is automatic (reconnectAfterMs).',
      'その時刻のサーバー負荷とチャンネルプロセスを確認してください。再接続は自動で行われます（reconnectAfterMs）。',
    ),
    tx(
      'If it follows a background period, treat it as expected and resync state after the reconnect.',
      'バックグラウンドにあった後に起きたのなら想定内として扱い、再接続後に状態を同期し直してください。',
    ),
  ],
};

export const LIBRARY_NOTES: Readonly<Record<'graphql-ws' | 'discord' | 'phoenix' | 'socket.io', Text>> = {
  'graphql-ws': tx(
    'graphql-ws: keep-alive is off by default, so an idle subscription socket is exactly what proxies cut; set keepAlive on the server (ping) to stay under their idle timeout.',
    'graphql-ws：keep-alive は既定で無効です。動きのない購読用ソケットはプロキシに切られやすいため、サーバー側で keepAlive（ping）を設定し、アイドルタイムアウトより短い間隔にしてください。',
  ),
  discord: tx(
    'Discord gateway: some codes mean "do not reconnect" (4004, 4010–4014); the others allow a resume.',
    'Discord ゲートウェイ：再接続してはいけないコード（4004、4010〜4014）と、resume してよいコードがあります。',
  ),
  phoenix: tx(
    'Phoenix: the JS client sends a heartbeat every 30 s by default and closes with 1000 "heartbeat timeout" when one goes unanswered.',
    'Phoenix：JS クライアントは既定で 30 秒ごとにハートビートを送り、応答がないと 1000「heartbeat timeout」で閉じます。',
  ),
  'socket.io': tx(
    'Socket.IO: the server pings every 25 s (pingInterval) and waits 20 s for the pong (pingTimeout); the client closes without a code (1005 here) when no ping arrives in time, and an intermediary with an idle timeout under 25 s cuts the socket between pings.',
    'Socket.IO：サーバーは 25 秒ごと（pingInterval）に ping を送り、pong を 20 秒（pingTimeout）待ちます。ping が時間内に届かないとクライアントはコードなしで閉じ（ここでは 1005）、アイドルタイムアウトが 25 秒未満の中継機器は ping の合間にソケットを切ります。',
  ),
};
