import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SIO_PING_INTERVAL_MS, SIO_PING_TIMEOUT_MS } from './socketio.ts';

const childFile = fileURLToPath(new URL('./sio-child.ts', import.meta.url));
// Absolute, so the child finds tsx whatever cwd it inherits (as lab/crash.ts does).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

// A child nobody connects to, or one that stays frozen, is killed after this at the latest:
// a stopped process must never outlive the scenario that stopped it.
const UNCLAIMED_CHILD_MS = 60_000;

export interface FreezeOptions {
  /** The child is stopped (SIGSTOP) right after acknowledging this many chat events. */
  freezeAfter?: number;
  /** How long it stays stopped before SIGCONT + SIGKILL. */
  frozenMs?: number;
}

export interface FrozenChild {
  port: number;
  pid: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  freezeAfter: number;
  frozenMs: number;
}

export interface FreezeSupervisor {
  spawn(opts?: FreezeOptions): Promise<FrozenChild>;
  closeAll(): Promise<void>;
}

const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** SIGCONT first: a stopped process does die of SIGKILL, but nothing should stay stopped on the way. */
function kill(child: ChildProcess): void {
  if (!alive(child)) return;
  child.kill('SIGCONT');
  child.kill('SIGKILL');
}

export function createFreezeSupervisor(): FreezeSupervisor {
  const live = new Set<ChildProcess>();
  return {
    spawn(opts = {}) {
      const freezeAfter = Math.max(1, Math.min(opts.freezeAfter ?? 2, 100));
      const frozenMs = Math.max(0, Math.min(opts.frozenMs ?? 8000, UNCLAIMED_CHILD_MS / 2));
      const child = spawn(process.execPath, ['--import', tsxLoader, childFile], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, SIO_PING_INTERVAL_MS: String(SIO_PING_INTERVAL_MS), SIO_PING_TIMEOUT_MS: String(SIO_PING_TIMEOUT_MS) },
      });
      live.add(child);
      const timers: NodeJS.Timeout[] = [setTimeout(() => kill(child), UNCLAIMED_CHILD_MS)];
      child.once('exit', () => {
        live.delete(child);
        for (const t of timers) clearTimeout(t);
      });
      return new Promise((resolve, reject) => {
        let frozen = false;
        createInterface({ input: child.stdout! }).on('line', (line) => {
          let msg: { port?: unknown; event?: unknown; n?: unknown };
          try {
            msg = JSON.parse(line) as typeof msg;
          } catch {
            return; // stray output from a dependency is not part of the protocol
          }
          if (typeof msg.port === 'number' && child.pid !== undefined) {
            resolve({
              port: msg.port,
              pid: child.pid,
              pingIntervalMs: SIO_PING_INTERVAL_MS,
              pingTimeoutMs: SIO_PING_TIMEOUT_MS,
              freezeAfter,
              frozenMs,
            });
          } else if (msg.event === 'chat' && msg.n === freezeAfter && !frozen && alive(child)) {
            frozen = true;
            child.kill('SIGSTOP');
            timers.push(setTimeout(() => kill(child), frozenMs));
          }
        });
        child.once('error', reject);
        child.once('exit', (code, signal) => reject(new Error(`socket.io child exited before listening (code ${code}, signal ${signal})`)));
      });
    },
    async closeAll() {
      await Promise.all(
        [...live].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (!alive(child)) return resolve();
              child.once('exit', () => resolve());
              kill(child);
            }),
        ),
      );
    },
  };
}
