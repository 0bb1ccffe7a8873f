// The page hook's hand-written check of fault commands (page-hook/command.ts) against the schema
// it mirrors (FaultCommandSchema), and its base64 decoder. builtins.ts saves browser interfaces
// when it loads; Node lacks some, so the test gives stand-ins (as hook-buffer.test.ts does).
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaultCommandSchema } from '../src/core/faults/commands.ts';

type Cmd = typeof import('../src/page-hook/command.ts');
type Apply = typeof import('../src/page-hook/apply.ts');
let cmd: Cmd;
let app: Apply;

beforeAll(async () => {
  const g = globalThis as Record<string, unknown>;
  const withGetters = (names: string[]) => {
    const C = class {};
    for (const n of names) Object.defineProperty(C.prototype, n, { get: () => undefined, configurable: true });
    return C;
  };
  g.__SA_CHANNEL__ = 'sa-000000000000';
  g.MessageEvent ??= withGetters(['data', 'origin', 'lastEventId']);
  g.CloseEvent ??= withGetters(['code', 'reason', 'wasClean']);
  g.Document ??= withGetters(['hidden']);
  g.PageTransitionEvent ??= withGetters(['persisted']);
  g.window ??= Object.assign(new EventTarget(), { document: {} });
  cmd = await import('../src/page-hook/command.ts');
  app = await import('../src/page-hook/apply.ts');
});

const samples: unknown[] = [
  { op: 'drop', sid: 0 },
  { op: 'drop', sid: -1 },
  { op: 'drop', sid: 1.5 },
  { op: 'drop' },
  { op: 'close', sid: 3, code: 1000, reason: 'bye' },
  { op: 'close', sid: 3, code: '1000', reason: 'bye' },
  { op: 'silence', sid: 1, ms: 500, mode: 'hold' },
  { op: 'silence', sid: 1, ms: 0, mode: 'hold' },
  { op: 'silence', sid: 1, ms: 500, mode: 'other' },
  { op: 'delay', sid: 1, ms: 0 },
  { op: 'delay', sid: 1, ms: 600_001 },
  { op: 'drop-next', sid: 1, n: 3 },
  { op: 'drop-next', sid: 1, n: 0 },
  { op: 'block-sends', sid: 1, pattern: 'x', regex: false },
  { op: 'block-sends', sid: 1, pattern: 'x' },
  { op: 'fail-next', url: 'ws://a/b', n: 2, as: 'before-open' },
  { op: 'fail-next', url: 'ws://a/b', n: 101, as: 'before-open' },
  { op: 'fail-next', url: 'ws://a/b', n: 0, as: 'after-open', code: 4000, reason: 'r' },
  { op: 'fail-next', url: 'ws://a/b', n: 0, as: 'after-open', code: '4000' },
  { op: 'send', sid: 1, dir: 'in', data: 'hi', bin: false },
  { op: 'send', sid: 1, dir: 'up', data: 'hi', bin: false },
  { op: 'clear' },
  { op: 'clear', sid: 4 },
  { op: 'clear', sid: 'x' },
  { op: 'explode', sid: 1 },
  null,
  'drop',
];

describe('checkCommand', () => {
  it('accepts exactly what FaultCommandSchema accepts, as the same command', () => {
    for (const s of samples) {
      const schema = v.safeParse(FaultCommandSchema, s);
      const mine = cmd.checkCommand(s);
      if (schema.success) expect(mine, JSON.stringify(s)).toEqual(schema.output);
      else expect(typeof mine, JSON.stringify(s)).toBe('string');
    }
  });

  it('reads own members only: a getter on Object.prototype adds nothing', () => {
    Object.defineProperty(Object.prototype, 'code', { get: () => 4000, configurable: true });
    try {
      expect(cmd.checkCommand({ op: 'fail-next', url: 'ws://a/b', n: 1, as: 'after-open' })).toEqual({ op: 'fail-next', url: 'ws://a/b', n: 1, as: 'after-open' });
    } finally {
      delete (Object.prototype as Record<string, unknown>).code;
    }
  });
});

describe('decodeBase64', () => {
  it('decodes what Buffer encodes, padded or not', () => {
    for (const len of [0, 1, 2, 3, 4, 5, 255, 256, 1000]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
      const b64 = Buffer.from(bytes).toString('base64');
      expect([...app.decodeBase64(b64)]).toEqual([...bytes]);
      expect([...app.decodeBase64(b64.replace(/=+$/, ''))]).toEqual([...bytes]);
    }
  });
});
