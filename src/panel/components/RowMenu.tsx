// What a connection row's context menu offers: copies (URL, the redacted Markdown report, the
// connection as a command line), export, filter, show in the timeline, then the Inject actions
// (the same list as the detail's Inject button).
import { nodeWsCommand, websocatCommand, wscatCommand, type CommandInput } from '../../core/commands/ws-commands.ts';
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import { diagnosisToMarkdown } from '../../core/diagnosis/markdown.ts';
import type { NetView } from '../../core/network/net.ts';
import type { Connection } from '../../core/session/session.ts';
import { copyText } from '../clipboard.ts';
import { ui, type UiLang } from '../i18n.ts';
import { mui } from '../i18n-menu.ts';
import { actionOff, FAULT_ACTIONS } from '../view/faults.ts';
import { FAULT_LABEL } from './FaultMenu.tsx';
import type { FaultUi } from './Faults.tsx';
import type { MenuItem } from './ContextMenu.tsx';

export interface RowActions {
  /** Exports these connections (redacted, as Ctrl+S does). */
  exportIds: (ids: string[]) => void;
  setFilter: (text: string) => void;
  showInTimeline: (id: string) => void;
}

/** The endpoint a filter names: host and path, without the query (which varies per attempt). */
export function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

export function commandInput(conn: Connection, net: NetView | undefined): CommandInput {
  const c: CommandInput = { url: conn.url, protocols: conn.protocols };
  if (net?.requestHeaders) c.headers = net.requestHeaders;
  return c;
}

export function rowMenuItems(
  conn: Connection,
  d: { diagnosis: Diagnosis | undefined; net: NetView | undefined; targets: string[]; lang: UiLang; faults: FaultUi },
  act: RowActions,
): MenuItem[] {
  const { diagnosis, net, targets, lang, faults } = d;
  const copy = (text: string) => void copyText(text);
  const cmd = commandInput(conn, net);
  const items: MenuItem[] = [
    { id: 'row-copy-url', label: mui(lang, 'copyUrl'), run: () => copy(conn.url) },
    {
      id: 'row-copy-markdown',
      label: mui(lang, 'copyMarkdown'),
      off: diagnosis ? undefined : mui(lang, 'noDiagnosis'),
      run: () => diagnosis && copy(diagnosisToMarkdown(conn, diagnosis, lang, { redact: true })),
    },
    { id: 'row-copy-wscat', label: mui(lang, 'copyWscat'), title: mui(lang, 'commandTitle'), run: () => copy(wscatCommand(cmd)) },
    { id: 'row-copy-websocat', label: mui(lang, 'copyWebsocat'), title: mui(lang, 'commandTitle'), run: () => copy(websocatCommand(cmd)) },
    { id: 'row-copy-node', label: mui(lang, 'copyNode'), title: mui(lang, 'commandTitle'), run: () => copy(nodeWsCommand(cmd)) },
    {
      id: 'row-export-har',
      label: targets.length > 1 ? mui(lang, 'exportSelectedN', { n: targets.length }) : mui(lang, 'exportThis'),
      sep: true,
      run: () => act.exportIds(targets),
    },
    { id: 'row-filter-endpoint', label: mui(lang, 'filterEndpoint'), run: () => act.setFilter(endpointOf(conn.url)) },
    { id: 'row-show-timeline', label: mui(lang, 'showInTimeline'), run: () => act.showInTimeline(conn.id) },
  ];
  FAULT_ACTIONS.forEach((a, i) => {
    const off = actionOff(a, conn, faults.place);
    items.push({ id: `inject-${a}`, label: ui(lang, FAULT_LABEL[a]), sep: i === 0, off: off && ui(lang, off.key, off.params), run: () => faults.request(conn, a) });
  });
  return items;
}
