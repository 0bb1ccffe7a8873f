// The .har file being viewed instead of the live session (which goes on underneath), and the
// error of the last import that failed. Plain functions over a plain value: the panel awaits
// the file's reading and hands the result here.
import type { HarSource, ImportedSession, ImportResult } from '../../core/har/har.ts';
import { ui, type UiLang } from '../i18n.ts';

export interface OpenFile {
  name: string;
  imported: ImportedSession;
  warnings: string[];
  source: HarSource;
}

export interface FileState {
  /** Undefined: the live session is shown. */
  file: OpenFile | undefined;
  /** Why the last import failed, until dismissed or the next import starts. */
  error: string | undefined;
}

export const LIVE: FileState = { file: undefined, error: undefined };

/** A new import starts: the previous error goes, whatever is shown stays until it succeeds. */
export const importStarted = (s: FileState): FileState => (s.error === undefined ? s : { ...s, error: undefined });

/**
 * The result of reading a file. A file that cannot be read leaves what is shown untouched
 * (nothing was replaced yet) and says why; one that can replaces it.
 */
export function importFinished(s: FileState, name: string, r: ImportResult, lang: UiLang): FileState {
  if (!r.ok) return { ...s, error: ui(lang, 'importError', { name, error: r.error }) };
  return { file: { name, imported: r.session, warnings: r.warnings, source: r.source }, error: undefined };
}

/** Reading the file threw (the browser could not read it): said like a refused file. */
export function importThrew(s: FileState, name: string, err: unknown, lang: UiLang): FileState {
  return { ...s, error: ui(lang, 'importError', { name, error: String((err as Error)?.message ?? err) }) };
}

/** Back to the live session (the banner's button, or Clear while a file is open). */
export const backToLive = (s: FileState): FileState => (s.file === undefined ? s : { ...s, file: undefined });

export const dismissError = (s: FileState): FileState => (s.error === undefined ? s : { ...s, error: undefined });
