// Dispatch of validated messages by their `type` through a map with one handler per member of
// the union. The map's type lists every `type` of the union as a required key, so adding a
// message to core/wire/protocol.ts without a handler for it is a compile error at the map, where an
// `if … else if` chain on msg.type would have ignored the new message without a word.
// Pure: no browser API.

/** One handler per message type, each given exactly its own message. */
export type Handlers<M extends { type: string }, Ctx> = {
  [K in M['type']]: (msg: Extract<M, { type: K }>, ctx: Ctx) => void;
};

/** Calls the handler of `msg.type`. `msg` must have been validated (its type is then a key of the map). */
export function dispatch<M extends { type: string }, Ctx>(handlers: Handlers<M, Ctx>, msg: M, ctx: Ctx): void {
  // TypeScript cannot correlate handlers[msg.type] with msg (a union on both sides): the
  // mapped type above is what guarantees they match.
  const handler = handlers[msg.type as M['type']] as (msg: M, ctx: Ctx) => void;
  handler(msg, ctx);
}
