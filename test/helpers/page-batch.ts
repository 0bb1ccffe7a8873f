// Hook batches built from event objects, the way the page hook fills them: a send or message
// goes into the columns through BatchBuilder.traffic with the hook's flags, anything else through
// BatchBuilder.other. The hook itself never has the event object (it writes the columns from the
// socket call directly), so this mapping is only the tests'.
import { BatchBuilder, BIN, LATER, SEND, TRUNC, type PageBatch } from '../../src/core/wire/page-batch.ts';
import type { HookEvent } from '../../src/core/wire/protocol.ts';

export function addEvent(b: BatchBuilder, e: HookEvent): void {
  if (e.k !== 'send' && e.k !== 'message') return b.other(e);
  let flags = e.bin ? BIN : 0;
  if (e.trunc) flags |= TRUNC;
  if (e.later) flags |= LATER;
  const data = e.data === undefined ? null : e.data;
  if (e.k === 'send') b.traffic(e.sid, e.t, e.n, e.size, flags | SEND, e.rs, e.buffered, data);
  else b.traffic(e.sid, e.t, e.n, e.size, flags, 0, 0, data);
}

/** The batch for the queued events queue[from, to), traffic in columns. */
export function encodeBatch(v: number, queue: readonly HookEvent[], from: number, to: number, dropped: number): PageBatch {
  const b = new BatchBuilder();
  for (let i = from; i < to; i++) addEvent(b, queue[i]!);
  return b.batch(v, dropped);
}
