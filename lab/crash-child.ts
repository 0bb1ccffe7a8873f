/**
 * A throwaway WebSocket server that lives in its own process so the lab can kill it with
 * SIGKILL: only a real process death gives the browser the exact symptom of a crashed
 * backend (the kernel closes the TCP connection, no close frame is ever sent).
 *
 * Protocol with the parent, one JSON object per stdout line:
 *   {"port": N}          once listening
 *   {"event":"connection"} for every client
 *   {"event":"sent"}       after every message it sends (the parent may time the kill from the last)
 *
 * CRASH_MESSAGES (default 1) messages per client, CRASH_INTERVAL_MS (default 200) apart: a
 * backend that talked for a while, then died.
 */
import { WebSocketServer } from 'ws';

const say = (msg: object): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });

wss.on('listening', () => {
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('crash child: no TCP address');
  say({ port: address.port });
});

wss.on('connection', (ws) => {
  ws.on('error', () => {
    // A client vanishing is expected here; an unhandled 'error' would crash us early,
    // before the parent's SIGKILL, and make the scenario lie about its cause.
  });
  say({ event: 'connection' });
  const total = Math.max(1, Number(process.env.CRASH_MESSAGES) || 1);
  const interval = Math.max(0, Number(process.env.CRASH_INTERVAL_MS) || 200);
  let n = 0;
  const next = (): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(n === 0 ? { hello: 'crash-child', pid: process.pid } : { n }));
    say({ event: 'sent' });
    if (++n < total) setTimeout(next, interval);
  };
  next();
});

// The parent keeps our stdin open; when it goes away (even by being killed itself) stdin
// ends, and we follow instead of lingering as an orphan holding a port.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
