/*
 * A service worker whose socket opens when the page asks (a message carrying a MessagePort):
 * the echo socket of socket.js, closed 1000, its outcome sent back on the port. waitUntil keeps
 * the worker alive while the socket is open (an idle service worker may be stopped at any time).
 */
importScripts('socket.js');
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener('message', function (e) {
  'use strict';
  var port = e.ports[0];
  if (!port || !e.data || e.data.cmd !== 'open') return;
  e.waitUntil(new Promise(function (resolve) {
    runEcho(e.data.wsBase, e.data.tag, function (r) { port.postMessage(r); resolve(); });
  }));
});
