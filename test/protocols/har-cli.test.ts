// The application protocol leaves the machine with a report: our HAR names each message's frames
// and the connection's protocol (Chrome's importer ignores both), and the CLI's report names the
// protocol's own goodbye and the heartbeat it missed — also through a HAR written and read back.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/report.ts';
import { diagnoseAll } from '../../src/core/diagnosis/diagnose.ts';
import { exportHar } from '../../src/core/har/har.ts';
import { analyse, Recorder } from '../helpers/events.ts';

const SIO = 'wss://api.example/socket.io/?EIO=4&transport=websocket';

function session() {
  const r = new Recorder();
  r.create(1, 0, SIO).open(1, 50).receiveData(1, 60, '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
  r.sendData(1, 70, '40').receiveData(1, 80, '40{"sid":"x"}').receiveData(1, 25_060, '2').sendData(1, 25_061, '3');
  r.closeCall(1, 70_061).close(1, 70_070, 1005, '', true);
  r.create(2, 100, 'wss://mq.example/ws', { protocols: ['v12.stomp'] }).open(2, 150, 'v12.stomp');
  r.sendData(2, 160, 'CONNECT\naccept-version:1.2\nhost:mq\n\n\0').receiveData(2, 170, 'CONNECTED\nversion:1.2\n\n\0');
  r.receiveData(2, 1_000, 'ERROR\nmessage:Access denied\n\nno\0').close(2, 1_010, 1006);
  return analyse(r, 80_000);
}

describe('protocols in exports', () => {
  it('our HAR names the frames and the protocol', () => {
    const a = session();
    const har = exportHar({ connections: a.conns, context: a.state.context, diagnoses: diagnoseAll(a.ctx) }, { creatorVersion: '0.1.0', lang: 'en', redact: true });
    const [sio, stomp] = har.log.entries;
    expect(sio!._protocol).toMatchObject({ name: 'Socket.IO', certainty: 'certain', undecodable: 0 });
    expect(sio!._webSocketMessages.map((m) => m._frame)).toEqual(['open', 'CONNECT', 'CONNECT', 'ping', 'pong']);
    expect(stomp!._protocol?.name).toBe('STOMP');
    expect(stomp!._diagnosis?.headline).toContain('Access denied');
  });

  it('the CLI report names the protocol, its goodbye and the missed heartbeat, from a HAR', () => {
    const a = session();
    const har = exportHar({ connections: a.conns, context: a.state.context, diagnoses: diagnoseAll(a.ctx) }, { creatorVersion: '0.1.0', lang: 'en', redact: true });
    const dir = mkdtempSync(join(tmpdir(), 'sa-proto-'));
    const file = join(dir, 'p.har');
    writeFileSync(file, JSON.stringify(har));
    let out = '';
    const code = main(['report', file], { stdout: (s) => (out += s), stderr: () => undefined });
    expect(code).toBe(0);
    expect(out).toContain('Protocol: Socket.IO');
    expect(out).toMatch(/heartbeat was due at [^\n]* and never came: 1 missed/);
    expect(out).toContain('25 s + 20 s = 45 s');
    expect(out).toContain('Protocol: STOMP');
    expect(out).toContain('"Access denied"');
    let json = '';
    main(['report', file, '--json'], { stdout: (s) => (json += s), stderr: () => undefined });
    const rows = (JSON.parse(json) as { connections: Array<{ protocol?: { name: string; notes: string[] }; outcome: string }> }).connections;
    expect(rows[0]!.protocol?.name).toBe('Socket.IO');
    expect(rows[0]!.outcome).toBe('heartbeat-lost');
  });
});
