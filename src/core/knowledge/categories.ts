// The diagnosis categories: the short answer to "why did this socket end", one per connection,
// and their names in English and Japanese. Shared by everything that names a category (the
// panel, the CLI's report, a CI job's --fail-on groups), so they all use the same words; how a
// category looks (icon, colour) is the panel's business (src/panel/categories.ts).
import { tx, type Text } from './i18n/text.ts';

export const DIAGNOSIS_CATEGORIES = [
  'live',
  'handshake-failed',
  'idle-timeout',
  'offline',
  'suspended',
  'message-too-big',
  'abnormal',
  'navigated',
  'server-error',
  'heartbeat-lost',
  'closed-by-page',
  'closed-by-server',
  'going-away',
  'no-status',
  'protocol-error',
  'unsupported-data',
  'invalid-payload',
  'policy',
  'retry-later',
  'app-code',
  'unknown-code',
  'create-failed',
  'injected',
] as const;
export type DiagnosisCategory = (typeof DIAGNOSIS_CATEGORIES)[number];

/** Short names, as a badge or a report column shows them. */
export const CATEGORY_LABEL: Readonly<Record<DiagnosisCategory, Text>> = {
  live: tx('live', '接続中'),
  'handshake-failed': tx('handshake failed', 'ハンドシェイク失敗'),
  'idle-timeout': tx('idle cut', 'アイドル切断'),
  offline: tx('went offline', 'オフライン'),
  suspended: tx('tab suspended', 'タブ停止'),
  'message-too-big': tx('too big', 'サイズ超過'),
  abnormal: tx('connection cut', '接続断'),
  navigated: tx('page left', 'ページ離脱'),
  'server-error': tx('server error', 'サーバーエラー'),
  'heartbeat-lost': tx('heartbeat lost', 'ハートビート途絶'),
  'closed-by-page': tx('closed by page', 'ページが切断'),
  'closed-by-server': tx('closed by server', 'サーバーが切断'),
  'going-away': tx('going away', 'サーバー停止'),
  'no-status': tx('no status', 'コードなし'),
  'protocol-error': tx('protocol error', 'プロトコル違反'),
  'unsupported-data': tx('unsupported data', '非対応データ'),
  'invalid-payload': tx('invalid payload', '不正なペイロード'),
  policy: tx('policy', 'ポリシー違反'),
  'retry-later': tx('retry later', '再試行待ち'),
  'app-code': tx('app code', 'アプリ定義コード'),
  'unknown-code': tx('unknown code', '不明なコード'),
  'create-failed': tx('create failed', '作成失敗'),
  injected: tx('injected', '注入した障害'),
};
