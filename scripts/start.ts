// `npm start`: build, start the lab, and open Chromium with the extension and DevTools on the
// lab page, our panel selected. Without a display (a server, CI, a container) it runs the same
// browser headless, saves a screenshot of the panel, prints how to load the extension by hand,
// and keeps the lab running until Ctrl-C.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startLab } from '../lab/server.ts';
import { artifactPath, EXTENSION_DIR, launchWithExtension } from '../e2e/support/browser.ts';
import { DevTools } from '../e2e/support/devtools.ts';

const port = Number(process.env.LAB_PORT ?? 8787);
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && process.env.SA_HEADLESS !== '1';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const lab = await startLab({ port });
const demo = `${lab.url}/?run=all`;
console.log(`\nLab running at ${lab.url}  (idle-cutting proxy on 127.0.0.1:${lab.idleProxyPort}, cuts after ${lab.idleMs} ms)`);
// The demo runs nginx-idle too: its socket stays open in the panel until the proxy cuts it.
console.log(
  lab.config.idleProxy === 'nginx'
    ? `nginx-idle: real nginx, default timeouts, on 127.0.0.1:${lab.config.nginxIdlePort} (the demo's quiet socket is cut at 60 s)`
    : `nginx-idle: no nginx (${lab.config.idleProxyFallback}), so the lab's Node idle proxy cuts at 60 s instead`,
);
console.log(`Extension built at ${EXTENSION_DIR}`);

let closeBrowser: (() => Promise<void>) | undefined;
try {
  const browser = await launchWithExtension({ devtools: true, headless: !headed });
  closeBrowser = browser.close;
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // DevTools first, then the demo: Chrome tells why a handshake failed (the 403, the DNS error)
  // only to DevTools' own network log, which records while DevTools is open (docs/network.md).
  await page.goto(lab.url);
  const devtools = await DevTools.forPage(browser.context, page);
  if (!headed) await devtools.dock('undocked'); // the screenshot then shows the panel full size
  await devtools.showPanel();
  await devtools.panel();
  await page.goto(demo);
  if (headed) {
    console.log(`\nChromium is open on ${demo} with DevTools on the Socket Autopsy panel.`);
    browser.context.on('close', () => void shutdown());
  } else {
    await new Promise((r) => setTimeout(r, 4000)); // let the slower scenarios (idle cut, crash) end
    const shot = artifactPath('start-panel.png');
    writeFileSync(shot, await devtools.screenshot());
    console.log(`\nNo display here, so Chromium ran headless. A screenshot of the panel on the demo page: ${shot}`);
    await browser.close();
    closeBrowser = undefined;
  }
} catch (err) {
  console.error(`\nCould not start Chromium: ${(err as Error).message}`);
}

console.log(`
To use it in your own Chrome or Chromium:
  1. open chrome://extensions, switch on "Developer mode"
  2. "Load unpacked" → ${EXTENSION_DIR}
  3. open ${demo}, open DevTools (F12) and pick the "Socket Autopsy" panel
Press Ctrl-C to stop the lab.`);

async function shutdown(): Promise<void> {
  await closeBrowser?.().catch(() => undefined);
  await lab.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
