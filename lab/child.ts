// A lab server that must die for real (SIGKILL, SIGSTOP) runs as its own Node process under tsx.
// It prints one JSON object per line on stdout: `{"port": n}` once it listens, then its events.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

// Absolute, so the child finds tsx whatever cwd it inherits.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

// A child nobody connects to, or one left stopped, is killed after this at the latest: a
// scenario that never connects must not leave a process behind for the lifetime of the lab.
export const UNCLAIMED_CHILD_MS = 60_000;

export const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** SIGCONT first: a stopped process does die of SIGKILL, but nothing should stay stopped on the way. */
export function killChild(child: ChildProcess): void {
  if (!alive(child)) return;
  child.kill('SIGCONT');
  child.kill('SIGKILL');
}

export interface LabChild {
  child: ChildProcess;
  /** Cleared when the child exits. */
  timers: NodeJS.Timeout[];
  /** The port it listens on, once it says so. */
  ready: Promise<{ port: number; pid: number }>;
}

/** Starts `file` and passes each of its JSON lines after the first `{port}` to `onEvent`. */
export function spawnLabChild(
  file: string,
  env: Record<string, string>,
  live: Set<ChildProcess>,
  onEvent: (msg: Record<string, unknown>, c: LabChild) => void,
): LabChild {
  const child = spawn(process.execPath, ['--import', tsxLoader, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  live.add(child);
  const timers: NodeJS.Timeout[] = [setTimeout(() => killChild(child), UNCLAIMED_CHILD_MS)];
  child.once('exit', () => {
    live.delete(child);
    for (const t of timers) clearTimeout(t);
  });
  const c: LabChild = { child, timers, ready: Promise.resolve({ port: 0, pid: 0 }) };
  c.ready = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // stray output from a dependency is not part of the protocol
      }
      if (typeof msg.port === 'number' && child.pid !== undefined) resolve({ port: msg.port, pid: child.pid });
      else onEvent(msg, c);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`${file} exited before listening (code ${code}, signal ${signal})`)),
    );
  });
  return c;
}

/** Kills every child still alive and waits for each to exit. */
export async function closeChildren(live: Set<ChildProcess>): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (!alive(child)) return resolve();
          child.once('exit', () => resolve());
          killChild(child);
        }),
    ),
  );
}
