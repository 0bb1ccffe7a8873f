// What the application protocol adds to a diagnosis: its own goodbye as the real reason, a client
// that gave up on an overdue heartbeat, beats kept to the cut, and nothing at all for a page whose
// frames merely look like a protocol.
import { describe, expect, it } from 'vitest';

import { diagnose } from '../../src/core/diagnosis/diagnose.ts';
import { protocolOf, decodedOf, heartbeatOf } from '../../src/core/protocols/index.ts';
import { analyse, Recorder, T0 } from '../helpers/events.ts';

const SIO = 'wss://api.example/socket.io/?EIO=4&transport=websocket';
const open0 = (interval: number, timeout: number) => `0{"sid":"abc","upgrades":[],"pingInterval":${interval},"pingTimeout":${timeout},"maxPayload":1000000}`;

function diag(r: Recorder, now: number) {
  const a = analyse(r, now);
  const c = a.conn(1);
  return { d: diagnose(c, a.ctx), c };
}

const en = (d: ReturnType<typeof diagnose>) => ({
  headline: d.headline.en,
  evidence: d.evidence.map((e) => e.text.en).join('\n'),
  causes: d.causes.map((x) => x.en).join('\n'),
});

describe('Socket.IO heartbeat', () => {
  it('explains a frozen server as a ping timeout with the intervals the server announced', () => {
    const r = new Recorder().create(1, 0, SIO).open(1, 50).receiveData(1, 60, open0(25_000, 20_000)).sendData(1, 70, '40').receiveData(1, 80, '40{"sid":"x"}');
    r.receiveData(1, 25_060, '2').sendData(1, 25_061, '3').receiveData(1, 50_060, '2').sendData(1, 50_061, '3');
    // engine.io-client closes the socket pingInterval + pingTimeout after the last ping.
    r.closeCall(1, 95_061).close(1, 95_070, 1005, '', true);
    const { d, c } = diag(r, 100_000);
    expect(protocolOf(c).detection).toMatchObject({ protocol: 'socket.io', certainty: 'certain' });
    const t = en(d);
    expect(d.category).toBe('heartbeat-lost');
    expect(t.headline).toContain('Socket.IO heartbeat due at');
    expect(t.headline).toContain('after 45 s');
    expect(t.evidence).toContain('25 s + 20 s = 45 s');
    expect(t.evidence).toContain('announced');
    expect(t.evidence).toMatch(/never came: 1 missed, 45 s of silence/);
    expect(d.competitors?.length).toBeGreaterThan(0);
  });

  it('says the server was alive when its pings kept their rhythm up to a cut', () => {
    const r = new Recorder().create(1, 0, SIO).open(1, 50).receiveData(1, 60, open0(25_000, 20_000)).sendData(1, 70, '40');
    for (let k = 1; k <= 4; k++) r.receiveData(1, 60 + k * 25_000, '2').sendData(1, 61 + k * 25_000, '3');
    r.close(1, 100_060 + 10_000, 1006);
    const { d } = diag(r, 120_000);
    const t = en(d);
    expect(t.evidence).toContain('kept its rhythm up to the end (4 seen)');
    expect(t.causes.split('\n')[0]).toContain('not from a dead server');
  });

  it('tells a server disconnect by its packet', () => {
    const r = new Recorder().create(1, 0, SIO).open(1, 50).receiveData(1, 60, open0(25_000, 20_000)).sendData(1, 70, '40').receiveData(1, 80, '40{"sid":"x"}');
    r.receiveData(1, 1_000, '42["chat","hi"]').receiveData(1, 2_000, '41').closeCall(1, 2_001).close(1, 2_010, 1005, '', true);
    const { d } = diag(r, 3_000);
    expect(d.category).toBe('closed-by-server');
    expect(d.headline.en).toContain('io server disconnect');
    expect(d.confidence).toBe('certain');
  });

  it('a server goodbye followed by more news from the server is not the end', () => {
    const r = new Recorder().create(1, 0, SIO).open(1, 50).receiveData(1, 60, open0(25_000, 20_000)).sendData(1, 70, '40').sendData(1, 75, '40/admin,');
    r.receiveData(1, 1_000, '41/admin,').receiveData(1, 2_000, '42["chat","still here"]').close(1, 3_000, 1006);
    const { d } = diag(r, 4_000);
    expect(d.category).not.toBe('closed-by-server');
    expect(d.headline.en).not.toContain('io server disconnect');
  });
});

describe('app-level closes in the server\'s words', () => {
  it('STOMP ERROR with its message header', () => {
    const r = new Recorder().create(1, 0, 'wss://mq.example/ws', { protocols: ['v12.stomp', 'v11.stomp'] }).open(1, 50, 'v12.stomp');
    r.sendData(1, 60, 'CONNECT\naccept-version:1.2,1.1\nhost:mq\nheart-beat:10000,10000\n\n\0');
    r.receiveData(1, 70, 'CONNECTED\nversion:1.2\nheart-beat:0,10000\n\n\0');
    r.sendData(1, 1_000, 'SEND\ndestination:/queue/forbidden\n\nhello\0');
    r.receiveData(1, 1_010, 'ERROR\nmessage:Access denied\ncontent-type:text/plain\n\nYou may not send to /queue/forbidden\0');
    r.close(1, 1_020, 1006);
    const { d } = diag(r, 2_000);
    const t = en(d);
    expect(d.category).toBe('policy');
    expect(t.headline).toContain('STOMP');
    expect(t.headline).toContain('"Access denied"');
    expect(t.evidence).toContain('You may not send to /queue/forbidden');
  });

  it('SockJS close frame with its code and reason', () => {
    const r = new Recorder().create(1, 0, 'wss://app.example/echo/123/abcdefgh/websocket').open(1, 50);
    r.receiveData(1, 60, 'o').receiveData(1, 500, 'a["hello"]').receiveData(1, 900, 'c[3000,"Go away!"]').close(1, 910, 1000, 'Normal closure');
    const { d } = diag(r, 2_000);
    expect(d.category).toBe('closed-by-server');
    expect(d.headline.en).toContain('"Go away!"');
  });

  it('Action Cable disconnect: the reason and whether the server allows a reconnect', () => {
    const r = new Recorder().create(1, 0, 'wss://app.example/cable', { protocols: ['actioncable-v1-json', 'actioncable-unsupported'] }).open(1, 50, 'actioncable-v1-json');
    r.receiveData(1, 60, '{"type":"welcome"}').receiveData(1, 3_060, '{"type":"ping","message":1700000003}');
    r.receiveData(1, 4_000, '{"type":"disconnect","reason":"unauthorized","reconnect":false}').closeCall(1, 4_001).close(1, 4_010, 1000);
    const { d } = diag(r, 5_000);
    const t = en(d);
    expect(d.category).toBe('policy');
    expect(t.headline).toContain('"unauthorized"');
    expect(t.evidence).toContain('asks the client not to reconnect');
  });
});

describe('what a protocol does not claim', () => {
  it('a JSON chat whose frames start with 42 is not explained as Socket.IO', () => {
    const r = new Recorder().create(1, 0, 'wss://chat.example/ws').open(1, 50);
    r.receiveData(1, 60, '42["hello"]').sendData(1, 70, '41').receiveData(1, 80, '41').receiveData(1, 90, '40').close(1, 1_000, 1006);
    const { d, c } = diag(r, 2_000);
    const det = protocolOf(c).detection;
    expect(det?.certainty ?? 'none').not.toBe('certain');
    expect(en(d).headline).not.toContain('Socket.IO');
    expect(en(d).evidence).not.toContain('Socket.IO');
  });

  it('a default heartbeat never seen is not a missed one (a server may beat with WebSocket pings the page never sees)', () => {
    const r = new Recorder().create(1, 0, 'wss://app.example/echo/123/abcdefgh/websocket').open(1, 50);
    r.receiveData(1, 60, 'o').receiveData(1, 500, 'a["hello"]').close(1, 120_000, 1006);
    const { c } = diag(r, 130_000);
    const hb = heartbeatOf(c, T0 + 130_000);
    expect(hb?.terms.source).toBe('default');
    expect(hb?.overdue).toBeUndefined();
  });

  it('MQTT: a page whose own keep-alive stopped is told the server gave up on a silent client', () => {
    // CONNECT, protocol MQTT level 4, keep-alive 10 s, client id "c".
    const connect = Buffer.from([0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 10, 0, 1, 0x63]).toString('base64');
    const connack = Buffer.from([0x20, 2, 0, 0]).toString('base64');
    const pingreq = Buffer.from([0xc0, 0]).toString('base64');
    const pingresp = Buffer.from([0xd0, 0]).toString('base64');
    const r = new Recorder().create(1, 0, 'wss://broker.example/mqtt', { protocols: ['mqtt'] }).open(1, 50, 'mqtt');
    r.sendData(1, 60, connect, true).receiveData(1, 70, connack, true);
    r.sendData(1, 10_060, pingreq, true).receiveData(1, 10_070, pingresp, true);
    // No ping after that for 60 s: the page's timers stopped; the broker cut after 1.5 × keep-alive.
    r.close(1, 70_000, 1006);
    const { d, c } = diag(r, 80_000);
    expect(heartbeatOf(c, T0 + 80_000)?.overdue?.dir).toBe('out');
    const t = en(d);
    expect(t.evidence).toContain("The page's own heartbeat was due at");
    expect(t.causes.split('\n')[0]).toContain('the server gave up on a silent client');
  });
});

describe('pairing', () => {
  it('graphql-ws: a subscribe and its answers are paired by id with their latency', () => {
    const r = new Recorder().create(1, 0, 'wss://api.example/graphql', { protocols: ['graphql-transport-ws'] }).open(1, 50, 'graphql-transport-ws');
    r.sendData(1, 60, '{"type":"connection_init"}').receiveData(1, 80, '{"type":"connection_ack"}');
    r.sendData(1, 100, '{"id":"1","type":"subscribe","payload":{"query":"subscription { tick }"}}');
    r.receiveData(1, 130, '{"id":"1","type":"next","payload":{"data":{"tick":1}}}').receiveData(1, 180, '{"id":"1","type":"complete"}');
    const a = analyse(r, 1_000);
    const c = a.conn(1);
    protocolOf(c);
    const last = c.messages.map((m) => decodedOf(c, m));
    const next = last[3] as { latencyMs: Array<number | undefined> };
    const done = last[4] as { latencyMs: Array<number | undefined> };
    expect(next.latencyMs[0]).toBe(30);
    expect(done.latencyMs[0]).toBe(80);
  });
});

describe('injected messages', () => {
  it('an injected "ping" as if from the server is no server heartbeat', () => {
    const r = new Recorder().create(1, 0, SIO).open(1, 50).receiveData(1, 60, open0(25_000, 20_000)).sendData(1, 70, '40');
    r.receiveData(1, 25_060, '2').sendData(1, 25_061, '3');
    // From the panel, at 60 s: it reaches the page, not from the server.
    r.events.push({ seq: 10_000, ev: { k: 'message', sid: 1, t: 60_000, n: 2, bin: false, size: 1, data: '2', inj: true } });
    r.closeCall(1, 70_061).close(1, 70_070, 1005, '', true);
    const { c } = diag(r, 80_000);
    const hb = heartbeatOf(c, T0 + 80_000);
    expect(hb?.inbound?.count).toBe(1);
    expect(hb?.overdue?.lastAt).toBe(T0 + 25_060);
  });
});
