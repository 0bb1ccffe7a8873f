// The fixture's relay, run in every frame of the context as an init script, beside the page hook
// (the same bundle the extension injects, built with the fixture's own channel name). It does in
// the page what the extension's relay does (src/content/relay.iife.ts) minus everything a test
// does not need: answer the hook's `hello` with `ready` (the hook holds its events until then,
// page-hook/emit.ts) and hand each batch, as the hook's JSON text, to the Playwright binding.
// Checking, numbering and folding happen in Node (collector.ts).
//
// Playwright runs this with Function.prototype.toString (page.addInitScript), so it must be
// self-contained: no imports, no helpers from outside its body.
//
// No fault commands: `ready` carries no token, so the hook accepts none (page-hook/command.ts).
// The relay shares the page's world here (an init script has no isolated world), so a page could
// call the binding itself; the collector treats every batch as untrusted, as the hub does.

export interface PageRelayArgs {
  /** The channel's base name (core/wire/channel.ts channelFor). */
  channel: string;
  /** The name of the binding on `window` (BrowserContext.exposeBinding). */
  binding: string;
}

export function pageRelay(args: PageRelayArgs): void {
  const w = window as unknown as Record<string, unknown> & Window;
  const page = `${args.channel}:p`;
  const ready = `${args.channel}:r`;
  const hello = `${args.channel}:h`;
  // Not crypto.randomUUID(): it exists only in secure contexts (WebCrypto), and a test's page may
  // be plain http on a LAN address.
  const doc = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const waiting: string[] = [];
  let retry: ReturnType<typeof setTimeout> | undefined;

  const call = (fn: (...a: unknown[]) => unknown, detail: string): void => {
    try {
      const p = fn(doc, detail);
      // The page may close before Node answers: the batch already left, only the answer is lost.
      if (p && typeof (p as Promise<unknown>).catch === 'function') (p as Promise<unknown>).catch(() => undefined);
    } catch {
      // The binding is gone (the context is closing): nothing else can carry the batch.
    }
  };
  const send = (detail: string): void => {
    const fn = w[args.binding];
    if (typeof fn !== 'function') {
      // Playwright installs bindings before init scripts, so this is a safety net only; bounded
      // so that a page whose binding never appears does not keep its events forever.
      if (waiting.length < 1_000) waiting.push(detail);
      if (retry === undefined) retry = setTimeout(drain, 50);
      return;
    }
    drain();
    call(fn as (...a: unknown[]) => unknown, detail);
  };
  function drain(): void {
    retry = undefined;
    const fn = w[args.binding];
    if (typeof fn !== 'function') {
      if (waiting.length) retry = setTimeout(drain, 50);
      return;
    }
    for (const d of waiting.splice(0)) call(fn as (...a: unknown[]) => unknown, d);
  }

  const onPage = (e: Event): void => {
    const detail = (e as CustomEvent<unknown>).detail;
    if (typeof detail === 'string') send(detail);
  };
  const onHello = (): void => void w.dispatchEvent(new CustomEvent(ready, { detail: null }));
  const listen = (): void => {
    w.addEventListener(page, onPage);
    w.addEventListener(hello, onHello);
  };
  listen();
  onHello();
  // document.open() erases the window's listeners (HTML, "document open steps"); the extension's
  // relay adds them again from a mutation observer, which survives it (relay.iife.ts).
  try {
    new MutationObserver(listen).observe(document, { childList: true });
  } catch {
    // no observer: a document.open() page then loses what follows it
  }
}
