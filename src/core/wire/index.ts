// The wire: what crosses each boundary of the extension (page hook → relay → hub → panel), the
// schemas every message meets on arrival, the bounds that keep a hostile page from flooding us,
// and the fast paths (columns, kept text, packed events) that keep the page's thread cheap.
//
// The page hook imports the files it needs directly (limits, page-batch, channel, payload), never
// this index: it runs in the page's world and must not pull the schema library (protocol.ts) in.
export * from './protocol.ts';
export * from './limits.ts';
export * from './page-batch.ts';
export * from './wire.ts';
export * from './text-block.ts';
export * from './event-check.ts';
export * from './relay-buffer.ts';
export * from './event-ring.ts';
export * from './channel.ts';
export * from './payload.ts';
