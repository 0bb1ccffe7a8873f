// What a HAR must hold for Chrome's Network panel › Import HAR to open it: HAR 1.2's required
// fields plus every field Chrome's importer casts to a number. Shared by the HAR tests.
import * as v from 'valibot';
import { expect } from 'vitest';

import type { Har } from '../src/core/har/har.ts';

// HAR 1.2 (its required fields) plus what Chrome's importer casts to numbers.

const num = v.pipe(v.number(), v.finite());
const nonNeg = v.pipe(v.number(), v.finite(), v.minValue(0));
const nameValue = v.object({ name: v.string(), value: v.string() });
const HAR_ENTRY_KEYS = ['pageref', 'startedDateTime', 'time', 'request', 'response', 'cache', 'timings', 'serverIPAddress', 'connection', 'comment'];
const Har12 = v.object({
  log: v.object({
    version: v.literal('1.2'),
    creator: v.object({ name: v.string(), version: v.string() }),
    pages: v.optional(
      v.array(
        v.object({
          startedDateTime: v.pipe(v.string(), v.isoTimestamp()),
          id: v.string(),
          title: v.string(),
          pageTimings: v.object({ onContentLoad: v.optional(num), onLoad: v.optional(num) }),
        }),
      ),
    ),
    entries: v.array(
      v.object({
        startedDateTime: v.pipe(v.string(), v.isoTimestamp()),
        time: nonNeg,
        request: v.object({
          method: v.string(),
          url: v.string(),
          httpVersion: v.string(),
          headers: v.array(nameValue),
          queryString: v.array(nameValue),
          cookies: v.array(nameValue),
          headersSize: num,
          bodySize: num,
        }),
        response: v.object({
          status: num,
          statusText: v.string(),
          httpVersion: v.string(),
          headers: v.array(nameValue),
          cookies: v.array(nameValue),
          content: v.object({ size: num, mimeType: v.string() }),
          redirectURL: v.string(),
          headersSize: num,
          bodySize: num,
        }),
        cache: v.object({}),
        // HAR 1.2: send, wait and receive are required and never -1.
        timings: v.object({ send: nonNeg, wait: nonNeg, receive: nonNeg }),
        // Chrome's shape for sockets (docs/har-network.md).
        _resourceType: v.literal('websocket'),
        _webSocketMessages: v.array(
          // Chrome's own HAR also writes the connection's failure text as an 'error' frame with opcode -1
          // (chrome.devtools.network.getHAR on Chromium 156, docs/har-network.md); its importer reads it.
          v.union([
            v.object({ type: v.picklist(['send', 'receive']), time: num, opcode: v.picklist([1, 2]), data: v.string() }),
            v.object({ type: v.literal('error'), time: num, opcode: v.literal(-1), data: v.string() }),
          ]),
        ),
      }),
    ),
  }),
});

export function expectValidHar(har: Har): void {
  const r = v.safeParse(Har12, har);
  expect(r.success ? [] : r.issues.map((i) => `${i.path?.map((p) => p.key).join('.')}: ${i.message}`)).toEqual([]);
  // Custom fields must start with "_" (HAR 1.2 §Custom fields).
  for (const k of Object.keys(har.log)) expect(['version', 'creator', 'pages', 'entries', 'comment'].includes(k) || k.startsWith('_'), k).toBe(true);
  for (const e of har.log.entries) {
    for (const k of Object.keys(e)) expect(HAR_ENTRY_KEYS.includes(k) || k.startsWith('_'), k).toBe(true);
    // "time: the sum of all timings available" (HAR 1.2 §entries).
    expect(e.time).toBeCloseTo(e.timings.send + e.timings.wait + e.timings.receive, 6);
    for (const m of e._webSocketMessages) for (const k of Object.keys(m)) expect(['type', 'time', 'opcode', 'data'].includes(k) || k.startsWith('_'), k).toBe(true);
  }
}
