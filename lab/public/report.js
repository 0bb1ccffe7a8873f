/*
 * Shared by the lab's single-scenario pages (csp.html, mixed.html). They need a document of
 * their own: the CSP header, or the https origin, is the scenario. Each page creates its socket,
 * records the outcome in the same shape as lab.js, and hands it to the lab page that framed it
 * (postMessage: the https page is another origin) or, opened on its own, keeps it in
 * window.__lab.results like the lab page does, so a test can navigate here directly.
 */
(function () {
  'use strict';

  // A socket blocked before it ever reaches the network may fire error and then never close
  // (Chromium, blocked by CSP): after an error, wait this long for a close, then record anyway.
  var CLOSE_GRACE_MS = 500;

  function failureText(err) {
    if (!err) return String(err);
    var message = String(err.message || '');
    if (!err.name || err.name === 'Error') return message || String(err);
    // Firefox's NS_ERROR_* exceptions may come with no message at all.
    return message ? err.name + ': ' + message : err.name;
  }

  function settle(ws) {
    var r = {
      code: null, reason: '', wasClean: false, opened: false, error: false,
      url: ws.url, readyStateAtCreate: ws.readyState,
    };
    return new Promise(function (resolve) {
      var grace = null;
      ws.addEventListener('open', function () { r.opened = true; });
      ws.addEventListener('error', function () {
        r.error = true;
        if (grace === null) grace = setTimeout(function () { r.closeFired = false; resolve(r); }, CLOSE_GRACE_MS);
      });
      ws.addEventListener('close', function (e) {
        clearTimeout(grace);
        r.code = e.code; r.reason = e.reason; r.wasClean = e.wasClean; r.closeFired = true;
        resolve(r);
      });
    });
  }

  function publish(name, r) {
    var status = document.getElementById('status');
    if (status) status.textContent = name + ': ' + JSON.stringify(r);
    window.__lab = window.__lab || { results: {}, names: [name] };
    window.__lab.results[name] = r;
    if (parent !== window) parent.postMessage({ lab: 'result', name: name, result: r }, '*');
  }

  /**
   * Runs one scenario: `make` creates the socket (it may throw, as a blocked constructor does).
   * `extra` is called once the outcome is known and may add fields to it.
   */
  window.__labReport = function (name, make, extra) {
    var outcome;
    try {
      outcome = settle(make());
    } catch (err) {
      var thrown = { failed: failureText(err), code: null, reason: '', wasClean: false, opened: false, error: false };
      // Reported after the grace period all the same: a CSP violation event comes after the
      // throw (Firefox throws for a CSP-blocked socket), and `extra` should see it.
      outcome = new Promise(function (resolve) { setTimeout(function () { resolve(thrown); }, CLOSE_GRACE_MS); });
    }
    return outcome.then(function (r) {
      if (extra) extra(r);
      publish(name, r);
      return r;
    });
  };
})();
