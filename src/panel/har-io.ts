// Saving the session as a .har file and reading one back, for the panel and the standalone
// viewer. The format itself lives in src/core/har*.ts; this is only the browser side (Blob,
// download link, File).
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { exportHar, importHar, type ExportInput, type ImportResult } from '../core/har/har.ts';
import type { Lang } from '../core/knowledge/i18n/text.ts';

/** Files above this are refused with a clear error rather than freezing the panel. */
export const IMPORT_MAX_BYTES = 256 * 1024 * 1024;

export interface ExportChoice {
  selected?: string[];
  redact: boolean;
  /** Bytes kept per message; undefined keeps what was captured (up to 16 KiB). */
  payloadCap?: number;
}

export function harFileName(pageUrl: string | undefined, now = new Date()): string {
  let host = 'session';
  try {
    if (pageUrl) host = new URL(pageUrl).host.replace(/[^A-Za-z0-9.-]+/g, '_') || host;
  } catch {
    // keep the default
  }
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  return `socket-autopsy-${host}-${stamp}.har`;
}

export function buildHarText(input: ExportInput, choice: ExportChoice, lang: Lang): string {
  const opts: Parameters<typeof exportHar>[1] = { redact: choice.redact, creatorVersion: __SA_VERSION__, lang };
  if (choice.selected) opts.selected = choice.selected;
  if (choice.payloadCap !== undefined) opts.payloadCap = choice.payloadCap;
  return JSON.stringify(exportHar(input, opts), null, 1);
}

/** Hands a text to the browser as a download (works in DevTools panels and extension tabs). */
export function download(text: string | Blob, fileName: string): void {
  const url = URL.createObjectURL(typeof text === 'string' ? new Blob([text], { type: 'application/json' }) : text);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function readHarFile(file: File): Promise<ImportResult> {
  // Checked before reading: a 2 GB file must not be pulled into memory to be refused.
  if (file.size > IMPORT_MAX_BYTES) return { ok: false, error: `file too large: ${file.size} bytes (limit ${IMPORT_MAX_BYTES} bytes)` };
  const text = await file.text();
  return importHar(text, { maxBytes: IMPORT_MAX_BYTES });
}

/**
 * The file named by the standalone web viewer's `?har=` (relative to the page: what
 * `socket-autopsy view` serves, or any URL the page's server allows), fetched as a File so it
 * goes through the same checks as one that is picked or dropped.
 */
export async function fetchHarFile(href: string, base = location.href): Promise<File> {
  const url = new URL(href, base);
  const name = decodeURIComponent(url.pathname.split('/').pop() || 'session.har');
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText} for ${url.pathname}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > IMPORT_MAX_BYTES) throw new Error(`file too large: ${declared} bytes (limit ${IMPORT_MAX_BYTES} bytes)`);
  return new File([await res.blob()], name, { type: 'application/json' });
}

export type { Diagnosis };
