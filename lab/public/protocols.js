/*
 * Application-protocol scenarios of the lab page: the real client libraries (their browser
 * bundles, served by the lab under /vendor/ and loaded only when a scenario needs them) against
 * real servers (lab/apps/). Each result has the raw WebSocket's outcome, as every lab scenario
 * (code, reason, wasClean, opened, error), plus `app`: what the library itself reported, which
 * is what a protocol decoder has to recover from the frames. Classic script, no build step.
 */
(function () {
  'use strict';

  var lab = window.__lab;
  var config = lab.helpers.config;
  var sleep = lab.helpers.sleep;
  // No scenario here takes longer than a few seconds; past this one, something hangs.
  var SCENARIO_TIMEOUT_MS = 20000;
  var loaded = {};

  function loadScript(src) {
    if (!loaded[src]) {
      loaded[src] = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error(src + ' did not load')); };
        (document.head || document.documentElement).appendChild(s);
      });
    }
    return loaded[src];
  }

  /** The app server's base URL from /api/config, or an error saying why the lab has none. */
  function app(name, scheme) {
    return config().then(function (c) {
      var e = c.apps && c.apps[name];
      if (!e) throw new Error('no ' + name + ' server in /api/config');
      if (e.skipped) throw new Error(e.skipped);
      return { base: scheme + '://127.0.0.1:' + e.port, path: e.path };
    });
  }

  /** How the raw WebSocket ended; attachable after open (the libraries create the socket). */
  function observeRaw(ws) {
    var r = { code: null, reason: '', wasClean: false, opened: ws.readyState === 1, error: false, url: ws.url };
    return new Promise(function (resolve) {
      ws.addEventListener('open', function () { r.opened = true; });
      ws.addEventListener('error', function () { r.error = true; });
      ws.addEventListener('close', function (e) {
        r.code = e.code; r.reason = e.reason; r.wasClean = e.wasClean; r.protocol = ws.protocol;
        r.closedAt = Date.now();
        resolve(r);
      });
    });
  }

  function withTimeout(name, p) {
    return Promise.race([p, sleep(SCENARIO_TIMEOUT_MS).then(function () {
      throw new Error(name + ' did not end within ' + SCENARIO_TIMEOUT_MS + ' ms');
    })]);
  }

  function finish(raw, appInfo, summary) {
    appInfo.summary = summary;
    raw.app = appInfo;
    return raw;
  }

  // ---- Socket.IO ---------------------------------------------------------------------

  /**
   * A Socket.IO client on the WebSocket transport only; `drive(socket, info)` plays the
   * scenario. Resolves once both the library's disconnect and the raw close happened.
   */
  function sioSession(url, opts, drive) {
    var info = { events: [], acks: [], pings: 0, disconnect: null };
    var lastPingAt = 0;
    var socket = window.io(url, Object.assign({ transports: ['websocket'], reconnection: false }, opts));
    var raw = new Promise(function (resolve, reject) {
      socket.io.on('open', function () { resolve(observeRaw(socket.io.engine.transport.ws)); });
      socket.on('connect_error', function (err) { reject(new Error('socket.io connect_error: ' + err.message)); });
    });
    socket.io.on('ping', function () { info.pings++; lastPingAt = Date.now(); });
    socket.onAny(function (event) { info.events.push(event); });
    var disconnected = new Promise(function (resolve) {
      socket.on('disconnect', function (reason) {
        info.disconnect = { reason: reason, at: Date.now(), msSinceLastPing: lastPingAt ? Date.now() - lastPingAt : null };
        resolve();
      });
    });
    socket.on('connect', function () { drive(socket, info); });
    return Promise.all([raw, disconnected]).then(function (both) {
      // The library's verdict and the socket's close event can be seconds apart (frozen peer).
      info.rawCloseMsAfterDisconnect = both[0].closedAt - info.disconnect.at;
      return finish(both[0], info, 'disconnect ' + JSON.stringify(info.disconnect.reason));
    });
  }

  function chat(socket, info, text) {
    return socket.timeout(5000).emitWithAck('chat', text).then(function (ack) {
      info.acks.push(ack);
      info.lastAckAt = Date.now();
    });
  }

  function socketioFrozen() {
    return loadScript('/vendor/socket.io.min.js').then(function () {
      return fetch('/api/socketio-frozen?after=2&frozen=8000', { method: 'POST' });
    }).then(function (res) {
      if (!res.ok) throw new Error('/api/socketio-frozen answered ' + res.status);
      return res.json();
    }).then(function (child) {
      return sioSession('http://127.0.0.1:' + child.port, {}, function (socket, info) {
        // Two acknowledged events, two heartbeat rounds apart so that PINGs precede the silence;
        // right after acknowledging the second, the lab stops the server process (SIGSTOP).
        chat(socket, info, 'one').then(function () { return sleep(2200); })
          .then(function () { return chat(socket, info, 'two'); });
      }).then(function (r) {
        r.app.child = child;
        r.app.msFromLastAckToDisconnect = r.app.disconnect.at - r.app.lastAckAt;
        return r;
      });
    });
  }

  function socketioKicked() {
    return Promise.all([loadScript('/vendor/socket.io.min.js'), app('socketio', 'http')]).then(function (a) {
      return sioSession(a[1].base, { auth: { scenario: 'kicked' } }, function (socket, info) {
        // The server calls socket.disconnect(true) after the third.
        chat(socket, info, 'one').then(function () { return chat(socket, info, 'two'); })
          .then(function () { return chat(socket, info, 'three'); }).catch(function () {});
      });
    });
  }

  function socketioNormal() {
    return Promise.all([loadScript('/vendor/socket.io.min.js'), app('socketio', 'http')]).then(function (a) {
      return sioSession(a[1].base, {}, function (socket, info) {
        var blobBack = new Promise(function (resolve) { socket.on('blob', resolve); });
        chat(socket, info, 'one').then(function () { return chat(socket, info, 'two'); })
          .then(function () { return chat(socket, info, 'three'); })
          .then(function () {
            // A binary event: Socket.IO sends a placeholder packet, then the bytes as a binary frame.
            return socket.timeout(5000).emitWithAck('blob', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer);
          })
          .then(function (ack) { info.acks.push(ack); return blobBack; })
          .then(function (data) {
            info.binaryBack = data && data.byteLength;
            return sleep(1200); // one more heartbeat round on the wire
          })
          .then(function () { socket.disconnect(); });
      });
    });
  }

  // ---- STOMP -------------------------------------------------------------------------

  function stompError() {
    return Promise.all([loadScript('/vendor/stomp.umd.min.js'), app('stomp', 'ws')]).then(function (a) {
      var info = { connected: null, messages: [], error: null };
      return new Promise(function (resolve) {
        var opened = false;
        var client = new window.StompJs.Client({
          brokerURL: a[1].base + a[1].path,
          heartbeatIncoming: 1000,
          heartbeatOutgoing: 1000,
          reconnectDelay: 0, // one session: no reconnect loop after the broker's close
          onConnect: function (frame) {
            opened = true;
            info.connected = { version: frame.headers.version, heartBeat: frame.headers['heart-beat'] };
            client.subscribe('/topic/news', function (m) {
              info.messages.push(m.body);
              // Later than the messages, so that client heart-beats (every second) are on the wire too.
              if (info.messages.length === 2) {
                setTimeout(function () { client.publish({ destination: '/queue/forbidden', body: 'let me in' }); }, 2500);
              }
            });
          },
          onStompError: function (frame) {
            info.error = { message: frame.headers.message, body: frame.body };
          },
          onWebSocketClose: function (e) {
            client.deactivate();
            var r = { code: e.code, reason: e.reason, wasClean: e.wasClean, opened: opened, error: false, url: a[1].base + a[1].path };
            resolve(finish(r, info, 'ERROR ' + JSON.stringify(info.error && info.error.message)));
          },
        });
        client.activate();
      });
    });
  }

  // ---- SockJS ------------------------------------------------------------------------

  function sockjsClose() {
    return Promise.all([loadScript('/vendor/sockjs.min.js'), app('sockjs', 'http')]).then(function (a) {
      var info = { messages: [], close: null };
      var sock = new window.SockJS(a[1].base + a[1].path, null, { transports: ['websocket'] });
      var raw = new Promise(function (resolve) {
        // sockjs-client keeps its transport's WebSocket there; its own events wrap the frames.
        sock.onopen = function () { resolve(observeRaw(sock._transport.ws)); };
      });
      sock.onmessage = function (e) { info.messages.push(e.data); };
      var closed = new Promise(function (resolve) {
        sock.onclose = function (e) { info.close = { code: e.code, reason: e.reason, wasClean: e.wasClean }; resolve(); };
      });
      return Promise.all([raw, closed]).then(function (both) {
        return finish(both[0], info, 'close ' + info.close.code + ' ' + JSON.stringify(info.close.reason));
      });
    });
  }

  // ---- Action Cable ------------------------------------------------------------------

  function actioncableUnauthorized() {
    return Promise.all([loadScript('/vendor/actioncable.js'), app('actioncable', 'ws')]).then(function (a) {
      var info = { connected: false, received: [], disconnected: null };
      var consumer = window.ActionCable.createConsumer(a[1].base + a[1].path);
      var disconnected = new Promise(function (resolve) {
        consumer.subscriptions.create({ channel: 'ChatChannel' }, {
          connected: function () { info.connected = true; },
          received: function (data) { info.received.push(data); },
          disconnected: function (d) { info.disconnected = d || {}; resolve(); },
        });
      });
      // subscriptions.create opened the connection synchronously: the socket exists now.
      var raw = observeRaw(consumer.connection.webSocket);
      return Promise.all([raw, disconnected]).then(function (both) {
        consumer.disconnect();
        return finish(both[0], info, 'disconnected willAttemptReconnect=' + info.disconnected.willAttemptReconnect);
      });
    });
  }

  // ---- graphql-ws --------------------------------------------------------------------

  /** One graphql-ws client; `token` or none. Resolves with the 'closed' CloseEvent's outcome. */
  function graphqlSession(url, token) {
    var info = { values: [], error: null, completed: false };
    return new Promise(function (resolve) {
      var opened = false;
      var client = window.graphqlWs.createClient({
        url: url,
        retryAttempts: 0,
        connectionParams: token ? { token: token } : {},
        on: {
          opened: function () { opened = true; },
          closed: function (e) {
            var r = { code: e.code, reason: e.reason, wasClean: e.wasClean, opened: opened, error: false, url: url };
            resolve(finish(r, info, (token ? 'with token: ' : 'no token: ') + info.values.length + ' next' + (info.completed ? ', complete' : '')));
          },
        },
      });
      client.subscribe({ query: 'subscription { countdown(from: 3) }' }, {
        next: function (v) { info.values.push(v.data); },
        error: function (err) { info.error = err && (err.reason || err.message || String(err)); },
        complete: function () { info.completed = true; client.dispose(); },
      });
    });
  }

  function graphqlWsAuth() {
    return Promise.all([loadScript('/vendor/graphql-ws.min.js'), app('graphql', 'ws')]).then(function (a) {
      var url = a[1].base + a[1].path;
      return graphqlSession(url, null).then(function (refused) {
        return graphqlSession(url, 'lab-token').then(function (ok) {
          var r = Object.assign({}, refused);
          r.sockets = [refused, ok];
          r.app = { summary: refused.app.summary + ' | ' + ok.app.summary + ' then ' + ok.code };
          return r;
        });
      });
    });
  }

  // ---- MQTT --------------------------------------------------------------------------

  /** An mqtt.js client (keepalive 1 s); `drive(client, info)` once connected. */
  function mqttSession(password, drive) {
    return Promise.all([loadScript('/vendor/mqtt.min.js'), app('mqtt', 'ws')]).then(function (a) {
      var info = { connack: null, error: null, received: [], sent: {}, got: {} };
      var raw = null;
      var client = window.mqtt.connect(a[1].base + a[1].path, {
        username: 'lab',
        password: password,
        keepalive: 1,
        reconnectPeriod: 0,
        // Exactly the socket mqtt.js would create itself, made here so the page can watch it.
        createWebsocket: function (url, protocols) {
          var ws = new WebSocket(url, protocols);
          raw = observeRaw(ws);
          return ws;
        },
      });
      var count = function (map, packet) { map[packet.cmd] = (map[packet.cmd] || 0) + 1; };
      client.on('packetsend', function (p) { count(info.sent, p); });
      client.on('packetreceive', function (p) {
        count(info.got, p);
        if (p.cmd === 'connack') info.connack = p.returnCode;
      });
      client.on('error', function (err) { info.error = { code: err.code, message: err.message }; });
      client.on('message', function (topic, payload) { info.received.push(topic + ' ' + String(payload)); });
      client.on('connect', function () { drive(client, info); });
      return sleep(0).then(function () {
        if (!raw) throw new Error('mqtt.js did not call createWebsocket');
        return raw;
      }).then(function (r) {
        client.end(true);
        return finish(r, info, 'CONNACK ' + info.connack + (info.error ? ' error ' + JSON.stringify(info.error.message) : ''));
      });
    });
  }

  function mqttRejected() {
    return mqttSession('wrong', function () {});
  }

  function mqttNormal() {
    return mqttSession('right', function (client) {
      client.subscribe('lab/news', function () {
        var n = 0;
        var t = setInterval(function () {
          client.publish('lab/news', 'message ' + ++n);
          if (n === 3) clearInterval(t);
        }, 500);
        // A few keepalive rounds (PINGREQ/PINGRESP every second), then a clean DISCONNECT.
        setTimeout(function () { client.end(); }, 3500);
      });
    });
  }

  function guarded(name, fn) {
    return function () { return withTimeout(name, fn()); };
  }

  lab.addProtocolScenarios({
    'socketio-normal': { about: 'Socket.IO: events with acks, a binary event, then the client disconnects', run: guarded('socketio-normal', socketioNormal) },
    'socketio-kicked': { about: 'Socket.IO: the server calls socket.disconnect(true) after 3 events', run: guarded('socketio-kicked', socketioKicked) },
    'socketio-frozen': { about: 'Socket.IO server process frozen (SIGSTOP): the client\'s "ping timeout" after ~2.5 s', run: guarded('socketio-frozen', socketioFrozen) },
    'stomp-error': { about: 'STOMP: SEND to /queue/forbidden, broker answers ERROR "Access denied" and closes', run: guarded('stomp-error', stompError) },
    'sockjs-close': { about: 'SockJS: a few messages, then the server closes 3000 "Go away!"', run: guarded('sockjs-close', sockjsClose) },
    'actioncable-unauthorized': { about: 'Action Cable: welcome, subscription, message, then disconnect "unauthorized", no reconnect', run: guarded('actioncable-unauthorized', actioncableUnauthorized) },
    'graphql-ws-auth': { about: 'graphql-ws: no token → 4403 Forbidden; with token → 3 next + complete', run: guarded('graphql-ws-auth', graphqlWsAuth) },
    'mqtt-rejected': { about: 'MQTT: bad password, CONNACK return code 5 (not authorized)', run: guarded('mqtt-rejected', mqttRejected) },
    'mqtt-normal': { about: 'MQTT: keepalive 1 s, subscribe, publish, pings, then DISCONNECT', run: guarded('mqtt-normal', mqttNormal) },
  });
})();
