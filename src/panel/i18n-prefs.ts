// Texts of the panel's layout preferences (column picker, resize handles) and of the filter
// language, in English and Japanese. Merged into the catalogue by i18n.ts.

export const prefsEn = {
  filterHelp:
    'Words match the URL, close code, reason and outcome. Keys: code:1006, outcome:server-error, host:example.com (or *.example.com), proto:wss. -term excludes, /regex/ matches a pattern, "quoted words" stay together. All terms must match.',
  filterInvalid: 'Invalid regular expression, ignored: {pattern}',
  columnsMenu: 'Columns',
  columnAlwaysShown: 'always shown',
  prefsHiddenColumns: '{n} columns hidden',
  resizeColumn: 'Resize the {name} column',
  resizeSplit: 'Resize the list and the details',
  resizeTimeline: 'Resize the timeline',
} as const;

export const prefsJa: Record<keyof typeof prefsEn, string> = {
  filterHelp:
    '単語は URL・クローズコード・理由・結果に一致します。キー: code:1006、outcome:server-error、host:example.com（*.example.com も可）、proto:wss。-語 で除外、/正規表現/ でパターン一致、"引用符" で語をまとめます。すべての条件に一致する接続を表示します。',
  filterInvalid: '不正な正規表現のため無視しました: {pattern}',
  columnsMenu: '表示する列',
  columnAlwaysShown: '常に表示',
  prefsHiddenColumns: '{n} 列を非表示',
  resizeColumn: '{name} 列の幅を変更',
  resizeSplit: '一覧と詳細の幅を変更',
  resizeTimeline: 'タイムラインの高さを変更',
};
