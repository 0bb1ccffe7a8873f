// What can still be said of a connection whose close is unknown (a foreign HAR records none).
import { fmtDuration, tx, type Text } from '../knowledge/i18n/text.ts';
import { matchIntermediaries } from '../knowledge/intermediaries.ts';
import type { ForeignInfo } from './har-format.ts';
import type { Connection } from '../session/session.ts';

// ---------------------------------------------------------------------------------------------
// What can still be said of a connection whose close is unknown

/**
 * A headline for a connection imported without close information. When the file says when
 * the socket ended, the silence before that end is still compared with the known proxy and
 * load-balancer idle timeouts — the commonest cause of a 1006 — as the diagnosis engine does.
 */
export function unknownCloseHeadline(conn: Connection, info: ForeignInfo | undefined): Text {
  const end = info?.endedAt;
  if (end === undefined || conn.openedAt === undefined) {
    return tx(
      'Close unknown: the HAR records no close (the socket may still have been open when it was saved)',
      'クローズ不明：HAR にクローズの記録がありません（保存時にまだ接続中だった可能性があります）',
    );
  }
  const lastFrame = Math.max(conn.openedAt, conn.lastIn?.at ?? -Infinity, conn.lastOut?.at ?? -Infinity);
  const silence = end - lastFrame;
  const life = fmtDuration(end - conn.openedAt);
  const quiet = fmtDuration(silence);
  const matches = matchIntermediaries({ silenceMs: silence, lifetimeMs: end - conn.openedAt });
  const best = matches[0];
  if (best) {
    // Intermediaries that share the number are named together, as the diagnosis engine does.
    const name = matches
      .filter((m) => m.intermediary.timeoutMs === best.intermediary.timeoutMs && m.intermediary.basis === best.intermediary.basis)
      .map((m) => m.intermediary.name)
      .join(' / ');
    const to = fmtDuration(best.intermediary.timeoutMs);
    return tx(
      `Close code unknown: ended ${life.en} after opening, ${quiet.en} after the last frame — matches the ${to.en} timeout of ${name}`,
      `クローズコード不明：接続から ${life.ja}後、最後のフレームから ${quiet.ja}後に終了。${name} のタイムアウト（${to.ja}）と一致します`,
    );
  }
  return tx(
    `Close code unknown: ended ${life.en} after opening, ${quiet.en} after the last frame`,
    `クローズコード不明：接続から ${life.ja}後、最後のフレームから ${quiet.ja}後に終了`,
  );
}
