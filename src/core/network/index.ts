// What the browser's network layer said about a WebSocket's opening handshake: the model and its
// sources (net.ts), DevTools' own log read as observations (net-devtools.ts), and which
// observation belongs to which page socket (net-match.ts).
export * from './net.ts';
export * from './net-match.ts';
export * from './net-devtools.ts';
export * from './ws-url.ts';
