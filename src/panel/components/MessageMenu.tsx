// What a message row's context menu offers: copy its text (hex for binary), copy it as pretty
// JSON when it parses, save a binary message's bytes to a file.
import { fromBase64 } from '../../core/wire/payload.ts';
import type { MessageRecord } from '../../core/session/session.ts';
import { copyText } from '../clipboard.ts';
import { hexPreview } from '../format.ts';
import { download } from '../har-io.ts';
import type { UiLang } from '../i18n.ts';
import { mui } from '../i18n-menu.ts';
import type { MenuItem } from './ContextMenu.tsx';

/** The message as pretty JSON, or undefined when it is binary, not captured or not JSON. */
export function prettyJson(m: Pick<MessageRecord, 'bin' | 'data'>): string | undefined {
  if (m.bin || m.data === undefined) return undefined;
  try {
    return JSON.stringify(JSON.parse(m.data), null, 2);
  } catch {
    return undefined;
  }
}

function saveBytes(bytes: Uint8Array, name: string): void {
  download(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }), name);
}

export function messageMenuItems(m: MessageRecord, connId: string, lang: UiLang): MenuItem[] {
  const data = m.data;
  const json = prettyJson(m);
  const none = data === undefined ? mui(lang, 'msgNotCaptured') : undefined;
  return [
    { id: 'msg-copy', label: mui(lang, 'msgCopy'), off: none, run: () => data !== undefined && void copyText(m.bin ? hexPreview(data, fromBase64, Infinity) : data) },
    { id: 'msg-copy-json', label: mui(lang, 'msgCopyJson'), off: json === undefined ? mui(lang, 'msgNotJson') : undefined, run: () => json !== undefined && void copyText(json) },
    {
      id: 'msg-save-binary',
      label: mui(lang, 'msgSaveBinary'),
      off: !m.bin || data === undefined ? mui(lang, 'msgNotBinary') : undefined,
      run: () => data !== undefined && saveBytes(fromBase64(data), `ws-${connId}-${m.dir}-${m.n}.bin`),
    },
  ];
}
