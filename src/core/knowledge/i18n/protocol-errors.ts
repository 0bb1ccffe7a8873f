// Texts of the protocol-error rule (diagnosis/rules-protocol-error.ts), in English and
// Japanese: a server (or something in between) broke RFC 6455, the browser failed the connection
// and told the page only 1006; its own text, quoted as evidence, says which rule was broken.
import { tx, type Text } from './text.ts';

/** The families of the browser's text (PROTOCOL_FAMILIES in the rule), one explanation each. */
export type ProtocolFamily =
  | 'close-code'
  | 'close-size'
  | 'close-utf8'
  | 'utf8'
  | 'reserved-bits'
  | 'masked'
  | 'opcode'
  | 'control-frame'
  | 'fragmentation'
  | 'accept'
  | 'subprotocol'
  | 'extension';

interface FamilyText {
  headline: Text;
  causes: Text[];
  fixes: Text[];
  /** The RFC 6455 section that states the rule. */
  section: string;
}

const PREFIX = tx('Protocol error: ', 'プロトコル違反：');
const p = (en: string, ja: string): Text => tx(PREFIX.en + en, PREFIX.ja + ja);

export const PF: Readonly<Record<ProtocolFamily, FamilyText>> = {
  'close-code': {
    headline: p(
      'your server sent a reserved close code (such as 1005 or 1006) in its close frame; browsers must fail the connection and report 1006 — send 1000 or a 4000–4999 code',
      'サーバーがクローズフレームで予約済みのコード（1005 や 1006 など）を送りました。ブラウザーは接続を失敗させて 1006 を報告しなければなりません。1000 か 4000〜4999 のコードを送ってください',
    ),
    causes: [
      tx(
        'The server code passes on a code it received or made up: 1005 ("no status") and 1006 ("abnormal") exist only for an API to report, and 1015 only for a TLS failure; none may be sent on the wire (RFC 6455 §7.4.1).',
        'サーバーのコードが受け取った、または作ったコードをそのまま送っている。1005（ステータスなし）と 1006（異常切断）は API が報告するためだけのもので、1015 は TLS の失敗専用です。どれも回線上に送ってはいけません（RFC 6455 §7.4.1）。',
      ),
      tx(
        'A server library that echoes the client\'s close code without checking it, after a close event that itself reported 1005 or 1006.',
        'クライアントのクローズコードを検証せずにそのまま返すサーバーライブラリが、1005 や 1006 が報告されたクローズの後で送り返している。',
      ),
    ],
    fixes: [
      tx(
        'Send 1000 for a normal end, 1001 when the server goes away, 1011 for an error, or your own code in 4000–4999; when echoing a close that had no code, send a close frame with no code at all.',
        '通常の終了は 1000、サーバー停止は 1001、エラーは 1011、独自の理由は 4000〜4999 を送ってください。コードのないクローズに応答するときは、コードなしのクローズフレームを送ってください。',
      ),
    ],
    section: '7.4.1',
  },
  'close-size': {
    headline: p(
      'the server\'s close frame had a one-byte body; a close body is empty, or a 2-byte code and a reason',
      'サーバーのクローズフレームの本体が 1 バイトでした。クローズの本体は空か、2 バイトのコードと理由でなければなりません',
    ),
    causes: [
      tx(
        'The server (or a proxy) wrote a close frame by hand and got its body wrong (RFC 6455 §5.5.1).',
        'サーバー（またはプロキシ）がクローズフレームを自前で組み立て、本体を誤っている（RFC 6455 §5.5.1）。',
      ),
    ],
    fixes: [tx('Use the server library\'s close(code, reason) rather than writing the frame yourself.', 'フレームを自分で書かず、サーバーライブラリの close(code, reason) を使ってください。')],
    section: '5.5.1',
  },
  'close-utf8': {
    headline: p(
      'the reason in the server\'s close frame is not valid UTF-8; browsers must fail the connection and report 1006',
      'サーバーのクローズフレームの理由が正しい UTF-8 ではありません。ブラウザーは接続を失敗させて 1006 を報告しなければなりません',
    ),
    causes: [
      tx(
        'The reason was cut at 123 bytes in the middle of a multi-byte character, or encoded in something other than UTF-8 (RFC 6455 §5.5.1, §8.1).',
        '理由が 123 バイトで多バイト文字の途中で切られた、または UTF-8 以外で符号化された（RFC 6455 §5.5.1、§8.1）。',
      ),
    ],
    fixes: [tx('Keep close reasons short ASCII, or cut them on a character boundary.', 'クローズの理由は短い ASCII にするか、文字の境界で切ってください。')],
    section: '8.1',
  },
  utf8: {
    headline: p(
      'the server sent a text frame that is not valid UTF-8; browsers must fail the connection and report 1006',
      'サーバーが正しい UTF-8 ではないテキストフレームを送りました。ブラウザーは接続を失敗させて 1006 を報告しなければなりません',
    ),
    causes: [
      tx(
        'Binary data (compressed, encrypted, an image, a protobuf) sent as a text frame (RFC 6455 §8.1).',
        'バイナリデータ（圧縮・暗号化したデータ、画像、protobuf）をテキストフレームで送っている（RFC 6455 §8.1）。',
      ),
      tx(
        'Text in another encoding (Latin-1, Shift_JIS), or a string cut in the middle of a multi-byte character before sending.',
        '別の符号化（Latin-1、Shift_JIS）のテキスト、または送信前に多バイト文字の途中で切られた文字列。',
      ),
    ],
    fixes: [
      tx('Send bytes as a binary frame; send text only as UTF-8, cut on character boundaries.', 'バイト列はバイナリフレームで送り、テキストは文字の境界で切った UTF-8 だけを送ってください。'),
    ],
    section: '8.1',
  },
  'reserved-bits': {
    headline: p(
      'the server set a reserved bit (RSV1–3) that no negotiated extension defines; browsers must fail the connection',
      'サーバーが、ネゴシエートされた拡張で定義されていない予約ビット（RSV1〜3）を立てました。ブラウザーは接続を失敗させなければなりません',
    ),
    causes: [
      tx(
        'The server compresses frames (permessage-deflate sets RSV1) but the handshake did not agree on it: a proxy dropped Sec-WebSocket-Extensions from the response, or the server compresses regardless (RFC 6455 §5.2, RFC 7692).',
        'サーバーがフレームを圧縮している（permessage-deflate は RSV1 を立てる）が、ハンドシェイクで合意していない。プロキシがレスポンスから Sec-WebSocket-Extensions を落とした、またはサーバーが合意に関係なく圧縮している（RFC 6455 §5.2、RFC 7692）。',
      ),
      tx('A hand-written frame encoder with a wrong first byte.', '自前のフレームエンコーダーの先頭バイトが誤っている。'),
    ],
    fixes: [
      tx(
        'Compress only when the 101 response carries the extension; make every proxy pass Sec-WebSocket-Extensions through.',
        '101 レスポンスに拡張が含まれるときだけ圧縮し、すべてのプロキシが Sec-WebSocket-Extensions を通すようにしてください。',
      ),
    ],
    section: '5.2',
  },
  masked: {
    headline: p(
      'the server sent a masked frame; only clients mask, and browsers must fail the connection',
      'サーバーがマスクされたフレームを送りました。マスクするのはクライアントだけで、ブラウザーは接続を失敗させなければなりません',
    ),
    causes: [
      tx(
        'A client WebSocket library used on the server side, or a relay that forwards the browser\'s own (masked) frames back unchanged (RFC 6455 §5.1).',
        'クライアント用の WebSocket ライブラリをサーバー側で使っている、またはブラウザーの（マスクされた）フレームをそのまま返す中継がある（RFC 6455 §5.1）。',
      ),
    ],
    fixes: [tx('Use a server-side WebSocket implementation; a relay must unmask and re-frame.', 'サーバー用の WebSocket 実装を使ってください。中継はマスクを外してフレームを作り直す必要があります。')],
    section: '5.1',
  },
  opcode: {
    headline: p(
      'the server sent a frame with an opcode RFC 6455 does not define; browsers must fail the connection',
      'サーバーが RFC 6455 で定義されていないオペコードのフレームを送りました。ブラウザーは接続を失敗させなければなりません',
    ),
    causes: [
      tx(
        'A frame encoder bug, a non-WebSocket byte stream written to the socket after the upgrade, or two writers interleaving on one connection (RFC 6455 §5.2).',
        'フレームエンコーダーの不具合、アップグレード後に WebSocket 以外のバイト列を書いた、または 2 つの書き手が 1 本の接続に交互に書いている（RFC 6455 §5.2）。',
      ),
    ],
    fixes: [tx('Write to an upgraded socket only through the WebSocket library, from one place.', 'アップグレード済みのソケットには、WebSocket ライブラリを通して 1 か所からだけ書いてください。')],
    section: '5.2',
  },
  'control-frame': {
    headline: p(
      'the browser rejected a frame header from the server — a control frame (ping, pong, close) over 125 bytes or fragmented, or an impossible length',
      'ブラウザーがサーバーのフレームヘッダーを拒否しました。125 バイトを超える、または分割された制御フレーム（ping・pong・close）か、ありえない長さです',
    ),
    causes: [
      tx(
        'A ping, pong or close with a payload over 125 bytes, or sent without FIN (control frames must fit in one frame, RFC 6455 §5.5).',
        '125 バイトを超えるペイロードの ping・pong・close、または FIN なしで送られた制御フレーム（制御フレームは 1 フレームに収まる必要があります、RFC 6455 §5.5）。',
      ),
      tx(
        'A 64-bit payload length with its most significant bit set, or bytes that are no frame at all (RFC 6455 §5.2).',
        '最上位ビットが立った 64 ビットのペイロード長、またはそもそもフレームではないバイト列（RFC 6455 §5.2）。',
      ),
    ],
    fixes: [
      tx('Keep ping and close payloads at 125 bytes or less (a close reason at 123), in one frame.', 'ping とクローズのペイロードは 125 バイト以下（クローズの理由は 123 バイト以下）にし、1 フレームで送ってください。'),
    ],
    section: '5.5',
  },
  fragmentation: {
    headline: p(
      'the server broke message fragmentation (a continuation frame with no message to continue, or a new message before the last one ended)',
      'サーバーがメッセージの分割の規則を破りました（続くべきメッセージのない継続フレーム、または前のメッセージが終わる前の新しいメッセージ）',
    ),
    causes: [
      tx(
        'Two messages written at once on one connection, their fragments interleaved (RFC 6455 §5.4).',
        '1 本の接続に 2 つのメッセージが同時に書かれ、断片が混ざった（RFC 6455 §5.4）。',
      ),
    ],
    fixes: [tx('Serialise sends on the server: one message\'s fragments must not be interleaved with another\'s.', 'サーバーで送信を直列化してください。あるメッセージの断片を別のメッセージの断片と混ぜてはいけません。')],
    section: '5.4',
  },
  accept: {
    headline: p(
      'the 101 response had a wrong or missing Sec-WebSocket-Accept, so the browser refused the handshake',
      '101 レスポンスの Sec-WebSocket-Accept が誤っているかないため、ブラウザーはハンドシェイクを拒否しました',
    ),
    causes: [
      tx(
        'A proxy rewrote Sec-WebSocket-Key on the way in, or answered the upgrade itself: the accept value then belongs to another key (RFC 6455 §4.1, §4.2.2).',
        'プロキシが途中で Sec-WebSocket-Key を書き換えた、または自分でアップグレードに応答した。そのため Accept の値は別のキーに対するものになっている（RFC 6455 §4.1、§4.2.2）。',
      ),
      tx(
        'A hand-written handshake that computes the accept wrongly: it is base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 §1.3.',
        '自前のハンドシェイク実装が Accept を誤って計算している。正しくは base64(SHA-1(キー + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) です（RFC 6455 §1.3）。',
      ),
    ],
    fixes: [
      tx(
        'Let every proxy pass the upgrade through untouched, and compare the Sec-WebSocket-Key the server received with the one the browser sent.',
        'すべてのプロキシがアップグレードをそのまま通すようにし、サーバーが受け取った Sec-WebSocket-Key とブラウザーが送ったものを比べてください。',
      ),
    ],
    section: '4.1',
  },
  subprotocol: {
    headline: p(
      'the server answered with a subprotocol the page did not offer (or none of those it did), so the browser failed the handshake',
      'サーバーがページの提示していないサブプロトコルで応答した（または提示したどれも選ばなかった）ため、ブラウザーはハンドシェイクを失敗させました',
    ),
    causes: [
      tx(
        'The server selects a protocol from its own list, or a proxy rewrites Sec-WebSocket-Protocol; the answer must be one of the offered values (RFC 6455 §4.1).',
        'サーバーが自分のリストからプロトコルを選んでいる、またはプロキシが Sec-WebSocket-Protocol を書き換えている。応答は提示された値のどれかでなければなりません（RFC 6455 §4.1）。',
      ),
    ],
    fixes: [tx('Answer with exactly one of the protocols the client offered.', 'クライアントが提示したプロトコルのどれか 1 つをそのまま返してください。')],
    section: '4.1',
  },
  extension: {
    headline: p(
      'the server answered with an extension the page did not offer (or wrong parameters), so the browser failed the handshake',
      'サーバーがページの提示していない拡張（または誤ったパラメーター）で応答したため、ブラウザーはハンドシェイクを失敗させました',
    ),
    causes: [
      tx(
        'The server or a proxy added or rewrote Sec-WebSocket-Extensions (RFC 6455 §9.1, RFC 7692 §5).',
        'サーバーまたはプロキシが Sec-WebSocket-Extensions を追加・書き換えた（RFC 6455 §9.1、RFC 7692 §5）。',
      ),
    ],
    fixes: [tx('Answer only with extensions the client offered, with parameters it accepts.', 'クライアントが提示した拡張だけを、受け付けられるパラメーターで返してください。')],
    section: '9.1',
  },
};

export const PE = {
  /** The browser's text, as evidence: quoted as it said it, with when. */
  browserSaid: (text: string, clock: string): Text =>
    tx(`The browser failed the connection at ${clock}, saying: "${text}"`, `ブラウザーが ${clock} に接続を失敗させました：「${text}」`),
  unknownHeadline: (text: string): Text =>
    tx(`Protocol error: the browser failed the connection: "${text}"`, `プロトコル違反：ブラウザーが接続を失敗させました：「${text}」`),
  unknownCause: tx(
    'The server (or something between it and the browser) broke RFC 6455; the browser\'s text above names the rule.',
    'サーバー（またはブラウザーとの間にある何か）が RFC 6455 に違反しました。上のブラウザーのテキストがどの規則かを示しています。',
  ),
  unknownFix: tx(
    'Capture the server\'s frames (a packet capture, or the server library\'s debug log) around the time the browser quotes.',
    'ブラウザーが示した時刻の前後で、サーバーのフレームを記録してください（パケットキャプチャやサーバーライブラリのデバッグログ）。',
  ),
  notTheNetwork: tx(
    'The page saw 1006, but nothing was cut: the browser closed the connection itself because the server broke the protocol',
    'ページには 1006 が見えていますが、回線は切れていません。サーバーがプロトコルに違反したため、ブラウザー自身が接続を閉じました',
  ),
  moreErrors: (n: number): Text => tx(`…and ${n} more text(s) from the browser`, `…ほかにブラウザーのテキストが ${n} 件`),
  worker: (type: 'dedicated' | 'shared' | 'service', url: string): Text =>
    tx(
      `Made in a ${WORKER_EN[type]} (${url}), not by the page itself`,
      `ページ自身ではなく${WORKER_JA[type]}（${url}）で作られた接続です`,
    ),
};

const WORKER_EN = { dedicated: 'dedicated worker', shared: 'Shared Worker', service: 'Service Worker' } as const;
const WORKER_JA = { dedicated: '専用ワーカー', shared: '共有ワーカー', service: 'サービスワーカー' } as const;
