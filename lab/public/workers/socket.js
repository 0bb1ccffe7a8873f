/*
 * The socket every worker scenario runs (importScripts'd by the workers): opens the lab's echo
 * endpoint, sends two messages, waits for both echoes, then closes 1000 "done". `report` gets
 * the outcome in the lab's shape ({code, reason, wasClean, opened, error, url}) plus the echoes.
 */
/* exported runEcho */
function runEcho(wsBase, tag, report) {
  'use strict';
  var ws = new WebSocket(wsBase + '/ws/echo?tag=' + encodeURIComponent(tag));
  var r = { code: null, reason: '', wasClean: false, opened: false, error: false, url: ws.url, echoes: [] };
  ws.onopen = function () {
    r.opened = true;
    ws.send('one');
    ws.send('two');
  };
  ws.onerror = function () { r.error = true; };
  ws.onmessage = function (e) {
    // The server greets first ({"hello":"echo"}); only our own two count.
    if (e.data === 'one' || e.data === 'two') r.echoes.push(e.data);
    if (r.echoes.length === 2 && ws.readyState === WebSocket.OPEN) ws.close(1000, 'done');
  };
  ws.onclose = function (e) {
    r.code = e.code; r.reason = e.reason; r.wasClean = e.wasClean;
    report(r);
  };
}
