// The status bar: how many connections, what was not kept, whether the hub is reachable.
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { Icon } from './Icon.tsx';
import { mui } from '../i18n-menu.ts';

interface Props {
  lang: UiLang;
  /** What the panel says of sockets in workers here (deep.ts unseenHints). */
  note: UiKey;
  count: number;
  /** Rows selected for export and copy (Shift/Ctrl-click, Shift+arrows). */
  selectedCount: number;
  drops: { malformed: number; evicted: number; hook: number };
  /** Network observations not kept; 0 hides it (always, for a file). */
  netDropped: number;
  /** Shown when the live panel lost its hub connection. */
  disconnected: boolean;
}

export function StatusBar({ lang, note, count, selectedCount, drops, netDropped, disconnected }: Props) {
  return (
    <div class="statusbar" data-testid="statusbar">
      <span data-testid="conn-count" data-count={count}>{ui(lang, 'summaryCount', { n: count })}</span>
      {selectedCount > 1 && <span data-testid="selected-count" data-count={selectedCount}>{mui(lang, 'selectedCount', { n: selectedCount })}</span>}
      {drops.malformed > 0 && <span class="warn" data-testid="drops-malformed">{ui(lang, 'dropsMalformed', { n: drops.malformed })}</span>}
      {drops.evicted > 0 && <span class="warn" data-testid="drops-evicted">{ui(lang, 'dropsEvicted', { n: drops.evicted })}</span>}
      {drops.hook > 0 && <span class="warn" data-testid="drops-hook">{ui(lang, 'dropsHook', { n: drops.hook })}</span>}
      {netDropped > 0 && <span class="warn" data-testid="drops-net">{ui(lang, 'dropsNet', { n: netDropped })}</span>}
      {disconnected && <span class="warn" data-testid="disconnected">{ui(lang, 'disconnected')}</span>}
      <span class="tb-grow" />
      <span class="muted" title={ui(lang, note)} data-testid="worker-note" data-note={note}><Icon name="info" /> {ui(lang, note)}</span>
    </div>
  );
}
