import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeChildren, killChild, spawnLabChild } from './child.ts';

const childFile = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

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
  return {
    async spawn(afterMs, opts = {}) {
      let killScheduled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const env = { CRASH_MESSAGES: String(opts.messages ?? 1), CRASH_INTERVAL_MS: String(opts.intervalMs ?? 200) };
      const c = spawnLabChild(childFile, env, live, (msg, { child, timers }) => {
        if (msg.event === 'connection' && !killScheduled && !opts.fromLastMessage) {
          killScheduled = true;
          timers.push(setTimeout(() => killChild(child), afterMs));
        } else if (msg.event === 'sent' && opts.fromLastMessage) {
          // Each message moves the kill: it comes afterMs after the last one.
          if (killTimer) killTimer.refresh();
          else timers.push((killTimer = setTimeout(() => killChild(child), afterMs)));
        }
      });
      return c.ready;
    },
    closeAll: () => closeChildren(live),
  };
}
