// Texts of the close codes and code ranges, in English and Japanese: who may send a code, the
// codes the IANA registry added (RFC 6455's own are in codes-rfc.ts), and the ranges.
//
// The facts each text rests on (who may send a code, whether it can be on the wire, the
// link) live in close-codes.ts; this file is only words. Keys are typed with the code unions
// (code-kinds.ts), so the compiler rejects a code that has facts but no text, or the reverse.
// Sources: RFC 6455 §7.4.1 and §7.4.2, the IANA "WebSocket Close Code Number Registry",
// and docs/facts.md for what browsers actually report.
import type { CodeRange, CodeTexts, IanaCode, Sender, StandardCode } from '../code-kinds.ts';
import { RFC_CODE_TEXTS } from './codes-rfc.ts';
import { tx, type Text } from './text.ts';

export type { CodeTexts };

export const SENDER_TEXTS: Readonly<Record<Sender, Text>> = {
  either: tx('Either side (client or server)', 'クライアント・サーバーのどちらからでも送られます'),
  client: tx('The client', 'クライアント'),
  server: tx('The server', 'サーバー'),
  gateway: tx('A gateway or proxy in front of the server', 'サーバーの手前にあるゲートウェイやプロキシ'),
  browser: tx(
    'Nobody sends it: the browser reports it locally',
    '誰も送信しません。ブラウザーが手元で報告するコードです',
  ),
  nobody: tx('Nobody: reserved, never valid in a close frame', '誰も送信しません（予約済みで、close フレームには使えません）'),
  application: tx('An application or library (client or server)', 'アプリケーションやライブラリ（クライアント側・サーバー側）'),
};

const IANA_CODE_TEXTS: Readonly<Record<IanaCode, CodeTexts>> = {
  1012: {
    name: tx('Service Restart', 'サービス再起動'),
    meaning: tx(
      'The server is restarting; reconnect after a delay (IANA).',
      'サーバーが再起動中です。少し待ってから再接続してください（IANA）。',
    ),
    causes: [
      tx('A deploy or a planned restart of the service.', 'デプロイ、または計画されたサービスの再起動。'),
    ],
    fixes: [
      tx(
        'Reconnect after a randomized delay of a few seconds, then back off if it fails again.',
        '数秒のランダムな待ち時間の後に再接続し、再び失敗したら間隔を広げてください。',
      ),
    ],
  },
  1013: {
    name: tx('Try Again Later', '時間をおいて再試行'),
    meaning: tx(
      'The server is overloaded or in a temporary condition; back off before retrying (IANA).',
      'サーバーが過負荷、または一時的な状態にあります。間隔をあけてから再試行してください（IANA）。',
    ),
    causes: [
      tx('Server overload, connection limits, or a temporary dependency failure.', 'サーバーの過負荷、接続数の上限、依存サービスの一時的な障害。'),
    ],
    fixes: [
      tx(
        'Retry with exponential backoff and jitter; do not reconnect immediately.',
        'ジッター付きの指数バックオフで再試行してください。すぐに再接続してはいけません。',
      ),
    ],
  },
  1014: {
    name: tx('Bad Gateway', 'ゲートウェイエラー'),
    meaning: tx(
      'A gateway or proxy got an invalid response from, or could not reach, the server behind it (IANA).',
      'ゲートウェイやプロキシが、背後のサーバーから不正な応答を受け取った、または到達できませんでした（IANA）。',
    ),
    causes: [
      tx('The upstream server is down, restarting or failing.', '上流のサーバーが停止・再起動中、または障害を起こしている。'),
    ],
    fixes: [
      tx(
        'Check the health of the upstream and the gateway logs; retry with backoff.',
        '上流サーバーの状態とゲートウェイのログを確認し、バックオフしながら再試行してください。',
      ),
    ],
  },
  3000: {
    name: tx('Unauthorized', '未認証'),
    meaning: tx(
      'Registered with IANA: the connection was closed because the client is not authenticated.',
      'IANA に登録されたコードです。クライアントが認証されていないため閉じられました。',
    ),
    causes: [
      tx('Missing, invalid or expired credentials.', '認証情報がない、不正、または期限切れ。'),
    ],
    fixes: [
      tx(
        'Authenticate (or refresh the token) before reconnecting; do not retry with the same credentials.',
        '再接続の前に認証（またはトークンの更新）をしてください。同じ認証情報で再試行しても通りません。',
      ),
    ],
  },
  3003: {
    name: tx('Forbidden', '権限なし'),
    meaning: tx(
      'Registered with IANA: the client is authenticated but not allowed to do this.',
      'IANA に登録されたコードです。認証済みでも、この操作は許可されていません。',
    ),
    causes: [
      tx('The user lacks the permission for this channel or resource.', 'このチャンネルやリソースに対する権限がユーザーにない。'),
    ],
    fixes: [
      tx(
        'Check the permissions on the server; reconnecting will not help until they change.',
        'サーバー側の権限を確認してください。権限が変わるまでは再接続しても解決しません。',
      ),
    ],
  },
  3008: {
    name: tx('Timeout', 'タイムアウト'),
    meaning: tx(
      'Registered with IANA: something the endpoint waited for did not arrive in time.',
      'IANA に登録されたコードです。待っていたものが時間内に届きませんでした。',
    ),
    causes: [
      tx(
        'An authentication or init message, or a heartbeat reply, was not sent in time.',
        '認証や初期化のメッセージ、またはハートビートへの応答が時間内に送られなかった。',
      ),
    ],
    fixes: [
      tx(
        'Send the expected message right after open, and keep heartbeats within the timeout.',
        '期待されているメッセージは open 直後に送り、ハートビートはタイムアウトより短い間隔にしてください。',
      ),
    ],
  },
};

export const STANDARD_CODE_TEXTS: Readonly<Record<StandardCode, CodeTexts>> = { ...RFC_CODE_TEXTS, ...IANA_CODE_TEXTS };

export const RANGE_TEXTS: Readonly<Record<CodeRange, CodeTexts>> = {
  unused: {
    name: tx('Unused range (0–999)', '未使用の範囲（0〜999）'),
    meaning: tx(
      'Codes below 1000 are not used by the protocol; a conforming peer never sends them.',
      '1000 未満のコードはプロトコルで使われません。仕様に従う相手が送ることはありません。',
    ),
    causes: [tx('A non-conforming server or a bug in how the code is computed.', '仕様に従わないサーバー、またはコードを決める処理のバグ。')],
    fixes: [tx('Use 1000, 1011 or an application code in 4000–4999.', '1000、1011、またはアプリケーション用の 4000〜4999 を使ってください。')],
  },
  protocol: {
    name: tx('Reserved for the protocol (1016–2999)', 'プロトコル用の予約範囲（1016〜2999）'),
    meaning: tx(
      'Reserved for future revisions of the WebSocket protocol and its extensions; unassigned codes here are invalid.',
      'WebSocket プロトコルの将来の改訂と拡張のために予約されています。割り当てのないコードは不正です。',
    ),
    causes: [tx('A server or extension using a code it should not.', '使ってはならないコードを使うサーバーや拡張。')],
    fixes: [tx('Use a defined code, or one in 4000–4999 for your own meaning.', '定義済みのコード、または独自の意味には 4000〜4999 を使ってください。')],
  },
  registered: {
    name: tx('Registered with IANA (3000–3999)', 'IANA 登録範囲（3000〜3999）'),
    meaning: tx(
      'Codes for libraries, frameworks and applications, registered with IANA.',
      'ライブラリ、フレームワーク、アプリケーション向けに IANA に登録されるコードです。',
    ),
    causes: [tx('The server, a framework or a library closed with its own registered meaning.', 'サーバー、フレームワーク、ライブラリが、登録済みの独自の意味で閉じた。')],
    fixes: [
      tx(
        'Look the code up in the IANA registry and in the docs of the server framework.',
        'IANA のレジストリとサーバー側フレームワークのドキュメントでコードを調べてください。',
      ),
    ],
  },
  private: {
    name: tx('Private use (4000–4999)', 'プライベート用途（4000〜4999）'),
    meaning: tx(
      'Meaning defined by the application or its library, not by any standard.',
      '意味は標準ではなく、アプリケーションやそのライブラリが決めます。',
    ),
    causes: [tx('The application or its WebSocket library closed with its own code.', 'アプリケーションやその WebSocket ライブラリが独自のコードで閉じた。')],
    fixes: [
      tx(
        'Search the server code and the docs of the library for this number, and read the close reason.',
        'サーバーのコードとライブラリのドキュメントでこの番号を探し、クローズ理由も確認してください。',
      ),
    ],
  },
  invalid: {
    name: tx('Not a close code', 'クローズコードではありません'),
    meaning: tx(
      'Outside every range of RFC 6455 (valid codes are 1000–4999): no peer can send this.',
      'RFC 6455 のどの範囲にも入りません（有効なのは 1000〜4999）。相手が送れる値ではありません。',
    ),
    causes: [tx('A bug in the code that produced or recorded this value.', 'この値を作った、または記録した処理のバグ。')],
    fixes: [tx('Check where the value came from.', '値の出どころを確認してください。')],
  },
};
