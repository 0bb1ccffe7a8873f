// UI texts of the row and message context menus, multi-selection and the narrow layout, in
// English and Japanese. Its own catalogue (i18n.ts is near its size bound); `menuJa` must have
// every key `menuEn` has: the type says so.
import { fillText, type UiLang } from './i18n.ts';

export const menuEn = {
  rowMenu: 'Connection actions',
  copyUrl: 'Copy URL',
  copyMarkdown: 'Copy as Markdown (redacted)',
  noDiagnosis: 'No explanation for this connection yet',
  copyWscat: 'Copy as wscat command',
  copyWebsocat: 'Copy as websocat command',
  copyNode: 'Copy as Node (ws) one-liner',
  commandTitle: 'Opens the same URL with the same subprotocols and the request headers the network saw (cookies included: like DevTools’ “Copy as cURL”, not redacted)',
  exportThis: 'Export this connection as HAR',
  exportSelectedN: 'Export {n} selected connections as HAR',
  filterEndpoint: 'Filter to this endpoint',
  showInTimeline: 'Show in timeline',
  copied: 'Copied',
  copyFailed: 'Could not copy',
  msgMenu: 'Message actions',
  msgCopy: 'Copy message',
  msgCopyJson: 'Copy as JSON (pretty)',
  msgSaveBinary: 'Save bytes to a file',
  msgNotJson: 'This message is not JSON',
  msgNotBinary: 'Only a binary message has bytes to save',
  msgNotCaptured: 'Its payload was not captured',
  selectedCount: '{n} selected',
  back: 'Connections',
  backTitle: 'Back to the connection list (Escape)',
  filterShort: 'Filter',
  more: 'More',
};

export type MenuKey = keyof typeof menuEn;

const menuJa: Record<MenuKey, string> = {
  rowMenu: '接続の操作',
  copyUrl: 'URL をコピー',
  copyMarkdown: 'Markdown としてコピー（秘匿化済み）',
  noDiagnosis: 'この接続の説明はまだありません',
  copyWscat: 'wscat コマンドとしてコピー',
  copyWebsocat: 'websocat コマンドとしてコピー',
  copyNode: 'Node (ws) のワンライナーとしてコピー',
  commandTitle: '同じ URL・同じサブプロトコル・ネットワークで見えたリクエストヘッダーで接続し直します（Cookie を含みます。DevTools の「cURL としてコピー」と同じく秘匿化しません）',
  exportThis: 'この接続を HAR に書き出す',
  exportSelectedN: '選択した {n} 件の接続を HAR に書き出す',
  filterEndpoint: 'このエンドポイントで絞り込む',
  showInTimeline: 'タイムラインで表示',
  copied: 'コピーしました',
  copyFailed: 'コピーできませんでした',
  msgMenu: 'メッセージの操作',
  msgCopy: 'メッセージをコピー',
  msgCopyJson: 'JSON としてコピー（整形）',
  msgSaveBinary: 'バイト列をファイルに保存',
  msgNotJson: 'このメッセージは JSON ではありません',
  msgNotBinary: '保存できるバイト列があるのはバイナリメッセージだけです',
  msgNotCaptured: 'ペイロードは記録されていません',
  selectedCount: '{n} 件選択',
  back: '接続一覧',
  backTitle: '接続一覧に戻る (Escape)',
  filterShort: '絞り込み',
  more: 'その他',
};

const catalogues: Record<UiLang, Record<MenuKey, string>> = { en: menuEn, ja: menuJa };

export function mui(lang: UiLang, key: MenuKey, params?: Record<string, string | number>): string {
  return fillText(lang, key, catalogues[lang][key], params);
}

export function menuCatalogue(lang: UiLang): Record<MenuKey, string> {
  return catalogues[lang];
}
