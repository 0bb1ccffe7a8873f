// Texts of the close codes RFC 6455 defines itself (§7.4.1), in English and Japanese. The
// codes added later through the IANA registry, the senders and the ranges are in codes.ts.
// docs/facts.md has what browsers actually report for each.
import type { CodeTexts, RfcCode } from '../code-kinds.ts';
import { tx } from './text.ts';

export const RFC_CODE_TEXTS: Readonly<Record<RfcCode, CodeTexts>> = {
  1000: {
    name: tx('Normal Closure', '正常なクローズ'),
    meaning: tx(
      'A deliberate close: the purpose of the connection was fulfilled.',
      '意図したクローズです。接続の目的が果たされたことを示します。',
    ),
    causes: [
      tx(
        'The server closed on purpose (logout, session end, token rotation, its own idle policy).',
        'サーバーが意図的に閉じた（ログアウト、セッション終了、トークンの更新、サーバー独自のアイドル判定など）。',
      ),
      tx(
        'The page or its library called close() — check who called it; only a hook that wraps close() can tell.',
        'ページ自身やライブラリが close() を呼んだ。誰が呼んだかは close() をフックしないと分かりません。',
      ),
      tx(
        "A client library's heartbeat timeout: several libraries close with 1000 when a heartbeat goes unanswered (Phoenix uses reason \"heartbeat timeout\").",
        'クライアントライブラリのハートビートタイムアウト。応答のないハートビートを 1000 で閉じるライブラリがあります（Phoenix は理由「heartbeat timeout」）。',
      ),
    ],
    fixes: [
      tx(
        'Look at who closed it: a page close() call (with its stack) or the server.',
        'ページの close() 呼び出し（スタック付き）なのか、サーバーなのか、閉じた側を確認してください。',
      ),
      tx(
        'If the app needs a permanent connection, reconnect after an unexpected 1000 as well.',
        '常時接続が必要なアプリなら、予期しない 1000 の後も再接続してください。',
      ),
    ],
  },
  1001: {
    name: tx('Going Away', '離脱（Going Away）'),
    meaning: tx(
      'An endpoint is going away: a server shutting down, or a browser leaving the page.',
      '一方の端点がいなくなります。サーバーの停止、またはブラウザーがページを離れたことを示します。',
    ),
    causes: [
      tx(
        'A deploy or restart: the server (or a load balancer draining it) closed its connections.',
        'デプロイや再起動。サーバー（または接続をドレインするロードバランサー）が接続を閉じました。',
      ),
      tx(
        'The server is shutting down gracefully (scale-in, maintenance).',
        'サーバーが正常に停止処理をしている（スケールイン、メンテナンスなど）。',
      ),
      tx(
        'The browser navigated away, reloaded or closed the tab: the server sees 1001, the page itself never gets a close event.',
        'ブラウザーのページ遷移・リロード・タブを閉じた操作。サーバーには 1001 が届きますが、ページ自身には close イベントが発火しません。',
      ),
    ],
    fixes: [
      tx(
        'Reconnect automatically with a randomized delay so that all clients do not return at once after a deploy.',
        'デプロイ後に全クライアントが一斉に戻らないよう、ランダムな待ち時間を入れて自動で再接続してください。',
      ),
      tx(
        'On the server, drain connections during shutdown and close them with 1001 (or 1012).',
        'サーバー側では停止時に接続をドレインし、1001（または 1012）で閉じてください。',
      ),
    ],
  },
  1002: {
    name: tx('Protocol Error', 'プロトコルエラー'),
    meaning: tx(
      'An endpoint received a frame that breaks the WebSocket protocol.',
      'WebSocket プロトコルに違反するフレームを受け取ったため、接続を終了しました。',
    ),
    causes: [
      tx(
        'A malformed frame: wrong masking, reserved bits set, an unknown opcode, or a fragmented or oversized control frame.',
        '不正なフレーム。マスクの誤り、予約ビットの使用、未知の opcode、分割されたり大きすぎたりする制御フレームなど。',
      ),
      tx(
        'Extension negotiation went wrong (often permessage-deflate between mismatched implementations).',
        '拡張のネゴシエーションの失敗（実装の組み合わせによる permessage-deflate の不具合が多い）。',
      ),
      tx(
        'A proxy or a hand-written server implementation that modifies or mis-frames the stream.',
        'ストリームを書き換えたり、フレームを誤って組み立てたりするプロキシや自作のサーバー実装。',
      ),
    ],
    fixes: [
      tx(
        'Use a well-tested WebSocket library on the server and check its logs for the frame it rejected.',
        'サーバーでは実績のある WebSocket ライブラリを使い、拒否したフレームをログで確認してください。',
      ),
      tx(
        'Try with compression (permessage-deflate) disabled, and bypass proxies that inspect WebSocket traffic.',
        '圧縮（permessage-deflate）を無効にして試し、WebSocket の通信を検査するプロキシを迂回してみてください。',
      ),
    ],
  },
  1003: {
    name: tx('Unsupported Data', '非対応のデータ'),
    meaning: tx(
      'An endpoint received a type of data it cannot accept (binary where only text is accepted, or the reverse).',
      '受け付けられない種類のデータを受信しました（テキストのみの相手にバイナリを送った、またはその逆）。',
    ),
    causes: [
      tx(
        'The page sent a binary frame (ArrayBuffer, Blob, typed array) to an endpoint that only accepts text.',
        'テキストしか受け付けない相手に、ページがバイナリフレーム（ArrayBuffer、Blob、型付き配列）を送った。',
      ),
      tx(
        'The server sent a frame type the client library does not handle.',
        'クライアントライブラリが扱えない種類のフレームをサーバーが送った。',
      ),
    ],
    fixes: [
      tx(
        "Check the frame type of the last messages (binary flag in the message list) against what the server expects.",
        '直前のメッセージのフレーム種別（メッセージ一覧のバイナリ表示）が、サーバーの期待と合っているか確認してください。',
      ),
      tx(
        'Send JSON as text, or configure the server to accept binary frames.',
        'JSON はテキストとして送るか、サーバーがバイナリフレームを受け付けるよう設定してください。',
      ),
    ],
  },
  1004: {
    name: tx('Reserved', '予約済み'),
    meaning: tx(
      'Reserved by RFC 6455; its meaning may be defined in the future. It is never valid on the wire.',
      'RFC 6455 で予約されており、将来定義される可能性があります。close フレームで使うことはできません。',
    ),
    causes: [
      tx(
        'A non-conforming server or library sent a reserved code.',
        '仕様に従わないサーバーやライブラリが予約済みのコードを送った。',
      ),
    ],
    fixes: [
      tx(
        'Change the server to use a defined code: 1000, 1011, or an application code in 4000–4999.',
        '定義済みのコード（1000、1011、またはアプリケーション用の 4000〜4999）を使うようサーバーを修正してください。',
      ),
    ],
  },
  1005: {
    name: tx('No Status Received', 'ステータスなし'),
    meaning: tx(
      'A close frame arrived without a status code. Never sent on the wire: the browser reports it.',
      'ステータスコードのない close フレームを受け取りました。ネットワーク上を流れるコードではなく、ブラウザーが報告するものです。',
    ),
    causes: [
      tx(
        'The page called close() without a code, and the server echoed an empty close frame.',
        'ページが引数なしで close() を呼び、サーバーが空の close フレームを返した。',
      ),
      tx(
        'The server closed without a code (for example ws.close() with no arguments in many server libraries).',
        'サーバーがコードを付けずに閉じた（多くのサーバーライブラリで引数なしの close() がこれにあたります）。',
      ),
      tx(
        'A client library closed without a code, e.g. the Engine.IO (Socket.IO) client after a ping timeout.',
        'クライアントライブラリがコードなしで閉じた。たとえば ping タイムアウト後の Engine.IO（Socket.IO）クライアント。',
      ),
    ],
    fixes: [
      tx(
        'Have the server always send an explicit code and a short reason, so that the cause is visible here.',
        '原因がここで分かるよう、サーバーからは必ず明示的なコードと短い理由を送ってください。',
      ),
      tx(
        'If the page closed it on purpose, this is expected; pass close(1000, reason) to make it self-explaining.',
        'ページが意図的に閉じたのなら想定どおりです。close(1000, 理由) と書けば、後から見ても分かりやすくなります。',
      ),
    ],
  },
  1006: {
    name: tx('Abnormal Closure', '異常切断'),
    meaning: tx(
      'The connection ended without any close frame: it was cut. Never sent on the wire: the browser reports it.',
      'close フレームのやり取りなしに接続が終わりました（切断されました）。ネットワーク上を流れるコードではなく、ブラウザーが報告するものです。',
    ),
    causes: [
      tx(
        'If it never opened: the handshake failed — DNS, refused, TLS, or an HTTP status other than 101 (401, 403, 404, 502). Browsers hide which on purpose.',
        '一度も open しなかった場合はハンドシェイクの失敗です（DNS、接続拒否、TLS、101 以外の HTTP ステータス：401、403、404、502 など）。ブラウザーはどれなのかを意図的に隠します。',
      ),
      tx(
        'A proxy or load balancer killed a quiet connection at its idle timeout (nginx 60 s, AWS ALB 60 s, Heroku 55 s, Cloudflare 100 s, …).',
        'プロキシやロードバランサーがアイドルタイムアウトで静かな接続を切った（nginx 60 秒、AWS ALB 60 秒、Heroku 55 秒、Cloudflare 100 秒など）。',
      ),
      tx(
        'The server process crashed, was killed or restarted without closing its sockets.',
        'サーバープロセスがクラッシュした、強制終了された、またはソケットを閉じずに再起動した。',
      ),
      tx(
        'The network went away or changed: offline, Wi-Fi or VPN switch, laptop sleep, mobile suspend.',
        'ネットワークが切れた・変わった（オフライン、Wi-Fi や VPN の切り替え、スリープ、モバイルのサスペンド）。',
      ),
      tx(
        'The server sent an invalid close code (Chrome reports 1006 then), or never answered a close() from the page.',
        'サーバーが不正なクローズコードを送った（その場合 Chrome は 1006 を報告します）、またはページの close() に応答しなかった。',
      ),
    ],
    fixes: [
      tx(
        'Check whether it ever opened: if not, look at the request row in the Network panel for the HTTP status, and at the server logs.',
        'まず open したかどうかを確認してください。していなければ、Network パネルのリクエスト行で HTTP ステータスを見て、サーバーログを確認します。',
      ),
      tx(
        'Send a heartbeat (ping) more often than the shortest idle timeout on the path, e.g. every 25–30 s.',
        '経路上で最も短いアイドルタイムアウトより短い間隔（たとえば 25〜30 秒ごと）でハートビート（ping）を送ってください。',
      ),
      tx(
        'Close with a proper code on server shutdown, and reconnect with exponential backoff and jitter.',
        'サーバー停止時は適切なコードで閉じ、クライアントはジッター付きの指数バックオフで再接続してください。',
      ),
    ],
  },
  1007: {
    name: tx('Invalid Frame Payload Data', '不正なペイロード'),
    meaning: tx(
      'A message was not consistent with its type, typically a text frame that is not valid UTF-8.',
      'メッセージの内容が種別と一致しません。典型的には UTF-8 として不正なテキストフレームです。',
    ),
    causes: [
      tx(
        'The server wrote raw bytes or another encoding (Latin-1, Shift_JIS) into a text frame.',
        'サーバーがテキストフレームに生のバイト列や別の文字コード（Latin-1、Shift_JIS など）を書き込んだ。',
      ),
      tx(
        'A multi-byte character was split across messages by code that cuts strings by bytes.',
        'バイト単位で文字列を切る処理によって、マルチバイト文字がメッセージの境目で分断された。',
      ),
    ],
    fixes: [
      tx(
        'Send binary data as binary frames, and encode all text as UTF-8.',
        'バイナリデータはバイナリフレームで送り、テキストはすべて UTF-8 でエンコードしてください。',
      ),
      tx(
        'Split long text on character boundaries, not byte counts.',
        '長いテキストはバイト数ではなく文字の境界で分割してください。',
      ),
    ],
  },
  1008: {
    name: tx('Policy Violation', 'ポリシー違反'),
    meaning: tx(
      'Generic "not allowed": the endpoint received something that violates its policy.',
      '汎用的な「許可されていない」です。相手のポリシーに反する内容を受け取ったことを示します。',
    ),
    causes: [
      tx(
        'Authentication failed or the token expired while the connection was open.',
        '認証に失敗した、または接続中にトークンの有効期限が切れた。',
      ),
      tx(
        'The Origin is not allowed (cross-site WebSocket hijacking protection).',
        'Origin が許可されていない（クロスサイト WebSocket ハイジャック対策）。',
      ),
      tx(
        'A rate limit or a connection limit per user or IP was hit.',
        'ユーザー単位や IP 単位のレート制限・接続数制限に達した。',
      ),
    ],
    fixes: [
      tx(
        "Read the server's close reason and its logs: 1008 is deliberately vague.",
        '1008 はあえて曖昧にされたコードです。サーバーが返した理由とログを確認してください。',
      ),
      tx(
        'Refresh credentials before (re)connecting, add the page origin to the allow list, respect the limits.',
        '（再）接続の前に認証情報を更新し、ページの Origin を許可リストに加え、制限値を守ってください。',
      ),
    ],
  },
  1009: {
    name: tx('Message Too Big', 'メッセージが大きすぎる'),
    meaning: tx(
      'A frame or message was larger than the peer accepts.',
      'フレームまたはメッセージが、相手の受け付ける上限を超えました。',
    ),
    causes: [
      tx(
        "The page sent a message above the server's limit (for example AWS API Gateway: 32 KB frames, 128 KB messages).",
        'ページがサーバーの上限を超えるメッセージを送った（例：AWS API Gateway はフレーム 32 KB、メッセージ 128 KB）。',
      ),
      tx(
        'A server library limit: many have one (ws: maxPayload, 100 MiB by default), often lowered in configuration.',
        'サーバーライブラリの上限。多くのライブラリにあり（ws なら maxPayload、既定値 100 MiB）、設定で小さくされていることもよくあります。',
      ),
    ],
    fixes: [
      tx(
        'Split large payloads into chunks, compress them, or upload them over HTTP and send only a reference.',
        '大きなデータは分割・圧縮するか、HTTP でアップロードして参照だけを送ってください。',
      ),
      tx(
        'Or raise the limit on the server or gateway to the largest message you really need.',
        'または、本当に必要な最大サイズまでサーバーやゲートウェイの上限を引き上げてください。',
      ),
    ],
  },
  1010: {
    name: tx('Mandatory Extension', '必須拡張の不足'),
    meaning: tx(
      'The client required an extension that the server did not negotiate.',
      'クライアントが必須とする拡張を、サーバーがネゴシエーションで受け入れませんでした。',
    ),
    causes: [
      tx(
        'A non-browser client requires an extension (e.g. compression) that the server or a proxy stripped from the handshake.',
        'ブラウザー以外のクライアントが拡張（圧縮など）を必須としているのに、サーバーやプロキシがハンドシェイクから外した。',
      ),
    ],
    fixes: [
      tx(
        'Compare Sec-WebSocket-Extensions in the request and the response, and enable the extension on the server.',
        'リクエストとレスポンスの Sec-WebSocket-Extensions を見比べ、サーバー側で拡張を有効にしてください。',
      ),
    ],
  },
  1011: {
    name: tx('Internal Error', 'サーバー内部エラー'),
    meaning: tx(
      'The server hit an unexpected condition: the WebSocket twin of HTTP 500.',
      'サーバーで想定外の事態が起きました。HTTP の 500 に相当する WebSocket のコードです。',
    ),
    causes: [
      tx(
        'An unhandled exception in a message or connection handler on the server.',
        'サーバーのメッセージハンドラーや接続ハンドラーで、例外が処理されなかった。',
      ),
      tx(
        'An async error (a rejected promise) that the framework caught and turned into 1011.',
        '非同期処理のエラー（reject された Promise）を、フレームワークが捕まえて 1011 にした。',
      ),
      tx(
        'A dependency the handler needs (database, cache, upstream API) failed.',
        'ハンドラーが依存するもの（データベース、キャッシュ、上流の API）が失敗した。',
      ),
    ],
    fixes: [
      tx(
        'Look at the server logs at the exact close time shown in the evidence.',
        '根拠に示した正確なクローズ時刻のサーバーログを確認してください。',
      ),
      tx(
        'Wrap every handler in try/catch, catch async errors, and log them with a connection id.',
        'すべてのハンドラーを try/catch で囲み、非同期のエラーも捕まえ、接続 ID と一緒にログに残してください。',
      ),
      tx(
        'Put an error id in the close reason (at most 123 bytes) so the client side can be matched with the log.',
        'クローズ理由（最大 123 バイト）にエラー ID を入れると、クライアント側の記録とログを突き合わせられます。',
      ),
    ],
  },
  1015: {
    name: tx('TLS Handshake Failure', 'TLS ハンドシェイクの失敗'),
    meaning: tx(
      'The TLS handshake failed. Never sent on the wire; browsers usually report 1006 instead.',
      'TLS ハンドシェイクに失敗しました。ネットワーク上を流れるコードではなく、ブラウザーは多くの場合代わりに 1006 を報告します。',
    ),
    causes: [
      tx(
        'The certificate is invalid, expired, self-signed or for another host name.',
        '証明書が無効、期限切れ、自己署名、または別のホスト名のものになっている。',
      ),
      tx('No common TLS version or cipher.', '共通の TLS バージョンや暗号スイートがない。'),
    ],
    fixes: [
      tx(
        'Open https:// on the same host and port in a tab to see the certificate error, then fix the certificate.',
        '同じホストとポートを https:// でタブに開いて証明書エラーを確認し、証明書を修正してください。',
      ),
    ],
  },
};
