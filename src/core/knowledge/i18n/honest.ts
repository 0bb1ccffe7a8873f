// Texts of the honest-confidence rules: cuts after a silence no known timeout explains, the
// competing explanations with what tells them apart, silence per direction, a library's
// heartbeat-timeout close, known size limits, and reconnect advice a code forbids.
import { tx, type Text } from './text.ts';

type D = Text; // a formatted duration

export const HH = {
  cutAfterSilence: (s: D): Text =>
    tx(
      `Cut after ${s.en} of silence — no known timeout matches: a server crash, an intermediary or the network`,
      `${s.ja}無通信の後に切断されました。既知のタイムアウトとは一致せず、サーバーのクラッシュ、中継機器、ネットワークのいずれかです`,
    ),
  serverSilent: (s: D): Text =>
    tx(
      `Cut after the server had been silent for ${s.en} while the page kept sending`,
      `ページが送信を続ける中、サーバーが ${s.ja}応答しなかった後に切断されました`,
    ),
  noTraffic: (life: D, name: string, timeout: D): Text =>
    tx(
      `Cut ${life.en} after opening with no traffic at all — matches ${name} (${timeout.en}): an idle cut or a lifetime cap, which no traffic cannot tell apart`,
      `通信が一切ないまま open から ${life.ja}後に切断されました。${name}（${timeout.ja}）と一致します。通信がないため、アイドル切断か寿命の上限かは区別できません`,
    ),
  coded: (code: number, s: D, name: string, timeout: D): Text =>
    tx(
      `Closed with ${code} after ${s.en} of silence — matches the ${timeout.en} idle timeout of ${name}`,
      `${s.ja}無通信の後に ${code} で閉じられました。${name} のアイドルタイムアウト（${timeout.ja}）と一致します`,
    ),
  heartbeat: (lib: string, window: D | undefined): Text =>
    tx(
      `Closed by ${lib} after its heartbeat timed out: the server (or the path to it) was silent${window ? ` for ${window.en}` : ''}`,
      `${lib} がハートビートのタイムアウトで閉じました。サーバー（またはそこまでの経路）が${window ? ` ${window.ja}` : ''}沈黙していました`,
    ),
  ack: (lib: string): Text =>
    tx(
      `Closed by ${lib}: the server did not acknowledge the connection in time (it was silent)`,
      `${lib} が閉じました。サーバーが時間内に接続を承認しませんでした（沈黙していました）`,
    ),
};

export const HE = {
  silenceIn: (d: D): Text => tx(`Nothing received for ${d.en} before the end`, `終了前の ${d.ja}何も受信していません`),
  silenceOut: (d: D): Text => tx(`Nothing sent for ${d.en} before the end`, `終了前の ${d.ja}何も送信していません`),
  hiddenWeak: tx(
    'The tab was hidden shortly before: browsers throttle timers in hidden tabs, they do not cut sockets, so this alone does not explain the end',
    '直前にタブが非表示になっていました。ブラウザーは非表示タブのタイマーを間引きますがソケットは切らないため、これだけでは終了の説明になりません',
  ),
  largeSendPossible: (size: string, before: D): Text =>
    tx(
      `A ${size} message was sent ${before.en} before the cut; no known limit of this endpoint matches, so a size limit is only a possibility`,
      `切断の ${before.ja}前に ${size} のメッセージを送信しました。このエンドポイントの既知の上限とは一致しないため、サイズ上限は可能性の一つにすぎません`,
    ),
  sizeLimit: (service: string, label: string, frame: boolean): Text =>
    tx(
      `${service} limits each ${frame ? 'frame' : 'message'} to ${label}`,
      `${service} は${frame ? 'フレーム' : 'メッセージ'}を ${label} までに制限しています`,
    ),
  libraryWindow: (lib: string, window: D | undefined): Text =>
    tx(
      `${lib} closes the socket itself when the server is silent${window ? ` for ${window.en} (its default)` : ' for its heart-beat window'}`,
      `${lib} はサーバーが${window ? ` ${window.ja}（既定値）` : 'ハートビートの枠の間'}沈黙するとソケットを自ら閉じます`,
    ),
};

export interface Competitor {
  cause: Text;
  tells: Text;
}

export const HC = {
  crash: (clock: string): Competitor => ({
    cause: tx('The server process crashed or restarted', 'サーバープロセスがクラッシュまたは再起動した'),
    tells: tx(
      `The server's logs at ${clock}: a crash or restart there is the answer; if they show no crash at ${clock}, it was an intermediary or the network`,
      `${clock} のサーバーログ。そこにクラッシュや再起動があればそれが原因です。${clock} にクラッシュがなければ中継機器かネットワークです`,
    ),
  }),
  intermediary: (s: D): Competitor => ({
    cause: tx(
      `An intermediary (proxy, load balancer, NAT, firewall) with an idle timeout of about ${s.en}`,
      `アイドルタイムアウトが約 ${s.ja}の中継機器（プロキシ、ロードバランサー、NAT、ファイアウォール）`,
    ),
    tells: tx(
      `The same cut after the same silence every time, and no crash in the server's logs; a heartbeat shorter than ${s.en} makes it go away`,
      `毎回同じ無通信時間の後に切れ、サーバーログにクラッシュがない。${s.ja}より短い間隔のハートビートで起きなくなる`,
    ),
  }),
  network: (clock: string): Competitor => ({
    cause: tx('A network drop on the path (Wi-Fi, VPN, mobile hand-over)', '経路上のネットワーク断（Wi-Fi、VPN、モバイル回線の切り替え）'),
    tells: tx(
      `Other sockets and requests failing at ${clock} too, or an offline event, point to the network`,
      `${clock} に他のソケットやリクエストも失敗している、またはオフラインイベントがあるならネットワークです`,
    ),
  }),
  known: (name: string, timeout: D): Competitor => ({
    cause: tx(`The idle timeout of ${name} (${timeout.en})`, `${name} のアイドルタイムアウト（${timeout.ja}）`),
    tells: tx(
      `Raise that timeout or send a heartbeat: if the cuts stop, it was ${name}`,
      `そのタイムアウトを延ばすかハートビートを送る。切断が止まれば ${name} が原因です`,
    ),
  }),
  idleNoTraffic: (timeout: D): Competitor => ({
    cause: tx(`An idle timeout of about ${timeout.en}: the socket carried no traffic at all`, `約 ${timeout.ja}のアイドルタイムアウト（ソケットに通信がまったくなかった）`),
    tells: tx(
      `Send a heartbeat: if the socket then survives past ${timeout.en}, it was an idle cut`,
      `ハートビートを送る。それで ${timeout.ja}を超えて生き残れば、アイドル切断でした`,
    ),
  }),
  lifetime: (name: string, timeout: D): Competitor => ({
    cause: tx(`A lifetime cap (${name}, ${timeout.en}) that traffic does not reset`, `通信ではリセットされない寿命の上限（${name}、${timeout.ja}）`),
    tells: tx(
      `Send a heartbeat: if the socket still dies ${timeout.en} after opening, it is a lifetime cap`,
      `ハートビートを送る。それでも open から ${timeout.ja}後に切れるなら寿命の上限です`,
    ),
  }),
  deploy: (clock: string): Competitor => ({
    cause: tx('A deploy or shutdown of the server', 'サーバーのデプロイまたは停止'),
    tells: tx(
      `A deploy or restart at ${clock} in the server's logs or CI; an idle cut repeats after the same silence every time`,
      `${clock} のデプロイや再起動がサーバーログや CI にあるか。アイドル切断なら毎回同じ無通信時間の後に起きます`,
    ),
  }),
  serverDeliberate: (clock: string): Competitor => ({
    cause: tx('The server closed it on purpose (its own idle or session policy)', 'サーバーが意図的に閉じた（独自のアイドルやセッションの方針）'),
    tells: tx(`The server's logs at ${clock} name the close it made`, `${clock} のサーバーログに、サーバー自身が閉じた記録があるか`),
  }),
};

export const HCause = {
  serverStopped: (s: D): Text =>
    tx(
      `The server stopped answering ${s.en} before the cut while the page kept sending: a hung or crashed server, or a path that lost the return direction`,
      `ページが送信を続ける中、サーバーは切断の ${s.ja}前から応答していません。サーバーのハングやクラッシュ、または戻り方向を失った経路です`,
    ),
  sizePossible: (size: string): Text =>
    tx(`Possibly a message size limit: a ${size} message was sent just before`, `メッセージサイズ上限の可能性：直前に ${size} のメッセージを送信しています`),
  hidden: tx('The tab was hidden: a throttled heartbeat may have been late', 'タブが非表示でした：間引かれたハートビートが遅れた可能性があります'),
};

export const HF = {
  heartbeatTest: (half: D, timeout: D): Text =>
    tx(
      `Send a heartbeat every ${half.en}: if the socket still dies ${timeout.en} after opening, raise the lifetime limit instead`,
      `${half.ja}ごとにハートビートを送ってください。それでも open から ${timeout.ja}後に切れるなら、寿命の上限を延ばしてください`,
    ),
  stopReconnecting: tx(
    'Stop reconnecting on this code: a retry fails the same way until its cause (credentials, shard, intents, policy) is fixed',
    'このコードでは再接続をやめてください。原因（認証情報、シャード、インテント、ポリシー）を直すまで、再試行は同じ理由で失敗します',
  ),
  checkServerAt: (clock: string): Text =>
    tx(
      `Look at the server at ${clock} (logs, event-loop stalls, overload) and at proxies that buffer; raise the library's timeout only if the server is known to be slow`,
      `${clock} のサーバー（ログ、イベントループの停止、過負荷）とバッファリングするプロキシを確認してください。ライブラリのタイムアウトを延ばすのは、サーバーが遅いと分かっている場合だけにしてください`,
    ),
};

export const CONFIDENCE = {
  label: tx('How sure', '確度'),
  competitors: tx('Could also be', '他の可能性'),
  tells: tx('tells them apart', '見分け方'),
  certain: tx('certain', '確実'),
  likely: tx('likely', '可能性が高い'),
  possible: tx('possible', '可能性あり'),
};
