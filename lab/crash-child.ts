/**
 * A throwaway WebSocket server that lives in its own process so the lab can kill it with
 * SIGKILL: only a real process death gives the browser the exact symptom of a crashed
 * backend (the kernel closes the TCP connection, no close frame is ever sent).
 *
 * Protocol with the parent, one JSON object per stdout line:
 *   {"port": N}          once listening
 *   {"event":"connection"} for every client
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
  ws.send(JSON.stringify({ hello: 'crash-child', pid: process.pid }));
});

// The parent keeps our stdin open; when it goes away (even by being killed itself) stdin
// ends, and we follow instead of lingering as an orphan holding a port.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
