// `socket-autopsy view`: the real command as a child process (node bin/socket-autopsy.mjs),
// serving the web build of the viewer (dist/viewer, npm run build:viewer) and a HAR; a plain
// Chromium without the extension opens the address it prints, lists the file's connections
// and explains one. Then the server is stopped as Ctrl+C would and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importHar } from '../src/core/har/har.ts';
import { artifactPath, launchWithExtension } from './support/browser.ts';
import { expect, test } from './support/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE = 'test/fixtures/session.har';

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
}

test('view serves the web viewer: Chromium lists the connections of the HAR and explains one', async () => {
  const imported = importHar(readFileSync(resolve(ROOT, FIXTURE), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  const conns = imported.session.connections;
  const failing = conns.findIndex((c) => c.close?.code === 1011);
  expect(failing, 'the fixture has a 1011 to explain').toBeGreaterThanOrEqual(0);

  // No display in the environment: the command must not try to start a browser of its own.
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
  const child = spawn(process.execPath, ['bin/socket-autopsy.mjs', 'view', FIXTURE, '--no-open'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const browser = await launchWithExtension({ extension: false });
  try {
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no address printed in 30 s; stdout: ${stdout}; stderr: ${stderr}`)), 30_000);
      const look = () => {
        const m = /Socket Autopsy viewer: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      };
      child.stdout!.on('data', look);
      look(); // it may have been printed while the browser started
      child.once('exit', (code) => fail(new Error(`view exited with ${code} before printing an address: ${stderr}`)));
    });

    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // A Content-Security-Policy violation or a failed asset is a console error.
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(url);

    const rows = page.locator('[data-testid="connection-row"]');
    await expect(rows).toHaveCount(conns.length);
    await expect(page.locator('[data-testid="file-banner"]')).toContainText('session.har');
    const urls = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.url));
    expect(new Set(urls)).toEqual(new Set(conns.map((c) => c.url)));

    await page.locator(`[data-testid="connection-row"][data-code="1011"]`).first().click();
    const explanation = page.locator('[data-testid="explanation"]');
    await expect(explanation).toBeVisible();
    await expect(explanation).toHaveAttribute('data-category', 'server-error');
    await expect(page.locator('[data-testid="explanation-headline"]')).not.toBeEmpty();
    await page.screenshot({ path: artifactPath('viewer-cli.png') });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
  // Stopped as Ctrl+C stops it: a normal end, status 0, and the port is closed.
  expect(await exited(child)).toBe(0);
  expect(stderr).toBe('');
});
