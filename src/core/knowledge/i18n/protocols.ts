// Texts of what an application protocol said about a connection's end: its own goodbye or
// error frame, and its heartbeat (terms, beats overdue, beats kept to the end).
import type { Competitor } from './honest.ts';
import { quote, tx, type Text } from './text.ts';

type D = Text; // a formatted duration

const said = (reason: string | undefined): Text => (reason ? tx(`: ${quote(reason).en}`, `：${quote(reason).ja}`) : tx('', ''));

export const PH = {
  appClose: (proto: string, type: string, reason: string | undefined): Text =>
    tx(
      `The server ended it at the ${proto} level (${type})${said(reason).en}`,
      `サーバーが ${proto} のレベルで終了しました（${type}）${said(reason).ja}`,
    ),
  appError: (proto: string, type: string, reason: string | undefined): Text =>
    tx(`The ${proto} server reported an error (${type})${said(reason).en}`, `${proto} サーバーがエラーを返しました（${type}）${said(reason).ja}`),
  appRejected: (proto: string, type: string, reason: string | undefined): Text =>
    tx(
      `The ${proto} server refused the client (${type})${said(reason).en}`,
      `${proto} サーバーがクライアントを拒否しました（${type}）${said(reason).ja}`,
    ),
  clientGaveUp: (proto: string, due: string, window: D | undefined): Text =>
    tx(
      `The server's ${proto} heartbeat due at ${due} never came; the client gave up${window ? ` after ${window.en}` : ''} and closed the socket itself`,
      `${due} に来るはずのサーバーの ${proto} ハートビートが来ず、クライアントが${window ? ` ${window.ja}後に` : ''}諦めて自らソケットを閉じました`,
    ),
  serverGaveUp: (proto: string, silent: D): Text =>
    tx(
      `The page sent no ${proto} heartbeat for ${silent.en} before the end: the server gave up on a silent client`,
      `終了前の ${silent.ja}、ページは ${proto} のハートビートを送っていません。サーバーが沈黙したクライアントを見限りました`,
    ),
};

export const PE = {
  frame: (proto: string, type: string, reason: string | undefined): Text =>
    tx(`${proto} frame from the server: ${type}${said(reason).en}`, `サーバーからの ${proto} フレーム：${type}${said(reason).ja}`),
  clientFrame: (proto: string, type: string, reason: string | undefined): Text =>
    tx(`${proto} frame from the page: ${type}${said(reason).en}`, `ページからの ${proto} フレーム：${type}${said(reason).ja}`),
  detail: (detail: string): Text => tx(`The server's message: ${quote(detail).en}`, `サーバーのメッセージ：${quote(detail).ja}`),
  reconnect: (allowed: boolean): Text =>
    allowed ? tx('The server allows a reconnect', 'サーバーは再接続を許可しています') : tx('The server asks the client not to reconnect', 'サーバーはクライアントに再接続しないよう求めています'),
  terms: (proto: string, text: Text, from: string, assumed: boolean): Text =>
    tx(
      `${proto} heartbeat: ${text.en} (${assumed ? 'the library default' : 'announced'}: ${from})`,
      `${proto} のハートビート：${text.ja}（${assumed ? 'ライブラリの既定値' : '通知値'}：${from}）`,
    ),
  serverEvery: (every: D): Text => tx(`the server beats every ${every.en}`, `サーバーが ${every.ja}ごとに送信`),
  clientEvery: (every: D): Text => tx(`the client beats every ${every.en}`, `クライアントが ${every.ja}ごとに送信`),
  giveUp: (interval: D, timeout: D, total: D): Text =>
    tx(`the client gives up after interval + timeout = ${interval.en} + ${timeout.en} = ${total.en}`, `クライアントは 間隔 + タイムアウト = ${interval.ja} + ${timeout.ja} = ${total.ja} で諦めます`),
  overdueIn: (due: string, missed: number, silent: D): Text =>
    tx(
      `The server's heartbeat was due at ${due} and never came: ${missed} missed, ${silent.en} of silence before the end`,
      `サーバーのハートビートは ${due} に来るはずでしたが来ませんでした：${missed} 回欠落、終了前に ${silent.ja}沈黙`,
    ),
  unanswered: (count: number, silent: D): Text =>
    tx(
      `${count} heartbeat${count === 1 ? '' : 's'} of the page went unanswered; nothing answered for ${silent.en} before the end`,
      `ページのハートビート ${count} 回に応答がなく、終了前の ${silent.ja}何も応答がありません`,
    ),
  overdueOut: (due: string, missed: number): Text =>
    tx(
      `The page's own heartbeat was due at ${due} and was not sent (${missed} missed): its timers stopped (a frozen or throttled tab, a blocked main thread)`,
      `ページ自身のハートビートは ${due} に送るはずでしたが送られていません（${missed} 回欠落）。タイマーが止まっていました（凍結・間引かれたタブ、ブロックされたメインスレッド）`,
    ),
  keptToEnd: (count: number): Text =>
    tx(
      `The server's heartbeat kept its rhythm up to the end (${count} seen): the server was alive, so the cut came from the network or an intermediary, not from a dead server`,
      `サーバーのハートビートは最後まで一定の間隔で届いていました（${count} 回）。サーバーは生きていたので、切断はサーバーの停止ではなくネットワークか中継機器によるものです`,
    ),
  gaps: tx(
    'Part of the traffic was not captured (the panel opened late or dropped some), so beats may be missing from what is shown',
    '通信の一部は記録されていません（パネルを開くのが遅かった、または一部を破棄した）。表示にないハートビートがあるかもしれません',
  ),
};

export const PC = {
  frozen: (clock: string): Competitor => ({
    cause: tx('The server process stalled (blocked event loop, paused, overloaded)', 'サーバープロセスが停止していた（イベントループのブロック、一時停止、過負荷）'),
    tells: tx(
      `The server's logs and metrics at ${clock}: an event-loop stall or a pause there; its other clients timing out at the same moment`,
      `${clock} のサーバーのログとメトリクス。そこでのイベントループの停止や一時停止、同時刻に他のクライアントもタイムアウトしていること`,
    ),
  }),
  path: (clock: string): Competitor => ({
    cause: tx('The path from the server stopped delivering (a proxy buffering, a network stall)', 'サーバーからの経路が配送を止めた（プロキシのバッファリング、ネットワークの停滞）'),
    tells: tx(
      `Other requests to the same host failing or stalling at ${clock}; the server's logs showing it kept sending pings`,
      `${clock} に同じホストへの他のリクエストも失敗・停滞している。サーバーログでは ping を送り続けている`,
    ),
  }),
};

export const PF = {
  appReason: tx(
    "Handle the protocol's own close or error reason in the client (log it, show it, and reconnect only when the server allows it)",
    'プロトコル自身の終了・エラー理由をクライアントで扱ってください（記録し、表示し、サーバーが許す場合だけ再接続する）',
  ),
  auth: tx('Check the credentials the client sends at connect time (token, login, expiry)', '接続時にクライアントが送る認証情報（トークン、ログイン、有効期限）を確認してください'),
  keepBeating: tx(
    'Keep the heartbeat running while the page is in the background (a Worker timer, or a server-side ping the browser answers), or reconnect on visibilitychange',
    'ページがバックグラウンドでもハートビートを続けてください（Worker のタイマー、またはブラウザーが応答するサーバー側の ping）。または visibilitychange で再接続してください',
  ),
};
