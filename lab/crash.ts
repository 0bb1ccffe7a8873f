import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const childFile = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
// Resolved to an absolute URL so the child finds tsx no matter the cwd it inherits.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

// Bound on how long a child may wait for its first client, so a scenario that never
// connects cannot leave a process behind for the lifetime of the lab.
const UNCLAIMED_CHILD_MS = 60_000;

export interface CrashOptions {
  /** Messages the child sends each client (crash-child.ts), `intervalMs` apart. */
  messages?: number;
  intervalMs?: number;
  /** Count afterMs from the child's last message instead of from its first client. */
  fromLastMessage?: boolean;
}

export interface CrashSupervisor {
  /** Starts a fresh child server; it is SIGKILLed afterMs after its first client connects (or its last message). */
  spawn(afterMs: number, opts?: CrashOptions): Promise<{ port: number; pid: number }>;
  closeAll(): Promise<void>;
}

export function createCrashSupervisor(): CrashSupervisor {
  const live = new Set<ChildProcess>();

  const kill = (child: ChildProcess): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  return {
    spawn(afterMs, opts = {}) {
      const child = spawn(process.execPath, ['--import', tsxLoader, childFile], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, CRASH_MESSAGES: String(opts.messages ?? 1), CRASH_INTERVAL_MS: String(opts.intervalMs ?? 200) },
      });
      live.add(child);
      const timers: NodeJS.Timeout[] = [setTimeout(() => kill(child), UNCLAIMED_CHILD_MS)];
      child.once('exit', () => {
        live.delete(child);
        for (const t of timers) clearTimeout(t);
      });

      return new Promise((resolve, reject) => {
        let killScheduled = false;
        let killTimer: NodeJS.Timeout | undefined;
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => {
          let msg: { port?: unknown; event?: unknown };
          try {
            msg = JSON.parse(line) as typeof msg;
          } catch {
            return; // stray output from a dependency is not part of the protocol
          }
          if (typeof msg.port === 'number' && child.pid !== undefined) {
            resolve({ port: msg.port, pid: child.pid });
          } else if (msg.event === 'connection' && !killScheduled && !opts.fromLastMessage) {
            killScheduled = true;
            timers.push(setTimeout(() => kill(child), afterMs));
          } else if (msg.event === 'sent' && opts.fromLastMessage) {
            // Each message moves the kill: it comes afterMs after the last one.
            if (killTimer) killTimer.refresh();
            else timers.push((killTimer = setTimeout(() => kill(child), afterMs)));
          }
        });
        child.once('error', reject);
        child.once('exit', (code, signal) =>
          reject(new Error(`crash child exited before listening (code ${code}, signal ${signal})`)),
        );
      });
    },

    async closeAll() {
      await Promise.all(
        [...live].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              kill(child);
            }),
        ),
      );
    },
  };
}
