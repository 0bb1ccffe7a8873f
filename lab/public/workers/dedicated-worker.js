/* A dedicated worker that owns the page's socket: the page only hears the outcome. */
importScripts('socket.js');
self.onmessage = function (e) {
  'use strict';
  runEcho(e.data.wsBase, e.data.tag, function (r) { self.postMessage(r); });
};
