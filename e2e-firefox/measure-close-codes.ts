// Prints what real Firefox reports (code, wasClean, opened, error) for every lab scenario, with
// our add-on installed. The numbers in docs/firefox.md come from this:
//   npm run build:firefox && npx tsx e2e-firefox/measure-close-codes.ts
import { startLab } from '../lab/server.ts';
import { firefoxPath, labResults, launchFirefox } from './support.ts';

const lab = await startLab({ idleMs: 2500 });
const ff = await launchFirefox();
try {
  const version = await ff.browser.version();
  const page = await ff.browser.newPage();
  await page.goto(`${lab.url}/?run=all`);
  const names = await page.evaluate(() => (window as unknown as { __lab: { names: string[] } }).__lab.names);
  // The reconnect scenarios are manual (not in run=all): run them too.
  await page.evaluate(() => {
    const lab = (window as unknown as { __lab: { run(n: string): Promise<unknown> } }).__lab;
    void lab.run('reconnect-backoff');
    void lab.run('reconnect-storm');
  });
  const results = await labResults(page, names, 60_000);
  console.log(`${version} (${firefoxPath()})`);
  console.log('scenario            code  wasClean  opened  error  reason');
  for (const n of names) {
    const r = results[n]!;
    console.log(
      `${n.padEnd(19)} ${String(r.failed ? 'fail' : r.code).padEnd(5)} ${String(r.wasClean).padEnd(9)} ${String(r.opened).padEnd(7)} ${String(r.error).padEnd(6)} ${r.failed ?? JSON.stringify(r.reason)}`,
    );
  }
} finally {
  await ff.close();
  await lab.close();
}
