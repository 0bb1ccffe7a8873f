// The notices under the toolbar: a failed import, the open file, missing network access.
import { useState } from 'preact/hooks';
import { ui, type UiLang } from '../i18n.ts';
import type { OpenFile } from '../view/file.ts';

interface Props {
  lang: UiLang;
  live: boolean;
  importError: string | undefined;
  onDismissError: () => void;
  file: OpenFile | undefined;
  /** Connections in the open file. */
  fileCount: number;
  onBackToLive: () => void;
  /** Whether the browser gives network details (host permission granted). */
  netAccess: boolean;
  /** Asks for the permission; resolves undefined when this page cannot ask. */
  requestNetAccess: (() => Promise<boolean | undefined>) | undefined;
}

export function Notices({ lang, live, importError, onDismissError, file, fileCount, onBackToLive, netAccess, requestNetAccess }: Props) {
  // Once the panel found it cannot ask itself, the banner says where to grant instead.
  const [grantNote, setGrantNote] = useState(false);
  return (
    <>
      {importError && (
        <div class="notice error" role="alert" data-testid="import-error">
          {importError}
          <button class="tb-btn" aria-label="×" onClick={onDismissError}>×</button>
        </div>
      )}
      {file && (
        <div class="notice file" data-testid="file-banner" data-source={file.source}>
          {ui(lang, 'fileBanner', { name: file.name, n: fileCount })}
          {file.source === 'chrome' && <span> · {ui(lang, 'fileFromChrome')}</span>}
          {file.warnings.length > 0 && <span class="muted" data-testid="file-warnings" title={file.warnings.join('\n')}> · ⚠ {file.warnings.length}</span>}
          {live && (
            <button class="tb-btn" data-testid="back-to-live" onClick={onBackToLive}>
              {ui(lang, 'backToLive')}
            </button>
          )}
        </div>
      )}
      {live && !file && !netAccess && (
        <div class="notice" role="status" data-testid="net-access-banner">
          {ui(lang, 'netAccessMissing')}{' '}
          {grantNote ? (
            <span data-testid="net-access-here">{ui(lang, 'netAccessGrantHere')}</span>
          ) : (
            <button
              class="tb-btn"
              data-testid="net-access-grant"
              onClick={() => void requestNetAccess?.().then((r) => r === undefined && setGrantNote(true))}
            >
              {ui(lang, 'netAccessGrant')}
            </button>
          )}
        </div>
      )}
    </>
  );
}
