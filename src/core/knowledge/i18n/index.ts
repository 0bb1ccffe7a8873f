// One import for the panel: the language type, the text type and how to render it.
export { LANGS, localize, isText, tx, fmtDuration, fmtBytes, fmtClock, fmtIso, type Lang, type Text } from './text.ts';
