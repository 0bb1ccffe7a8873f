// The copy-as-command lines: every word reaches the program exactly as built, checked by
// letting a real shell parse the line (bash; dash for the POSIX single-quote form).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../src/core/commands/shell.ts';
import { nodeWsCommand, replayHeaders, websocatCommand, wscatCommand } from '../src/core/commands/ws-commands.ts';

/** The words a shell hands a program for a command line (its first word replaced by printf). */
function parse(shell: string, line: string): string[] {
  const r = spawnSync(shell, ['-c', `set -f; f() { printf '%s\\0' "$@"; }; f ${line.slice(line.indexOf(' ') + 1)}`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

const NASTY = ['plain', 'with space', "it's", 'say "hi"', '$HOME', '`id`', '$(id)', 'a\\b', 'line\nbreak', 'tab\there', 'bell\x07', '*.txt', '', '!x', 'ü 日本'];

describe('shellQuote', () => {
  it('leaves plain words bare and quotes the rest', () => {
    expect(shellQuote('ws://127.0.0.1:8080/ws/echo')).toBe('ws://127.0.0.1:8080/ws/echo');
    expect(shellQuote('with space')).toBe("'with space'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('line\nbreak')).toBe("$'line\\nbreak'");
  });
  it('gives bash every word back unchanged', () => {
    expect(parse('bash', `x ${shellJoin(NASTY)}`)).toEqual(NASTY);
  });
  it('gives a POSIX sh the words without control characters back unchanged', () => {
    const posix = NASTY.filter((w) => !/[\x00-\x1f]/.test(w));
    expect(parse('sh', `x ${shellJoin(posix)}`)).toEqual(posix);
  });
});

const conn = {
  url: 'ws://127.0.0.1:9000/ws/echo?room=a b&t=$x',
  protocols: ['lab.v2', 'chat'],
  headers: [
    { name: 'Host', value: '127.0.0.1:9000' },
    { name: 'Sec-WebSocket-Key', value: 'abc==' },
    { name: 'Sec-WebSocket-Protocol', value: 'lab.v2, chat' },
    { name: 'Origin', value: 'http://127.0.0.1:9000' },
    { name: 'Cookie', value: `sid="x y"; n='$1'` },
    { name: 'X-Odd', value: 'one\ntwo' },
  ],
};

describe('copy as command', () => {
  it('keeps only the headers a client does not write itself', () => {
    expect(replayHeaders(conn.headers).map((h) => h.name)).toEqual(['Origin', 'Cookie', 'X-Odd']);
    expect(replayHeaders([{ name: ':authority', value: 'x' }])).toEqual([]);
  });
  it('wscat: -c URL, -s per subprotocol, -H per header, each word intact', () => {
    const line = wscatCommand(conn);
    expect(line.startsWith('wscat -c ')).toBe(true);
    expect(parse('bash', line)).toEqual(['-c', conn.url, '-s', 'lab.v2', '-s', 'chat', '-H', 'Origin: http://127.0.0.1:9000', '-H', `Cookie: sid="x y"; n='$1'`, '-H', 'X-Odd: one\ntwo']);
    expect(line).not.toContain('\n');
  });
  it('websocat: one --protocol list, -H per header, the URL last', () => {
    const line = websocatCommand(conn);
    expect(parse('bash', line)).toEqual(['--protocol', 'lab.v2, chat', '-H', 'Origin: http://127.0.0.1:9000', '-H', `Cookie: sid="x y"; n='$1'`, '-H', 'X-Odd: one\ntwo', conn.url]);
  });
  it('no subprotocol, no headers: no options', () => {
    expect(wscatCommand({ url: 'ws://h/p', protocols: [] })).toBe('wscat -c ws://h/p');
    expect(websocatCommand({ url: 'ws://h/p', protocols: [] })).toBe('websocat ws://h/p');
  });
  it('node: the script reaches node intact and names the URL, protocols and headers', () => {
    const [flag, js] = parse('bash', nodeWsCommand(conn));
    expect(flag).toBe('-e');
    expect(js).toContain(JSON.stringify(conn.url));
    expect(js).toContain(JSON.stringify(conn.protocols));
    expect(js).toContain(JSON.stringify({ Origin: 'http://127.0.0.1:9000', Cookie: `sid="x y"; n='$1'`, 'X-Odd': 'one\ntwo' }));
    expect(() => new Function('require', 'process', 'console', js!)).not.toThrow();
  });
});
