// npm run test:package: the npm package as a user gets it. Builds lib/, checks and packs the
// tarball, installs it into a fresh project in the OS's temp folder (outside this repository: no
// workspace link, no tsx, no TypeScript sources) with only @playwright/test beside it, at this
// repository's version, type-checks the suite there against the installed declarations, runs it
// in the system's Chromium against the lab, and checks Playwright's JSON report:
//   - "clean sockets pass": passed, nothing attached (attach defaults to on-failure);
//   - "a failing test carries the diagnosis": failed, with sockets.md naming the 1011 and the 1006
//     and explaining them, and sockets.har holding both connections;
//   - "failOn fails a test that passed": failed by failOn server-error, the explanation (headline
//     and evidence of the 1011) as its error message;
//   - "a thousand sockets, and the page closed at once": passed, its HAR with 1,000 connections;
//   - "a test that throws mid-capture keeps its own error": failed with that error alone, and
//     sockets.md lists its socket, still open;
//   - withSocketAutopsy() on a suite's own test: passed, with its options applied.
// It also runs the installed `socket-autopsy` command on the attached HAR with plain Node.
// Needs the network for npm install (CI has it: it runs npm ci). Exit 1 on any failed check.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startLab } from '../lab/server.ts';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();
const step = (s: string): void => console.log(`[package-test +${((Date.now() - started) / 1000).toFixed(1)}s] ${s}`);
const problems: string[] = [];
const check = (ok: boolean, what: string): void => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void => {
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
};

const pwVersion = (JSON.parse(readFileSync(join(root, 'node_modules/@playwright/test/package.json'), 'utf8')) as { version: string }).version;

step('build lib/ and check what the tarball holds');
run(process.execPath, ['scripts/build-lib.mjs'], root);
run(process.execPath, ['scripts/pack-check.mjs'], root);

const dir = mkdtempSync(join(tmpdir(), 'socket-autopsy-package-'));
step(`pack into ${dir}`);
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Array<{ filename: string }>;
const tarball = join(dir, packed[0]!.filename);

const project = join(dir, 'project');
execFileSync('mkdir', ['-p', project]);
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'socket-autopsy-package-test', private: true, type: 'module' }, null, 2));
for (const f of ['playwright.config.ts', 'sockets.spec.ts', 'own-fixtures.spec.ts', 'tsconfig.json', 'env.d.ts']) copyFileSync(join(root, 'scripts/package-test', f), join(project, f));
step(`npm install the tarball and @playwright/test@${pwVersion}`);
try {
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball, `@playwright/test@${pwVersion}`], project, {
    ...process.env,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  });
} catch {
  console.error(`package-test: npm install failed in ${project} (this test needs the npm registry, or a cache holding @playwright/test@${pwVersion})`);
  process.exit(1);
}
check(!existsSync(join(project, 'node_modules/tsx')) && !existsSync(join(project, 'node_modules/typescript')), 'the project has neither tsx nor TypeScript');
check(!existsSync(join(project, 'node_modules/socket-autopsy/src')), 'the installed package has no src/');

step('type-check the suite against the installed declarations');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
check(tsc.status === 0, `tsc in the project: ${tsc.status === 0 ? 'no errors' : tsc.stdout + tsc.stderr}`);

step('start the lab');
const lab = await startLab({ port: 0, nginx: null, openssl: null, log: () => undefined });
const reportFile = join(dir, 'report.json');
let pw: { status: number | null; stdout: string; stderr: string; error?: Error };
try {
  step('run the suite');
  // Asynchronously: the lab runs in this very process and must keep answering meanwhile.
  pw = await new Promise((done) => {
    const child = spawn(process.execPath, [join(project, 'node_modules/@playwright/test/cli.js'), 'test'], {
      cwd: project,
      env: { ...process.env, LAB_URL: lab.url, SA_REPORT_FILE: reportFile, PLAYWRIGHT_BROWSERS_PATH: join(dir, 'no-browsers') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', (error) => done({ status: null, stdout, stderr, error }));
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
} finally {
  await lab.close();
}
check(pw.status === 1, `playwright exits 1 (three tests fail on purpose), got ${pw.status}${pw.error ? ` (${pw.error.message})` : ''}`);

interface Attachment {
  name: string;
  contentType: string;
  path?: string;
  body?: string;
}
interface Result {
  status: string;
  errors: Array<{ message?: string }>;
  attachments: Attachment[];
}
interface Spec {
  title: string;
  tests: Array<{ results: Result[] }>;
}
interface Suite {
  specs?: Spec[];
  suites?: Suite[];
}
const results = new Map<string, Result>();
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { suites: Suite[]; errors?: Array<{ message?: string }> };
  const walk = (s: Suite): void => {
    for (const spec of s.specs ?? []) {
      const r = spec.tests[0]?.results.at(-1);
      if (r) results.set(spec.title, r);
    }
    for (const c of s.suites ?? []) walk(c);
  };
  report.suites.forEach(walk);
  if (report.errors?.length) check(false, `no errors outside tests: ${report.errors.map((e) => e.message).join('; ')}`);
} catch (e) {
  check(false, `the JSON report ${reportFile} is readable: ${e instanceof Error ? e.message : String(e)}\n${pw.stdout}\n${pw.stderr}`);
}
const attachment = (r: Result | undefined, name: string): string | undefined => {
  const a = r?.attachments.find((x) => x.name === name);
  if (!a) return undefined;
  if (a.path) return readFileSync(a.path, 'utf8');
  return a.body === undefined ? undefined : Buffer.from(a.body, 'base64').toString('utf8');
};
const harEntries = (text: string | undefined): Array<{ request: { url: string }; _webSocketClose?: { code?: number } }> => {
  try {
    return text ? (JSON.parse(text) as { log: { entries: [] } }).log.entries : [];
  } catch {
    return [];
  }
};

step('check the report');
const clean = results.get('clean sockets pass');
check(clean?.status === 'passed', `"clean sockets pass" passed (${clean?.status}${clean?.errors.length ? `: ${clean.errors[0]?.message}` : ''})`);
check(clean !== undefined && !clean.attachments.some((a) => a.name.startsWith('sockets.')), '"clean sockets pass" has no attachment (attach: on-failure)');

const failing = results.get('a failing test carries the diagnosis');
check(failing?.status === 'failed', `"a failing test carries the diagnosis" failed (${failing?.status})`);
const md = attachment(failing, 'sockets.md');
check(md !== undefined, 'it carries sockets.md');
check(failing?.attachments.find((a) => a.name === 'sockets.md')?.contentType === 'text/markdown', 'sockets.md is text/markdown');
check(/1011 Internal Error/.test(md ?? '') && /1011 server error/.test(md ?? ''), 'sockets.md names the 1011 (code, name and category)');
check(/1006 Abnormal Closure/.test(md ?? '') && /1006 connection cut/.test(md ?? ''), 'sockets.md names the 1006 (code, name and category)');
check(/\*\*Evidence\*\*/.test(md ?? '') && /\*\*What to do\*\*/.test(md ?? ''), 'sockets.md explains them (evidence, what to do)');
check(/abnormal WebSocket connection/.test(failing?.errors[0]?.message ?? ''), 'its error is the matcher\'s explanation');
const failingHar = attachment(failing, 'sockets.har');
const codes = harEntries(failingHar).map((e) => e._webSocketClose?.code);
check(codes.includes(1011) && codes.includes(1006), `sockets.har holds the 1011 and the 1006 (codes: ${codes.join(', ')})`);
check(failing?.attachments.find((a) => a.name === 'sockets.har')?.contentType === 'application/json', 'sockets.har is application/json');

const byFailOn = results.get('failOn fails a test that passed');
const message = byFailOn?.errors.map((e) => e.message ?? '').join('\n') ?? '';
check(byFailOn?.status === 'failed', `"failOn fails a test that passed" failed (${byFailOn?.status})`);
check(/match(es)? failOn server-error/.test(message), 'its error message says failOn server-error matched');
check(/1011 · ws:\/\/127\.0\.0\.1:\d+\/ws\/close/.test(message), 'and names the connection (code and URL)');
check(/^  Server error: "boom" \(1011\)$/m.test(message) && /^  - .*Close event: 1011 Internal Error/m.test(message), 'with the headline and the evidence');
check(attachment(byFailOn, 'sockets.md') !== undefined, 'and it carries sockets.md');

const many = results.get('a thousand sockets, and the page closed at once');
check(many?.status === 'passed', `"a thousand sockets" passed (${many?.status}${many?.errors.length ? `: ${many.errors[0]?.message}` : ''})`);
const manyHar = attachment(many, 'sockets.har');
const manyEntries = harEntries(manyHar);
check(manyEntries.length === 1000, `its HAR (attach: always) has 1,000 connections (${manyEntries.length})`);
check(manyEntries.every((e) => e._webSocketClose?.code === 1000), 'each closed 1000 by the page');

const own = results.get('own fixtures keep working beside the capture');
check(own?.status === 'passed', `withSocketAutopsy on a suite's own test passed (${own?.status}${own?.errors.length ? `: ${own.errors[0]?.message}` : ''})`);
const ownCodes = harEntries(attachment(own, 'sockets.har')).map((e) => e._webSocketClose?.code);
check(ownCodes.length === 1 && ownCodes[0] === 1000, `its options apply (attach: always; HAR codes: ${ownCodes.join(', ')})`);

const crashed = results.get('a test that throws mid-capture keeps its own error');
check(crashed?.status === 'failed' && crashed.errors.length === 1 && /the app crashed/.test(crashed.errors[0]?.message ?? ''), `a test that throws keeps its own error alone (${crashed?.errors.map((e) => e.message?.split('\n')[0]).join(' | ')})`);
check(/1 WebSocket connection: 1× live/.test(attachment(crashed, 'sockets.md') ?? ''), 'and its sockets.md lists the socket still open');

step('the installed package\'s main entry and CLI, with plain Node, on the failing test\'s HAR');
const main = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('socket-autopsy'); console.log(['exportHar', 'importHar', 'diagnoseAll', 'parseFailOn'].every((k) => typeof m[k] === 'function'))"], { cwd: project, encoding: 'utf8' });
check(main.stdout.trim() === 'true', `import('socket-autopsy') gives exportHar, importHar, diagnoseAll, parseFailOn${main.stderr ? ` (${main.stderr.trim().split('\n')[0]})` : ''}`);
if (failingHar) {
  const harPath = join(dir, 'failing.har');
  writeFileSync(harPath, failingHar);
  const cli = spawnSync(process.execPath, [join(project, 'node_modules/.bin/socket-autopsy'), 'report', harPath, '--fail-on', 'server-error'], { cwd: project, encoding: 'utf8' });
  check(cli.status === 1 && /1011/.test(cli.stdout), `socket-autopsy report --fail-on server-error exits 1 and names the 1011 (exit ${cli.status}${cli.stderr ? `, ${cli.stderr.trim()}` : ''})`);
  // `view` from the package: it must find the viewer the tarball carries and serve it and the file.
  const view = spawn(process.execPath, [join(project, 'node_modules/.bin/socket-autopsy'), 'view', harPath, '--no-open'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`no URL within 10 s: ${out}`)), 10_000);
      view.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      view.on('exit', (code) => fail(new Error(`view exited ${code}: ${out}`)));
    });
    const page = await fetch(url);
    const html = await page.text();
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    const js = script ? await fetch(new URL(script, url)) : undefined;
    check(page.ok && js?.ok === true, `socket-autopsy view serves the packaged viewer (${url}: page ${page.status}, script ${script ?? 'none'} ${js?.status ?? ''})`);
  } catch (e) {
    check(false, `socket-autopsy view from the package: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    view.kill('SIGTERM');
  }
} else check(false, 'the failing test has a sockets.har');

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (problems.length) {
  console.error(`package-test: ${problems.length} check(s) failed in ${secs}s; the project is kept at ${project}`);
  if (pw.stdout) console.error(pw.stdout.slice(-4000));
  if (pw.stderr) console.error(pw.stderr.slice(-4000));
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`package-test: all checks passed in ${secs}s`);
