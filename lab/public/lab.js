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

  /**
   * Through nginx with its default timeouts (or the Node idle proxy when the lab has no nginx:
   * /api/config idleProxy says which): one message each way, then silence until the proxy cuts
   * the quiet socket at 60 s (proxy_read_timeout), which the page sees as 1006.
   */
  function nginxIdle() {
    return config().then(function (c) {
      var ws = new WebSocket('ws://' + location.hostname + ':' + c.nginxIdlePort + '/ws/echo');
      ws.addEventListener('open', function () { ws.send('one message, then silence'); });
      return observe(ws).then(function (r) { r.idleMs = c.nginxIdleMs; r.via = c.idleProxy; return r; });
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

  // ---- handshake failures ------------------------------------------------------------

  // How long a framed single-scenario page (csp.html, mixed.html) may take to report.
  var FRAME_REPORT_MS = 8000;

  function failureText(err) {
    if (!err) return String(err);
    // "SecurityError: …" says more than the message alone; plain Errors keep their old text.
    var message = String(err.message || '');
    if (!err.name || err.name === 'Error') return message || String(err);
    // Firefox's NS_ERROR_* exceptions may come with no message at all.
    return message ? err.name + ': ' + message : err.name;
  }

  function handshake(name) {
    return function () { return observe(open('/ws/' + name)); };
  }

  function badGateway() {
    return config().then(function (c) {
      return observe(new WebSocket('ws://127.0.0.1:' + c.proxyPort + '/ws/echo')).then(function (r) {
        r.proxy = c.proxy;
        return r;
      });
    });
  }

  function closedPort() {
    return config().then(function (c) {
      return observe(new WebSocket('ws://127.0.0.1:' + c.closedPort + '/'));
    });
  }

  function tlsSelfSigned() {
    return config().then(function (c) {
      if (c.tls.skipped) throw new Error('no TLS server in this lab: ' + c.tls.skipped);
      return observe(new WebSocket('wss://127.0.0.1:' + c.tls.wssPort + '/ws/echo'));
    });
  }

  /**
   * Frames a single-scenario page and waits for the outcome it posts (report.js). The page
   * must be a document of its own: its CSP header, or its https origin, is the scenario.
   */
  function framed(name, src, hint) {
    return whenBody().then(function () {
      var f = document.createElement('iframe');
      f.title = name + ' scenario';
      return new Promise(function (resolve) {
        var timer = setTimeout(function () {
          window.removeEventListener('message', onMessage);
          resolve({
            failed: src + ' did not report within ' + FRAME_REPORT_MS + ' ms' + (hint ? ' (' + hint + ')' : ''),
            code: null, reason: '', wasClean: false, opened: false, error: false,
          });
        }, FRAME_REPORT_MS);
        function onMessage(e) {
          if (e.source !== f.contentWindow || !e.data || e.data.lab !== 'result' || e.data.name !== name) return;
          clearTimeout(timer);
          window.removeEventListener('message', onMessage);
          resolve(e.data.result);
        }
        window.addEventListener('message', onMessage);
        f.src = src;
        frameHost().appendChild(f);
      });
    });
  }

  function cspBlocked() {
    return framed('csp-blocked', 'csp.html');
  }

  function mixedContent() {
    return config().then(function (c) {
      if (c.tls.skipped) throw new Error('no TLS server in this lab: ' + c.tls.skipped);
      return framed('mixed-content', c.tls.mixedUrl,
        'the browser must resolve ' + c.tls.pageHost + ' and accept its certificate: see tls.chromiumArgs in /api/config');
    });
  }

  function subprotocol() {
    var ws = new WebSocket(wsBase + '/ws/subprotocol', 'lab.v2');
    return observe(ws).then(function (r) {
      r.requested = 'lab.v2';
      r.protocol = ws.protocol;
      return r;
    });
  }

  function sameMsPair() {
    // Unique per run: the server refuses the first request for a URL and accepts the second.
    var key = Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    var url = wsBase + '/ws/same-ms-pair?pair=' + key;
    // Same URL, same task, no await in between: two sockets a tool can only tell apart by order.
    var first = new WebSocket(url);
    var second = new WebSocket(url);
    return Promise.all([observe(first), observe(second)]).then(function (both) {
      var r = Object.assign({}, both[0]);
      r.sockets = both;
      return r;
    });
  }

  /** A protocol breaker (lab/raw.ts): what the page saw, and the messages it got before the fault. */
  function broken(name) {
    return function () {
      var ws = open('/ws/' + name);
      var messages = [];
      ws.addEventListener('message', function (e) { messages.push(String(e.data)); });
      return observe(ws).then(function (r) { r.messages = messages; return r; });
    };
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
    'nginx-idle': { about: 'one message through nginx (default timeouts), then silence: cut at 60 s, 1006', run: nginxIdle },
    'crash': { about: 'server process SIGKILLed: 1006', run: crash },
    'reconnect-backoff': { about: '5 attempts, backoff 200/400/800/1600 ms ±10%', run: backoff, manual: true },
    'reconnect-storm': { about: '8 attempts at a failing server (1011), no delay', run: storm, manual: true },
    'big-inbound': { about: 'receives one 256 KiB frame, then the page closes', run: bigInbound },
    'iframe': { about: 'same-origin iframe opens its own socket', run: iframe },
    'blank-iframe': { about: 'about:blank iframe\'s WebSocket, closed 4002', run: blankIframe },

    // Handshake failures (docs/lab-network.md): the socket never opens; what the network said
    // differs, and that difference is what a diagnosis has to recover.
    'auth-401': { group: 'handshake', about: '401 + WWW-Authenticate: Bearer error="invalid_token"', run: handshake('auth-401') },
    'forbidden-403': { group: 'handshake', about: '403: the page\'s Origin is not on the allow-list', run: handshake('forbidden-403') },
    'not-found-404': { group: 'handshake', about: '404 from an endpoint that does not exist', run: handshake('not-found-404') },
    'html-200': { group: 'handshake', about: '200 text/html: the app\'s HTML fallback, not a WebSocket', run: handshake('html-200') },
    'upgrade-426': { group: 'handshake', about: '426 Upgrade Required, Sec-WebSocket-Version: 13', run: handshake('upgrade-426') },
    'rate-429': { group: 'handshake', about: '429 Too Many Requests, Retry-After: 30', run: handshake('rate-429') },
    'unavailable-503': { group: 'handshake', about: '503 Service Unavailable, Retry-After: 120', run: handshake('unavailable-503') },
    'server-500': { group: 'handshake', about: '500 Internal Server Error', run: handshake('server-500') },
    'bad-gateway-502': { group: 'handshake', about: 'reverse proxy (nginx) with its upstream down: 502', run: badGateway },
    'dns': { group: 'handshake', about: 'ws://lab-unreachable.invalid/: the name does not resolve', run: function () { return observe(new WebSocket('ws://lab-unreachable.invalid/')); } },
    'closed-port': { group: 'handshake', about: 'a 127.0.0.1 port nothing listens on: refused', run: closedPort },
    'tls-self-signed': { group: 'handshake', about: 'wss:// to a self-signed certificate', run: tlsSelfSigned },
    'csp-blocked': { group: 'handshake', about: 'iframe with CSP connect-src \'self\' opens a socket to another origin', run: cspBlocked },
    'mixed-content': {
      group: 'handshake',
      about: 'https page opens ws:// (needs browser flags: /api/config tls.chromiumArgs)',
      run: mixedContent,
      manual: true,
    },
    'subprotocol': { group: 'handshake', about: 'asks for lab.v2, server accepts without choosing one', run: subprotocol },
    'same-ms-pair': { group: 'handshake', about: 'two sockets to one URL in one task: 401, then 101 + close 1000', run: sameMsPair },

    // Servers that break the protocol (lab/raw.ts): the browser fails the connection and the page
    // sees 1006; only the browser's own text (console, CDP) names the fault. Measured in Chromium 156
    // (docs/deep-capture.md), except bad-close-404: Chromium hands code 404 to the page as it is.
    'bad-close-1005': { group: 'broken', about: 'close frame with the reserved code 1005: 1006', run: broken('bad-close-1005') },
    'bad-close-404': { group: 'broken', about: 'close frame with code 404 (no close code at all)', run: broken('bad-close-404') },
    'bad-utf8': { group: 'broken', about: 'text frame with invalid UTF-8 (0xC3 0x28): 1006', run: broken('bad-utf8') },
    'bad-accept': { group: 'broken', about: '101 with a wrong Sec-WebSocket-Accept: 1006, never opens', run: broken('bad-accept') },
    'bad-rsv': { group: 'broken', about: 'frame with RSV1 set, no extension negotiated: 1006', run: broken('bad-rsv') },
    'bad-ping-big': { group: 'broken', about: 'ping with a 126-byte payload (control frames: 125 at most): 1006', run: broken('bad-ping-big') },
  };

  // ---- log -------------------------------------------------------------------------

  var pendingLines = [];

  function logList() {
    return document.querySelector('[data-testid="lab-log"]');
  }

  function describe(name, r) {
    if (r.failed) return name + ': failed ' + r.failed;
    var line = r.code === null
      ? name + ': no close event error=' + r.error + ' opened=' + r.opened
      : name + ': close code=' + r.code + ' reason=' + JSON.stringify(r.reason) +
        ' wasClean=' + r.wasClean + ' opened=' + r.opened;
    if (r.attempts) line += ' attempts=' + r.attempts;
    // Protocol scenarios (protocols.js): what the client library itself reported.
    if (r.app && r.app.summary) line += ' app=' + r.app.summary;
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
    li.className = r.failed || r.code === 1006 || r.code === null ? 'abnormal' : 'clean';
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
      // A constructor that throws (SecurityError …) is an outcome, not a lab failure.
      return { failed: failureText(err), code: null, reason: '', wasClean: false, opened: false, error: false };
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
    // Group names, never scenario names: `all` is everything but the manual and the protocol
    // scenarios, `handshake` the handshake failures that need no browser flags, `protocols` the
    // application-protocol scenarios (protocols.js). They mix with names.
    var names = [];
    wanted.split(',').map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (w) {
      var group = w === 'all' || w === 'handshake' || w === 'protocols' || w === 'broken'
        ? Object.keys(SCENARIOS).filter(function (n) {
          var g = SCENARIOS[n].group;
          if (w === 'protocols') return g === 'protocol';
          if (w === 'broken') return g === 'broken';
          return !SCENARIOS[n].manual && (w === 'all' ? g !== 'protocol' : g === 'handshake');
        })
        : [w];
      group.forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); });
    });
    return names.map(function (n) {
      return run(n).catch(function (err) {
        appendLine(n, { failed: err.message });
      });
    });
  }

  function renderButtons() {
    var host = document.querySelector('[data-testid="lab-buttons"]');
    if (!host) return;
    var handshakeHost = document.querySelector('[data-testid="lab-handshake-buttons"]') || host;
    var protocolHost = document.querySelector('[data-testid="lab-protocol-buttons"]') || host;
    var brokenHost = document.querySelector('[data-testid="lab-broken-buttons"]') || host;
    Object.keys(SCENARIOS).forEach(function (name) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = name;
      b.title = SCENARIOS[name].about;
      b.dataset.testid = 'run-' + name;
      b.addEventListener('click', function () { run(name); });
      var group = SCENARIOS[name].group;
      (group === 'handshake' ? handshakeHost : group === 'protocol' ? protocolHost : group === 'broken' ? brokenHost : host).appendChild(b);
    });
    var list = logList();
    if (list) {
      pendingLines.splice(0).forEach(function (p) { appendLine(p[0], p[1]); });
    }
  }

  var protocolNames = [];

  /**
   * For protocols.js, loaded right after this file: adds its scenarios to the runner, the
   * buttons and `?run=`, in group 'protocol'. They stay out of `names` (and `run=all`), which
   * tools read as the list of the scenarios above.
   */
  function addProtocolScenarios(table) {
    Object.keys(table).forEach(function (name) {
      if (SCENARIOS[name]) throw new Error('lab: scenario ' + name + ' exists already');
      SCENARIOS[name] = Object.assign({ group: 'protocol' }, table[name]);
      protocolNames.push(name);
    });
  }

  window.__lab = {
    results: results,
    names: Object.keys(SCENARIOS),
    protocolNames: protocolNames,
    addProtocolScenarios: addProtocolScenarios,
    helpers: { config: config, sleep: sleep, failureText: failureText },
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
