// Texts for a cut that follows a sleep of the machine (or a clock jump): the page's monotonic
// clock and the wall clock parted (session/clock.ts), which is how a page can tell it slept.
import { tx, type Text } from './text.ts';

type D = Text;

export const SLEEP = {
  headline: (slept: D): Text =>
    tx(
      `Cut during a sleep: the computer slept for ${slept.en} right before the close`,
      `スリープ中の切断：クローズの直前にコンピューターが ${slept.ja} スリープしていました`,
    ),
  evidence: (slept: D, clock: string, rel: D): Text =>
    tx(
      `The page's clock jumped ${slept.en} ahead at ${clock} (${rel.en}): wall time ran on while the page's monotonic time stood still, which is what a sleep looks like from a page`,
      `${clock}（${rel.ja}）にページの時計が ${slept.ja} 進みました。壁時計が進む間ページの単調時計は止まっていた、つまりページから見たスリープです`,
    ),
  jump: (size: D, clock: string, rel: D): Text =>
    tx(
      `The wall clock moved by ${size.en} against the page's own clock at ${clock} (${rel.en}): times around it were corrected`,
      `${clock}（${rel.ja}）に壁時計がページ自身の時計に対して ${size.ja} ずれました。前後の時刻は補正しています`,
    ),
  cause: tx(
    'The machine slept (lid closed, suspend): the network stack was down, peers and proxies gave up on a silent connection, and the close was reported on wake-up.',
    'マシンがスリープしました（蓋を閉じた、サスペンド）。その間ネットワークは止まり、相手やプロキシは無通信の接続を切り、クローズは復帰時に報告されました。',
  ),
  fix: tx(
    'Reconnect on wake-up: listen for resume / visibilitychange / online and check the socket with an application ping, then resync what was missed.',
    '復帰時に再接続してください。resume / visibilitychange / online を監視し、アプリケーションレベルの ping でソケットを確認して、取りこぼしを再同期します。',
  ),
};
