// Export HAR through the panel's own UI: downloads from the DevTools window go to a folder we
// choose, and the file is read once it is complete JSON.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until, type DevTools, type PanelPage } from './devtools.ts';

export interface Exported {
  /** The folder the browser downloaded into (other files can be written there too). */
  dir: string;
  /** The exported file's full path. */
  path: string;
  text: string;
}

export async function exportHarFromPanel(devtools: DevTools, panel: PanelPage): Promise<Exported> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-downloads-'));
  await devtools.browser.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
  await panel.click('[data-testid="export"]');
  await panel.click('[data-testid="export-save"]');
  const file = await until('the exported file', async () => readdirSync(dir).find((f) => f.endsWith('.har')));
  const path = join(dir, file);
  const text = await until('the file to be complete', async () => {
    try {
      const t = readFileSync(path, 'utf8');
      JSON.parse(t);
      return t;
    } catch {
      return undefined;
    }
  });
  return { dir, path, text };
}
