import { startLab } from './server.ts';

const port = Number(process.env.LAB_PORT ?? 8787);
const lab = await startLab({ port: Number.isInteger(port) ? port : 8787 });

console.log(`Socket Autopsy lab: ${lab.url}/`);
console.log(`  idle proxy: ws://127.0.0.1:${lab.idleProxyPort}/ws/idle (cuts after ${lab.idleMs} ms of silence)`);
console.log(`  run scenarios while the page parses: ${lab.url}/?run=all`);
console.log(`  handshake failures: ${lab.url}/?run=handshake (502 via ${lab.config.proxy})`);
if (!('skipped' in lab.config.tls)) {
  // mixed-content needs a browser that resolves the page's name and accepts its certificate.
  console.log(`  mixed-content: start Chromium with ${lab.config.tls.chromiumArgs.map((a) => `'${a}'`).join(' ')}`);
}

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing the lab`);
  lab.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
