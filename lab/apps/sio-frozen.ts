import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { alive, closeChildren, killChild, spawnLabChild, UNCLAIMED_CHILD_MS } from '../child.ts';
import { SIO_PING_INTERVAL_MS, SIO_PING_TIMEOUT_MS } from './socketio.ts';

const childFile = fileURLToPath(new URL('./sio-child.ts', import.meta.url));

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

export function createFreezeSupervisor(): FreezeSupervisor {
  const live = new Set<ChildProcess>();
  return {
    async spawn(opts = {}) {
      const freezeAfter = Math.max(1, Math.min(opts.freezeAfter ?? 2, 100));
      const frozenMs = Math.max(0, Math.min(opts.frozenMs ?? 8000, UNCLAIMED_CHILD_MS / 2));
      let frozen = false;
      const env = { SIO_PING_INTERVAL_MS: String(SIO_PING_INTERVAL_MS), SIO_PING_TIMEOUT_MS: String(SIO_PING_TIMEOUT_MS) };
      const c = spawnLabChild(childFile, env, live, (msg, { child, timers }) => {
        if (msg.event === 'chat' && msg.n === freezeAfter && !frozen && alive(child)) {
          frozen = true;
          child.kill('SIGSTOP');
          timers.push(setTimeout(() => killChild(child), frozenMs));
        }
      });
      const { port, pid } = await c.ready;
      return { port, pid, pingIntervalMs: SIO_PING_INTERVAL_MS, pingTimeoutMs: SIO_PING_TIMEOUT_MS, freezeAfter, frozenMs };
    },
    closeAll: () => closeChildren(live),
  };
}
