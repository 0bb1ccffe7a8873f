/*
 * Shared by the worker pages (dedicated, shared, service): records each scenario's outcome in
 * window.__lab.results the way lab.js does, and shows it, so a test reads them the same way.
 * The socket itself lives in the worker: nothing here touches WebSocket.
 */
(function () {
  'use strict';
  var lab = window.__lab = window.__lab || { results: {}, names: [] };
  lab.publish = function (name, r) {
    if (lab.names.indexOf(name) < 0) lab.names.push(name);
    lab.results[name] = r;
    var list = document.querySelector('[data-testid="lab-log"]');
    if (!list) return;
    var old = list.querySelector('[data-testid="lab-result-' + name + '"]');
    if (old) old.remove();
    var li = document.createElement('li');
    li.dataset.testid = 'lab-result-' + name;
    li.className = r.code === 1006 || r.failed ? 'abnormal' : 'clean';
    li.textContent = name + ': ' + JSON.stringify(r);
    list.appendChild(li);
  };
  /** A tag unique per page load, so each run's socket URL can be told from the last one's. */
  lab.tag = function (kind) {
    return kind + '-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
  };
})();
