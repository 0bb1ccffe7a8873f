// One recorded sequence per diagnosis category (and the important variants), as the hook
// would record them. diagnose.test.ts asserts on them one by one; i18n.test.ts runs them
// all to check that every text a diagnosis can show exists in both languages.
import type { DiagnosisCategory } from '../../src/core/diagnosis/diagnose.ts';
import { analyse, Recorder, type Analysed } from './events.ts';

export interface Scenario {
  name: string;
  category: DiagnosisCategory;
  run(): { a: Analysed; sid: number };
}

const S = 1000;
const CHROME_STACK = [
  'Error',
  '    at WebSocket.close (chrome-extension://abcdefghijklmnop/src/page-hook.iife.js:1:2345)',
  '    at ChatClient.disconnect (https://app.example/assets/chat.js:120:14)',
  '    at onLogout (https://app.example/assets/app.js:33:5)',
].join('\n');

/** Opens socket 1 at 50 ms, receives a frame at 1 s, then lets `tail` add the ending. */
const opened = (tail: (r: Recorder) => Recorder, url?: string, protocol = ''): Recorder =>
  tail(new Recorder().create(1, 0, url).open(1, 50, protocol).message(1, 1 * S, 40));

const one = (r: Recorder, nowT: number) => () => ({ a: analyse(r, nowT), sid: 1 });

export const SCENARIOS: Scenario[] = [
  {
    name: 'injected: dropped from the panel, the app reconnects after 1 s',
    category: 'injected',
    run: one(
      opened((r) => r.inject(5 * S, 'drop', { sid: 1 }).injectedClose(1, 5 * S + 2, 1006).create(2, 6 * S).open(2, 6 * S + 50)),
      400 * S,
    ),
  },
  {
    name: 'handshake failed (1006, never opened)',
    category: 'handshake-failed',
    run: one(new Recorder().create(1, 100).error(1, 180).close(1, 180, 1006), 200 * S),
  },
  {
    name: 'nginx/ALB idle cut: 60.4 s of silence',
    category: 'idle-timeout',
    run: one(opened((r) => r.send(1, 2 * S, 30).close(1, 2 * S + 60_400, 1006)), 400 * S),
  },
  {
    name: 'Cloudflare idle cut: 100.8 s of silence',
    category: 'idle-timeout',
    run: one(opened((r) => r.close(1, 1 * S + 100_800, 1006)), 400 * S),
  },
  {
    name: 'Google Cloud LB lifetime cut: chatty socket ends 30.2 s after open',
    category: 'idle-timeout',
    run: one(
      opened((r) => {
        for (let t = 5 * S; t < 30 * S; t += 5 * S) r.message(1, t, 10).send(1, t + 100, 10);
        return r.close(1, 50 + 30_200, 1006);
      }),
      400 * S,
    ),
  },
  {
    name: 'lab idle proxy: 3 s of silence, unknown intermediary',
    category: 'abnormal',
    run: one(opened((r) => r.close(1, 4 * S, 1006)), 400 * S),
  },
  {
    name: 'long silence matching nothing known (45 s)',
    category: 'abnormal',
    run: one(opened((r) => r.close(1, 46 * S, 1006)), 400 * S),
  },
  {
    name: 'abnormal: cut 0.5 s after traffic',
    category: 'abnormal',
    run: one(opened((r) => r.close(1, 1500, 1006)), 400 * S),
  },
  {
    name: 'abnormal: server down, the reconnect could not connect',
    category: 'abnormal',
    run: one(opened((r) => r.close(1, 6 * S, 1006).failedAttempt(2, 7 * S)), 400 * S),
  },
  {
    name: 'offline before the close',
    category: 'offline',
    run: one(opened((r) => r.page(20 * S, 'offline').close(1, 21 * S, 1006)), 400 * S),
  },
  {
    name: 'suspended: tab hidden, still hidden at the close',
    category: 'suspended',
    run: one(opened((r) => r.page(5 * S, 'hidden').close(1, 45 * S, 1006)), 400 * S),
  },
  {
    name: 'suspended: frozen, close reported on resume',
    category: 'suspended',
    run: one(opened((r) => r.page(5 * S, 'hidden').page(6 * S, 'freeze').page(300 * S, 'resume').close(1, 300 * S + 20, 1006)), 400 * S),
  },
  {
    name: 'large send then cut (1006)',
    category: 'message-too-big',
    run: one(opened((r) => r.send(1, 2 * S, 200 * 1024).close(1, 2 * S + 300, 1006), 'wss://abc123.execute-api.us-east-1.amazonaws.com/prod'), 400 * S),
  },
  {
    name: 'message too big (1009)',
    category: 'message-too-big',
    run: one(opened((r) => r.send(1, 2 * S, 150_000, true).close(1, 2 * S + 40, 1009, 'Max payload size exceeded')), 400 * S),
  },
  {
    name: 'navigated away with the socket open',
    category: 'navigated',
    run: one(opened((r) => r.page(10 * S, 'pagehide')), 400 * S),
  },
  {
    name: 'server error 1011 with a reason',
    category: 'server-error',
    run: one(opened((r) => r.send(1, 10 * S, 64).close(1, 10 * S + 7, 1011, 'boom')), 400 * S),
  },
  {
    name: 'server error 1011 without a reason',
    category: 'server-error',
    run: one(opened((r) => r.close(1, 10 * S, 1011)), 400 * S),
  },
  {
    name: 'closed by the page (close(1000, "bye"))',
    category: 'closed-by-page',
    run: one(opened((r) => r.closeCall(1, 10 * S, { code: 1000, reason: 'bye', stack: CHROME_STACK }).close(1, 10 * S + 5, 1000, 'bye')), 400 * S),
  },
  {
    name: 'closed by the page while connecting',
    category: 'closed-by-page',
    run: one(new Recorder().create(1, 0).closeCall(1, 2, { rs: 0, stack: CHROME_STACK }).close(1, 3, 1006), 400 * S),
  },
  {
    name: 'closed by the page, close handshake never completed (1006)',
    category: 'closed-by-page',
    run: one(opened((r) => r.closeCall(1, 10 * S, { code: 1000 }).close(1, 40 * S, 1006)), 400 * S),
  },
  {
    name: 'Phoenix heartbeat timeout',
    category: 'heartbeat-lost',
    run: one(
      opened(
        (r) => r.closeCall(1, 61 * S, { code: 1000, reason: 'heartbeat timeout' }).close(1, 61 * S + 3, 1000, 'heartbeat timeout'),
        'wss://app.example/socket/websocket?token=x&vsn=2.0.0',
      ),
      400 * S,
    ),
  },
  {
    name: 'closed by the server (1000)',
    category: 'closed-by-server',
    run: one(opened((r) => r.close(1, 10 * S, 1000, 'session ended')), 400 * S),
  },
  {
    name: 'going away (1001)',
    category: 'going-away',
    run: one(opened((r) => r.close(1, 10 * S, 1001)), 400 * S),
  },
  {
    name: 'no status (1005), Socket.IO',
    category: 'no-status',
    run: one(opened((r) => r.close(1, 10 * S, 1005), 'wss://app.example/socket.io/?EIO=4&transport=websocket'), 400 * S),
  },
  { name: 'protocol error (1002)', category: 'protocol-error', run: one(opened((r) => r.close(1, 10 * S, 1002)), 400 * S) },
  { name: 'mandatory extension (1010)', category: 'protocol-error', run: one(opened((r) => r.close(1, 10 * S, 1010)), 400 * S) },
  { name: 'unsupported data (1003)', category: 'unsupported-data', run: one(opened((r) => r.close(1, 10 * S, 1003)), 400 * S) },
  { name: 'invalid payload (1007)', category: 'invalid-payload', run: one(opened((r) => r.close(1, 10 * S, 1007)), 400 * S) },
  { name: 'policy (1008)', category: 'policy', run: one(opened((r) => r.close(1, 10 * S, 1008, 'token expired')), 400 * S) },
  { name: 'service restart (1012)', category: 'retry-later', run: one(opened((r) => r.close(1, 10 * S, 1012)), 400 * S) },
  { name: 'try again later (1013)', category: 'retry-later', run: one(opened((r) => r.close(1, 10 * S, 1013)), 400 * S) },
  { name: 'bad gateway (1014)', category: 'retry-later', run: one(opened((r) => r.close(1, 10 * S, 1014)), 400 * S) },
  {
    name: 'graphql-ws 4401',
    category: 'app-code',
    run: one(opened((r) => r.close(1, 10 * S, 4401, 'Unauthorized'), undefined, 'graphql-transport-ws'), 400 * S),
  },
  {
    name: 'Discord 4004',
    category: 'app-code',
    run: one(opened((r) => r.close(1, 10 * S, 4004, 'Authentication failed.'), 'wss://gateway.discord.gg/?v=10&encoding=json'), 400 * S),
  },
  { name: 'IANA 3000', category: 'app-code', run: one(opened((r) => r.close(1, 10 * S, 3000)), 400 * S) },
  { name: 'private 4321', category: 'app-code', run: one(opened((r) => r.close(1, 10 * S, 4321, 'kicked')), 400 * S) },
  { name: 'unknown 2500', category: 'unknown-code', run: one(opened((r) => r.close(1, 10 * S, 2500)), 400 * S) },
  { name: 'reserved 1004', category: 'unknown-code', run: one(opened((r) => r.close(1, 10 * S, 1004)), 400 * S) },
  {
    name: 'create failed',
    category: 'create-failed',
    run: one(new Recorder().create(1, 0, 'wss://app.example/#frag', { threw: "SyntaxError: The URL contains a fragment identifier ('frag')." }), 400 * S),
  },
  { name: 'live, open', category: 'live', run: one(opened((r) => r), 30 * S) },
  { name: 'live, stuck connecting', category: 'live', run: one(new Recorder().create(1, 0), 30 * S) },
  { name: 'live, closing', category: 'live', run: one(opened((r) => r.closeCall(1, 10 * S, { code: 1000 })), 11 * S) },
];

/** A reconnect chain: socket 1 is cut at 1 s, then attempts fail after 5 ms each, `delays` apart. */
export function chainRecorder(delays: readonly number[], opts: { url?: string; failAfter?: number } = {}): { r: Recorder; end: number } {
  const r = new Recorder().create(1, 0, opts.url).open(1, 20).message(1, 500).close(1, 1 * S, 1006);
  let end = 1 * S;
  delays.forEach((d, i) => {
    const t = end + d;
    r.failedAttempt(i + 2, t, opts.url, opts.failAfter ?? 5);
    end = t + (opts.failAfter ?? 5);
  });
  return { r, end };
}
