// Event names on which the MAIN-world hook and the isolated relay talk. The base name is
// random per build (vite.config.ts), so a page cannot guess it from our public source.
export interface Channel {
  /** Hook → relay: detail is a JSON string of a PageBatch. */
  page: string;
  /** Relay → hook: "I am listening"; the hook then flushes what it held. */
  ready: string;
  /** Hook → relay: "I am here"; answers a relay that started first. */
  hello: string;
  /**
   * Relay → hook: a fault command from the panel; detail is a JSON string of a HookCommand. The
   * hook acts only on commands that carry the token the relay gave it in its first `ready`,
   * dispatched before any page script could listen (both run at document_start): a page that
   * knows the channel's name still cannot forge one.
   */
  command: string;
  /**
   * Hook → isolated world, Firefox only: "give me traps that run in your world", detail holding
   * the hook's answer function and its makers of page-realm objects (page-hook/hidden.ts,
   * content/hidden-traps.ts). Dispatched once, as the hook starts; the relay takes only the first
   * and stops listening.
   */
  traps: string;
}

export function channelFor(base: string): Channel {
  return { page: `${base}:p`, ready: `${base}:r`, hello: `${base}:h`, command: `${base}:c`, traps: `${base}:t` };
}
