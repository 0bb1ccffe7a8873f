// A connection as a command line that opens it again from a terminal: wscat, websocat, or Node
// with the `ws` package. The handshake's own headers (the ones a client library writes itself)
// are left out: sent twice, a server may refuse the request (RFC 6455 §4.1 lists them).
import { shellJoin, shellQuote } from './shell.ts';

export interface CommandInput {
  url: string;
  /** The subprotocols the page offered, in its order. */
  protocols: readonly string[];
  /** The request headers the network saw, when it saw them. */
  headers?: readonly { name: string; value: string }[];
}

/**
 * Headers every client writes itself (RFC 6455 §4.1, RFC 9110 §7.2 Host, §8.6 Content-Length)
 * or that describe the browser's transport rather than the request (Accept-Encoding, caches).
 * Sec-WebSocket-Protocol is passed as the tools' own option.
 */
const OWN = new Set([
  'host',
  'connection',
  'upgrade',
  'content-length',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'accept-encoding',
  'pragma',
  'cache-control',
]);

/** The headers worth sending again, without HTTP/2 pseudo-headers (`:authority`). */
export function replayHeaders(headers: CommandInput['headers']): { name: string; value: string }[] {
  return (headers ?? []).filter((h) => !h.name.startsWith(':') && !OWN.has(h.name.toLowerCase()));
}

/** `wscat -c URL -s P … -H 'Name: value' …` (wscat 5+: -s and -H repeat). */
export function wscatCommand(c: CommandInput): string {
  const words = ['wscat', '-c', c.url];
  for (const p of c.protocols) words.push('-s', p);
  for (const h of replayHeaders(c.headers)) words.push('-H', `${h.name}: ${h.value}`);
  return shellJoin(words);
}

/**
 * `websocat --protocol 'a, b' -H 'Name: value' … URL`: websocat takes one --protocol value,
 * sent as the header's whole list (RFC 6455 §11.3.4: comma-separated).
 */
export function websocatCommand(c: CommandInput): string {
  const words = ['websocat'];
  if (c.protocols.length) words.push('--protocol', c.protocols.join(', '));
  for (const h of replayHeaders(c.headers)) words.push('-H', `${h.name}: ${h.value}`);
  words.push(c.url);
  return shellJoin(words);
}

/**
 * `node -e '…'` with the `ws` package (run where `ws` resolves): connects, prints what the
 * server chose and every message, sends each line typed, and exits with the close code.
 */
export function nodeWsCommand(c: CommandInput): string {
  const headers = Object.fromEntries(replayHeaders(c.headers).map((h) => [h.name, h.value]));
  const js =
    `const W=require("ws");` +
    `const w=new W(${JSON.stringify(c.url)},${JSON.stringify(c.protocols)},{headers:${JSON.stringify(headers)}});` +
    `w.on("open",()=>{console.log("open",JSON.stringify(w.protocol));process.stdin.on("data",d=>w.send(String(d).replace(/\\n$/,"")))});` +
    `w.on("message",(d,b)=>console.log(b?"<binary "+d.length+" bytes>":String(d)));` +
    `w.on("close",(code,r)=>{console.log("close",code,String(r));process.exit(0)});` +
    `w.on("error",e=>{console.error(e.message);process.exit(1)})`;
  return `node -e ${shellQuote(js)}`;
}
