/*
 * One socket for every tab that opens shared.html: the first port to connect opens it; whatever
 * it receives, and how it ends, goes to every port. A port's {cmd: 'send', data} sends, its
 * {cmd: 'close'} closes 4000 "asked by a tab". After the close the next tab opens a new one.
 */
var ws = null;
var ports = [];
var opened = false;

function broadcast(msg) {
  'use strict';
  ports.forEach(function (p) { p.postMessage(msg); });
}

function ensureSocket(wsBase, tag) {
  'use strict';
  if (ws && ws.readyState <= 1) return;
  opened = false;
  ws = new WebSocket(wsBase + '/ws/echo?tag=' + encodeURIComponent(tag));
  ws.onopen = function () { opened = true; broadcast({ kind: 'open', url: ws.url }); };
  ws.onmessage = function (e) { broadcast({ kind: 'message', data: String(e.data) }); };
  ws.onerror = function () { broadcast({ kind: 'error' }); };
  ws.onclose = function (e) {
    broadcast({ kind: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean, opened: opened });
  };
}

self.onconnect = function (e) {
  'use strict';
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    var cmd = m.data || {};
    if (cmd.cmd === 'hello') {
      ensureSocket(cmd.wsBase, cmd.tag);
      port.postMessage({ kind: 'joined', tabs: ports.length, url: ws.url, state: ws.readyState });
      broadcast({ kind: 'tabs', tabs: ports.length });
    } else if (cmd.cmd === 'send' && ws && ws.readyState === 1) {
      ws.send(String(cmd.data));
    } else if (cmd.cmd === 'close' && ws && ws.readyState <= 1) {
      ws.close(4000, 'asked by a tab');
    }
  };
  port.start();
};
