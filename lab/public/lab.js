/*
 * Socket Autopsy lab page. A classic, synchronous script loaded from <head> on purpose:
 * `?run=` must be able to create sockets while the document is still parsing, which is
 * exactly the window in which a late-injected capture hook misses them. No modules, no
 * build step, so what runs is what you read.
 */
(function () {
  'use strict';

  var wsBase = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
  var results = {};
  var frameWaiters = {};
  var configPromise = null;

  function config() {
    // Fetched lazily: only scenarios that need the idle proxy should wait on the network.
    if (!configPromise) {
      configPromise = fetch('/api/config', { cache: 'no-store' }).then(function (r) {
        if (!r.ok) throw new Error('/api/config answered ' + r.status);
        return r.json();
      });
    }
    return configPromise;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function open(path) {
    return new WebSocket(wsBase + path);
  }

  /** Resolves with how the socket ended. Call right after construction so nothing is missed. */
  function observe(ws) {
    var r = {
      code: null, reason: '', wasClean: false, opened: false, error: false,
      url: ws.url, createdWhileParsing: document.readyState === 'loading',
    };
    return new Promise(function (resolve) {
      ws.addEventListener('open', function () { r.opened = true; });
      ws.addEventListener('error', function () { r.error = true; });
      ws.addEventListener('close', function (e) {
        r.code = e.code; r.reason = e.reason; r.wasClean = e.wasClean;
        resolve(r);
      });
    });
  }

  function closeBy(code, reason) {
    return function () {
      return observe(open('/ws/close?code=' + code + '&reason=' + encodeURIComponent(reason) + '&after=200'));
    };
  }

  function whenBody() {
    // Iframe scenarios need a <body>; when started from <head> they wait for it.
    if (document.body) return Promise.resolve();
    return new Promise(function (resolve) {
      document.addEventListener('DOMContentLoaded', function () { resolve(); }, { once: true });
    });
  }

  function frameHost() {
    return document.getElementById('frames') || document.body;
  }

  function echo() {
    var ws = open('/ws/echo');
    ws.binaryType = 'arraybuffer';
    var done = observe(ws);
    var echoed = { text: false, binary: false };
    ws.addEventListener('open', function () {
      ws.send('hello lab');
      ws.send(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    });
    ws.addEventListener('message', function (e) {
      if (e.data === 'hello lab') echoed.text = true;
      if (e.data instanceof ArrayBuffer && e.data.byteLength === 8) echoed.binary = true;
      // The greeting arrives first; only close once both of our own messages came back.
      if (echoed.text && echoed.binary && ws.readyState === WebSocket.OPEN) ws.close(1000, 'done');
    });
    return done.then(function (r) { r.echoed = echoed; return r; });
  }

  function clientClose() {
    var ws = open('/ws/idle');
    ws.addEventListener('open', function () {
      setTimeout(function () { ws.close(1000, 'user left'); }, 200);
    });
    return observe(ws);
  }

  function tooBig() {
    var ws = open('/ws/limit?max=1024');
    ws.addEventListener('open', function () { ws.send(new Uint8Array(4096)); });
    return observe(ws);
  }

  function bigInbound() {
    var ws = open('/ws/limit?max=1048576&send=262144');
    var received = 0;
    ws.addEventListener('message', function (e) {
      received = typeof e.data === 'string' ? e.data.length : e.data.size;
      ws.close(1000, 'got it');
    });
    return observe(ws).then(function (r) { r.receivedBytes = received; return r; });
  }

  function idleProxy() {
    return config().then(function (c) {
      var ws = new WebSocket('ws://' + location.hostname + ':' + c.idleProxyPort + '/ws/idle');
      return observe(ws).then(function (r) { r.idleMs = c.idleMs; return r; });
    });
  }

  function crash() {
    return fetch('/api/crash-server?after=300', { method: 'POST' })
      .then(function (res) {
        if (!res.ok) throw new Error('/api/crash-server answered ' + res.status);
        return res.json();
      })
      .then(function (child) {
        return observe(new WebSocket('ws://' + location.hostname + ':' + child.port + '/'));
      });
  }

  function reconnect(path, attempts, delayFor) {
    var delays = [];
    var last = null;
    var attempt = 1;
    function next() {
      return observe(open(path)).then(function (r) {
        last = r;
        if (attempt >= attempts) return null;
        var d = delayFor(attempt);
        delays.push(d);
        attempt++;
        return (d > 0 ? sleep(d) : Promise.resolve()).then(next);
      });
    }
    return next().then(function () {
      last.attempts = attempt;
      last.delays = delays;
      return last;
    });
  }

  function backoff() {
    return reconnect('/ws/destroy?after=100', 5, function (n) {
      var base = 200 * Math.pow(2, n - 1);
      // ±10% jitter keeps a fleet of clients from reconnecting in lockstep.
      return Math.round(base * (0.9 + Math.random() * 0.2));
    });
  }

  function storm() {
    // A server that accepts and then fails at once, and a client that retries at once: the
    // classic storm. Its own endpoint, so it is not taken for more attempts of the backoff client.
    return reconnect('/ws/close?code=1011&reason=overloaded&after=50', 8, function () { return 0; });
  }

  function iframe() {
    var arrived = new Promise(function (resolve) { frameWaiters.iframe = resolve; });
    whenBody().then(function () {
      var f = document.createElement('iframe');
      f.src = 'iframe.html';
      f.title = 'same-origin iframe scenario';
      frameHost().appendChild(f);
    });
    return arrived;
  }

  function blankIframe() {
    return whenBody().then(function () {
      var f = document.createElement('iframe');
      f.title = 'about:blank iframe scenario';
      frameHost().appendChild(f);
      // Pages do this to get a WebSocket constructor their own realm's hooks never touched.
      var FrameWebSocket = f.contentWindow.WebSocket;
      return observe(new FrameWebSocket(wsBase + '/ws/close?code=4002&reason=from+blank+iframe&after=300'));
    });
  }

  var SCENARIOS = {
    'echo': { about: 'text + binary echo, then the page closes 1000 "done"', run: echo },
    'client-close': { about: 'page closes 1000 "user left" after 200 ms', run: clientClose },
    'server-close': { about: 'server closes 1000', run: closeBy(1000, 'bye') },
    'shutdown': { about: 'server closes 1001 "server shutting down"', run: function () { return observe(open('/ws/shutdown?after=200')); } },
    'destroy': { about: 'server cuts TCP after open, no close frame: 1006', run: function () { return observe(open('/ws/destroy?after=200')); } },
    'refused': { about: 'handshake refused with HTTP 403: 1006, never opens', run: function () { return observe(open('/ws/refuse?status=403')); } },
    'not-found': { about: 'handshake answered with HTTP 404: 1006, never opens', run: function () { return observe(open('/ws/no-such-scenario')); } },
    'policy': { about: 'server closes 1008', run: closeBy(1008, 'policy violation') },
    'too-big': { about: 'page sends 4 KiB to a 1 KiB limit: 1009', run: tooBig },
    'server-error': { about: 'server closes 1011 "boom"', run: closeBy(1011, 'boom') },
    'restart': { about: 'server closes 1012', run: closeBy(1012, 'service restart') },
    'try-later': { about: 'server closes 1013', run: closeBy(1013, 'try again later') },
    'app-4001': { about: 'application code 4001 "invalid token"', run: closeBy(4001, 'invalid token') },
    'idle-proxy': { about: 'quiet socket through the idle proxy: cut, 1006', run: idleProxy },
    'crash': { about: 'server process SIGKILLed: 1006', run: crash },
    'reconnect-backoff': { about: '5 attempts, backoff 200/400/800/1600 ms ±10%', run: backoff, manual: true },
    'reconnect-storm': { about: '8 attempts at a failing server (1011), no delay', run: storm, manual: true },
    'big-inbound': { about: 'receives one 256 KiB frame, then the page closes', run: bigInbound },
    'iframe': { about: 'same-origin iframe opens its own socket', run: iframe },
    'blank-iframe': { about: 'about:blank iframe\'s WebSocket, closed 4002', run: blankIframe },
  };

  // ---- log -------------------------------------------------------------------------

  var pendingLines = [];

  function logList() {
    return document.querySelector('[data-testid="lab-log"]');
  }

  function describe(name, r) {
    if (r.failed) return name + ': failed ' + r.failed;
    var line = name + ': close code=' + r.code + ' reason=' + JSON.stringify(r.reason) +
      ' wasClean=' + r.wasClean + ' opened=' + r.opened;
    if (r.attempts) line += ' attempts=' + r.attempts;
    return line;
  }

  function appendLine(name, r) {
    var list = logList();
    if (!list) { pendingLines.push([name, r]); return; }
    // One line per scenario: a rerun replaces the old outcome so test ids stay unique.
    var old = list.querySelector('[data-testid="lab-result-' + name + '"]');
    if (old) old.remove();
    var li = document.createElement('li');
    li.dataset.testid = 'lab-result-' + name;
    li.className = r.failed || r.code === 1006 ? 'abnormal' : 'clean';
    li.textContent = describe(name, r);
    list.appendChild(li);
  }

  // ---- runner ----------------------------------------------------------------------

  function run(name) {
    var scenario = SCENARIOS[name];
    if (!scenario) return Promise.reject(new Error('unknown scenario: ' + name));
    var started;
    try {
      started = Promise.resolve(scenario.run());
    } catch (err) {
      started = Promise.reject(err);
    }
    return started.then(null, function (err) {
      return { failed: String(err && err.message || err), code: null, reason: '', wasClean: false, opened: false };
    }).then(function (r) {
      results[name] = r;
      appendLine(name, r);
      return r;
    });
  }

  /** Called by iframe.html: the frame opens its own socket, the parent only watches it. */
  function track(name, ws) {
    var p = observe(ws);
    var waiter = frameWaiters[name];
    delete frameWaiters[name];
    if (waiter) waiter(p);
    return p;
  }

  function runFromQuery(search) {
    var wanted = new URLSearchParams(search).get('run');
    if (!wanted) return [];
    var names = wanted === 'all'
      ? Object.keys(SCENARIOS).filter(function (n) { return !SCENARIOS[n].manual; })
      : wanted.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    return names.map(function (n) {
      return run(n).catch(function (err) {
        appendLine(n, { failed: err.message });
      });
    });
  }

  function renderButtons() {
    var host = document.querySelector('[data-testid="lab-buttons"]');
    if (!host) return;
    Object.keys(SCENARIOS).forEach(function (name) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = name;
      b.title = SCENARIOS[name].about;
      b.dataset.testid = 'run-' + name;
      b.addEventListener('click', function () { run(name); });
      host.appendChild(b);
    });
    var list = logList();
    if (list) {
      pendingLines.splice(0).forEach(function (p) { appendLine(p[0], p[1]); });
    }
  }

  window.__lab = {
    results: results,
    names: Object.keys(SCENARIOS),
    run: run,
    track: track,
    runFromQuery: runFromQuery,
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', renderButtons, { once: true });
  } else {
    renderButtons();
  }
})();
