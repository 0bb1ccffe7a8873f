// The page's side of the page benchmarks, run by page.evaluate in Chromium (Playwright) and in
// Firefox (puppeteer): self-contained functions, serialised into the page.

/** ms for the page to receive `count` messages pushed by the server as fast as it can. */
export function receiveInPage({ url, count }: { url: string; count: number }): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let n = 0;
    let t0 = 0;
    ws.onopen = () => (t0 = performance.now());
    ws.onmessage = () => {
      // count payload messages, then the final {"done":true}
      if (++n === count + 1) {
        resolve(performance.now() - t0);
        ws.close();
      }
    };
    ws.onclose = (e) => {
      if (n < count + 1) reject(new Error(`closed early: ${e.code} after ${n}`));
    };
  });
}

export const receiveArgs = (wsBase: string, count: number, binary: boolean) => ({ url: `${wsBase}/ws/flood?count=${count}&size=16&binary=${binary ? 1 : 0}`, count });

/** ms the page spends in a loop of `count` send() calls. */
export function sendInPage({ url, count }: { url: string; count: number }): Promise<number> {
  return new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) ws.send('0123456789abcdef');
      const t = performance.now() - t0;
      ws.close();
      resolve(t);
    };
  });
}

export const sendArgs = (wsBase: string, count: number) => ({ url: `${wsBase}/ws/idle`, count });
