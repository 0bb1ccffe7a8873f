// MAIN-world page hook: wraps WebSocket so every socket the page makes is recorded, and
// streams the facts to the isolated relay. Built as a self-contained IIFE (the `.iife.ts`
// name makes crxjs inline it, see the README's Architecture) so it runs synchronously at document_start,
// before the page's first script.
//
// It must be invisible to the page (README, Architecture): the constructor is a Proxy
// (instanceof, statics, subclassing and the prototype stay real), send/close are Proxies of
// the originals (name, length, non-constructibility stay real), errors are the originals',
// and every built-in we use is saved before the page can replace it.
//
// The modules beside this file are inlined into this one IIFE by the build. Their top-level code
// runs when it runs, in import order: builtins.ts comes first, so every built-in is saved before
// anything else of ours runs (and the whole file runs before the page's first script).
import { perfNow, timeOrigin } from './builtins.ts';
import { listenCommands } from './command.ts';
import { connectRelay, emit } from './emit.ts';
import { coverChildFrames, mark, marked } from './frames.ts';
import { askForHiddenTraps } from './hidden.ts';
import { watchPage } from './page-events.ts';
import { install } from './socket.ts';

(function main() {
  if (marked(window)) return; // already wrapped by the parent's hook (see coverChildFrames)
  // Before any wrapper is made (mark's document.open is one): in Firefox their traps then run in
  // the isolated world (hidden.ts).
  askForHiddenTraps();
  mark(window);
  emit({ k: 'hello', t: perfNow(), timeOrigin, url: location.href, top: window === window.top });
  install(globalThis);
  coverChildFrames();
  watchPage();
  // Before connectRelay's hello: the relay's answer carries the command token (command.ts).
  listenCommands();
  connectRelay();
})();
