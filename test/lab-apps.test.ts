import { readFileSync } from 'node:fs';
import { Client as StompClient, type IFrame } from '@stomp/stompjs';
import { createClient } from 'graphql-ws';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppEndpoint } from '../lab/apps/common.ts';
import { startLab, type Lab } from '../lab/server.ts';

// The application-protocol servers of lab/apps/, each spoken to with its real Node client.

function endpoint(lab: Lab, name: keyof Exclude<Lab['config']['apps'], { skipped: string }>): { port: number; path: string } {
  const apps = lab.config.apps;
  if ('skipped' in apps && typeof apps.skipped === 'string') throw new Error(apps.skipped);
  const e = (apps as Record<string, AppEndpoint>)[name]!;
  if ('skipped' in e) throw new Error(e.skipped);
  return e;
}

/** The state letter of /proc/<pid>/stat: T when stopped. */
function procState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
}

async function processGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('lab application-protocol servers', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ idleMs: 300, nginx: null, openssl: null, log: () => {} });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('publishes every server in /api/config and serves the client bundles', async () => {
    const config = (await (await fetch(`${lab.url}/api/config`)).json()) as { apps: Record<string, unknown> };
    expect(Object.keys(config.apps).sort()).toEqual(['actioncable', 'graphql', 'mqtt', 'socketio', 'sockjs', 'stomp']);
    for (const e of Object.values(config.apps)) expect(e).toMatchObject({ port: expect.any(Number) });
    for (const f of ['socket.io.min.js', 'stomp.umd.min.js', 'sockjs.min.js', 'actioncable.js', 'graphql-ws.min.js', 'mqtt.min.js']) {
      const res = await fetch(`${lab.url}/vendor/${f}`);
      expect(res.status, f).toBe(200);
      expect(res.headers.get('content-type')).toContain('javascript');
    }
    expect((await fetch(`${lab.url}/vendor/package.json`)).status).toBe(404);
  });

  it('socket.io: acks events, and kicks the socket with disconnect(true)', async () => {
    const { port } = endpoint(lab, 'socketio');
    const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, auth: { scenario: 'kicked' } });
    const reason = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    const acks: unknown[] = [];
    for (let i = 1; i <= 3; i++) acks.push(await socket.emitWithAck('chat', `m${i}`));
    expect(acks[2]).toMatchObject({ ok: true, n: 3 });
    expect(await reason).toBe('io server disconnect');
  });

  it('socket.io frozen child: stops answering, the client times out on pings, killed at close', async () => {
    const child = (await (await fetch(`${lab.url}/api/socketio-frozen?frozen=20000`, { method: 'POST' })).json()) as { port: number; pid: number };
    const socket = io(`http://127.0.0.1:${child.port}`, { transports: ['websocket'], reconnection: false });
    const reason = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    await socket.emitWithAck('chat', 'one');
    await socket.emitWithAck('chat', 'two');
    const t0 = Date.now();
    expect(await reason).toBe('ping timeout');
    // At most pingInterval + pingTimeout after the last PING, which came before the freeze.
    expect(Date.now() - t0).toBeLessThan(3500);
    expect(procState(child.pid)).toBe('T');
    await lab.close();
    expect(await processGone(child.pid)).toBe(true);
    lab = await startLab({ idleMs: 300, nginx: null, openssl: null, log: () => {} });
  });

  it('stomp: CONNECT with heart-beats, then ERROR "Access denied" on a forbidden SEND and a close', async () => {
    const { port, path } = endpoint(lab, 'stomp');
    const ended = await new Promise<{ error: IFrame; code: number; connectedHeartbeat?: string }>((resolve) => {
      let error: IFrame | undefined;
      let connectedHeartbeat: string | undefined;
      const client = new StompClient({
        webSocketFactory: () => new WebSocket(`ws://127.0.0.1:${port}${path}`, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
        heartbeatIncoming: 1000,
        heartbeatOutgoing: 1000,
        reconnectDelay: 0,
        onConnect: (frame) => {
          connectedHeartbeat = frame.headers['heart-beat'];
          client.publish({ destination: '/queue/forbidden', body: 'let me in' });
        },
        onStompError: (frame) => (error = frame),
        onWebSocketClose: (evt: { code: number }) => {
          void client.deactivate();
          resolve({ error: error!, code: evt.code, ...(connectedHeartbeat ? { connectedHeartbeat } : {}) });
        },
      });
      client.activate();
    });
    expect(ended.connectedHeartbeat).toBe('0,1000');
    expect(ended.error.headers.message).toBe('Access denied');
    expect(ended.error.body).toContain('/queue/forbidden');
  });

  it('sockjs: open, messages, heartbeats as WebSocket pings, then the close frame c[3000,"Go away!"]', async () => {
    const { port, path } = endpoint(lab, 'sockjs');
    // The SockJS session URL of its WebSocket transport: /<prefix>/<server>/<session>/websocket.
    const frames: string[] = [];
    let pings = 0;
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${path}/000/labtest1/websocket`);
      ws.on('message', (d) => frames.push(String(d)));
      ws.on('ping', () => pings++);
      ws.on('close', () => resolve());
    });
    expect(frames[0]).toBe('o');
    expect(frames).toContain('a["{\\"n\\":1}"]');
    expect(pings).toBeGreaterThan(0);
    expect(frames.at(-1)).toBe('c[3000,"Go away!"]');
  });

  it('actioncable: welcome, confirm, message, ping, then disconnect unauthorized without reconnect', async () => {
    const { port, path } = endpoint(lab, 'actioncable');
    const messages: Array<Record<string, unknown>> = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, ['actioncable-v1-json', 'actioncable-unsupported']);
    ws.on('open', () => ws.send(JSON.stringify({ command: 'subscribe', identifier: '{"channel":"ChatChannel"}' })));
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
    const code = await new Promise<number>((resolve) => ws.on('close', resolve));
    expect(ws.protocol).toBe('actioncable-v1-json');
    expect(messages[0]).toEqual({ type: 'welcome' });
    expect(messages).toContainEqual({ identifier: '{"channel":"ChatChannel"}', type: 'confirm_subscription' });
    expect(messages.some((m) => m.type === 'ping' && typeof m.message === 'number')).toBe(true);
    expect(messages.at(-1)).toEqual({ type: 'disconnect', reason: 'unauthorized', reconnect: false });
    expect(code).toBe(1000);
  }, 10_000);

  it('graphql-ws: 4403 Forbidden without a token; with one, a subscription runs to completion', async () => {
    const { port, path } = endpoint(lab, 'graphql');
    const url = `ws://127.0.0.1:${port}${path}`;
    const run = (token: string | undefined) =>
      new Promise<{ values: unknown[]; closed?: { code: number; reason: string }; error?: unknown }>((resolve) => {
        const out: { values: unknown[]; closed?: { code: number; reason: string }; error?: unknown } = { values: [] };
        const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: token ? { token } : {} });
        client.on('closed', (e) => {
          out.closed = { code: (e as { code: number }).code, reason: String((e as { reason: unknown }).reason) };
          resolve(out);
        });
        client.subscribe(
          { query: 'subscription { countdown(from: 2) }' },
          {
            next: (v) => out.values.push(v.data),
            error: (e) => (out.error = e),
            complete: () => void client.dispose(),
          },
        );
      });
    const refused = await run(undefined);
    expect(refused.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    const ok = await run('lab-token');
    expect(ok.values).toEqual([{ countdown: 2 }, { countdown: 1 }, { countdown: 0 }]);
    expect(ok.closed?.code).toBe(1000);
  });

  it('mqtt: a bad password gets CONNACK 5; a good one subscribes, publishes and receives', async () => {
    const { port, path } = endpoint(lab, 'mqtt');
    const url = `ws://127.0.0.1:${port}${path}`;
    const refused = await mqtt.connectAsync(url, { username: 'lab', password: 'wrong', keepalive: 1, reconnectPeriod: 0 }).then(
      () => null,
      (err: { code?: number }) => err.code,
    );
    expect(refused).toBe(5);
    const client = await mqtt.connectAsync(url, { username: 'lab', password: 'right', keepalive: 1, reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => client.on('message', (_t, payload) => resolve(payload.toString())));
    await client.subscribeAsync('lab/news');
    await client.publishAsync('lab/news', 'hello');
    expect(await got).toBe('hello');
    await client.endAsync();
  });
});
