// Runs in a page with and without the extension; the two reports must be identical.
// Everything a page could reasonably look at on WebSocket goes in the report.
(function () {
  'use strict';
  var base = 'ws://' + location.host;
  var windowMessages = 0;
  window.addEventListener('message', function () { windowMessages++; });

  function err(fn) {
    try { fn(); return 'no error'; } catch (e) { return String(e && e.name) + ': ' + String(e && e.message); }
  }
  // Everything a page sees of an error, its stack included (whose frames are the page's own:
  // the same lines and columns with or without the extension).
  function thrown(fn) {
    try { fn(); return 'no error'; } catch (e) {
      var d = Object.getOwnPropertyDescriptor(e, 'stack');
      return {
        isDOMException: e instanceof DOMException, isError: e instanceof Error, name: e.name, message: e.message, code: e.code,
        stack: String(e.stack), stackDesc: d ? { own: true, hasGet: !!d.get, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable } : null,
      };
    }
  }
  function desc(obj, key) {
    var d = Object.getOwnPropertyDescriptor(obj, key);
    return d ? { writable: d.writable, enumerable: d.enumerable, configurable: d.configurable, hasGet: !!d.get, type: typeof d.value } : null;
  }
  function opened(ws) {
    return new Promise(function (res, rej) {
      ws.addEventListener('open', function () { res(ws); });
      ws.addEventListener('error', function () { rej(new Error('error before open')); });
    });
  }
  function nextMessage(ws) {
    return new Promise(function (res) { ws.addEventListener('message', function (e) { res(e); }, { once: true }); });
  }

  async function probe() {
    var r = {};
    var W = WebSocket;
    r.name = W.name;
    r.length = W.length;
    r.ctorToString = Function.prototype.toString.call(W);
    r.ctorString = String(W);
    r.sendToString = W.prototype.send.toString();
    r.closeToString = Function.prototype.toString.call(W.prototype.close);
    r.toStringToString = Function.prototype.toString.toString();
    r.sendName = W.prototype.send.name;
    r.sendLength = W.prototype.send.length;
    r.closeName = W.prototype.close.name;
    r.closeLength = W.prototype.close.length;
    r.sendHasPrototype = 'prototype' in W.prototype.send;
    r.newSend = err(function () { new W.prototype.send(); });
    r.statics = [W.CONNECTING, W.OPEN, W.CLOSING, W.CLOSED];
    r.protoStatics = [W.prototype.CONNECTING, W.prototype.OPEN, W.prototype.CLOSING, W.prototype.CLOSED];
    r.protoNames = Object.getOwnPropertyNames(W.prototype).sort();
    r.ctorNames = Object.getOwnPropertyNames(W).sort();
    r.sendDesc = desc(W.prototype, 'send');
    r.closeDesc = desc(W.prototype, 'close');
    r.ctorDesc = desc(W.prototype, 'constructor');
    r.windowDesc = desc(window, 'WebSocket');
    // Own symbols of the window and of the document: a marker of ours would show here.
    r.windowSymbols = Object.getOwnPropertySymbols(window).map(String).sort();
    r.documentSymbols = Object.getOwnPropertySymbols(document).map(String).sort();
    r.windowNames = Object.getOwnPropertyNames(window).filter(function (n) { return n !== 'windowMessages'; }).sort();
    r.callWithoutNew = err(function () { W(base + '/ws/idle'); });
    r.badUrl = err(function () { new W('not a url'); });
    r.badScheme = err(function () { new W('ftp://127.0.0.1/'); });
    r.fragment = err(function () { new W(base + '/ws/idle#frag').close(); });
    r.dupProtocol = err(function () { new W(base + '/ws/idle', ['a', 'a']); });
    r.badUrlThrown = thrown(function () { new W('not a url'); });
    r.dupProtocolThrown = thrown(function () { new W(base + '/ws/idle', ['a', 'a']); });
    // The page's conversions run exactly once each (WebIDL converts the arguments once).
    var conversions = [];
    r.urlToStringThrown = thrown(function () { new W({ toString: function () { conversions.push('url'); throw new TypeError('page says no'); } }); });
    var quiet = new W({ toString: function () { conversions.push('url-ok'); return base + '/ws/idle'; } });
    quiet.close({ valueOf: function () { conversions.push('code'); return 1000; } }, { toString: function () { conversions.push('reason'); return 'r'; } });
    // protocols is (DOMString or sequence<DOMString>) (WebIDL union): an object without
    // @@iterator is one string, an iterable a list; the URL is converted before either.
    var logged = function (tag, value) { return { toString: function () { conversions.push(tag); return value; } }; };
    r.protocolString = err(function () { new W(logged('url-1', base + '/ws/idle'), logged('protocols-1', 'chat')).close(); });
    r.protocolIterable = err(function () {
      var it = {};
      it[Symbol.iterator] = function () {
        conversions.push('iterator');
        var items = ['a', logged('element', 'b')];
        var i = 0;
        return { next: function () { conversions.push('next'); return i < items.length ? { done: false, value: items[i++] } : { done: true }; } };
      };
      new W(logged('url-2', base + '/ws/idle'), it).close();
    });
    r.protocolThrows = thrown(function () { new W(base + '/ws/idle', { toString: function () { conversions.push('protocols-3'); throw new RangeError('bad protocol'); } }); });
    r.protocolSymbol = thrown(function () { new W(base + '/ws/idle', ['a', Symbol('s')]); });
    r.urlSymbol = thrown(function () { new W(Symbol('u'), logged('not reached', 'x')); });
    // A conversion that fails in the engine, not in page code: no primitive to be had.
    var noPrimitive = function () { return { toString: function () { return {}; }, valueOf: function () { return {}; } }; };
    r.urlNoPrimitiveThrown = thrown(function () { new W(noPrimitive()); });
    r.protocolNoPrimitiveThrown = thrown(function () { new W(base + '/ws/idle', [noPrimitive()]); });
    r.protocolNextNotCallable = thrown(function () {
      var it = {};
      it[Symbol.iterator] = function () { return { next: 5 }; };
      new W(base + '/ws/idle', it);
    });
    r.conversions = conversions;
    r.closeIllegalThrown = thrown(function () { W.prototype.close.call({}); });
    r.sendIllegal = err(function () { W.prototype.send.call({}, 'x'); });
    r.closeIllegal = err(function () { W.prototype.close.call({}); });
    // The natives wrapped only to stay invisible throw through their wrappers too.
    r.toStringIllegalThrown = thrown(function () { Function.prototype.toString.call({}); });
    r.contentWindowIllegalThrown = thrown(function () { Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow').get.call({}); });
    r.contentDocumentIllegalThrown = thrown(function () { Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentDocument').get.call({}); });
    r.documentOpenIllegalThrown = thrown(function () { Document.prototype.open.call({}); });

    var ws = new W(base + '/ws/echo');
    r.instanceOf = ws instanceof W;
    r.ctorIs = ws.constructor === W;
    r.protoIs = Object.getPrototypeOf(ws) === W.prototype;
    r.ownKeys = Object.getOwnPropertyNames(ws);
    r.initial = { readyState: ws.readyState, binaryType: ws.binaryType, bufferedAmount: ws.bufferedAmount, protocol: ws.protocol, extensions: ws.extensions };
    r.sendConnecting = err(function () { ws.send('too early'); });
    r.sendConnectingThrown = thrown(function () { ws.send('too early'); });
    var first = nextMessage(ws);
    var got;
    await opened(ws);
    await first; // the echo server's hello
    r.afterOpen = { readyState: ws.readyState, bufferedAmount: ws.bufferedAmount };
    // send(object) converts it to a string once (WebIDL overload: neither BufferSource nor Blob).
    var sendConverted = [];
    got = nextMessage(ws);
    ws.send({ toString: function () { sendConverted.push('toString'); return 'as text'; } });
    r.sendObject = { echoed: (await got).data, conversions: sendConverted.slice() };
    // The page's own error from that conversion, passed on as it was thrown.
    r.sendObjectThrows = thrown(function () { ws.send({ toString: function () { throw new RangeError('no text'); } }); });
    r.sendNoPrimitiveThrown = thrown(function () { ws.send(noPrimitive()); });

    // Listener order: addEventListener first, then the onmessage attribute, then another.
    var order = [];
    ws.addEventListener('message', function () { order.push('listener-1'); });
    ws.onmessage = function () { order.push('onmessage'); };
    ws.addEventListener('message', function () { order.push('listener-2'); });
    got = nextMessage(ws);
    ws.send('order');
    await got;
    await new Promise(function (res) { setTimeout(res, 0); });
    r.order = order.slice();
    ws.onmessage = null;

    ws.binaryType = 'arraybuffer';
    r.binaryType = ws.binaryType;
    got = nextMessage(ws);
    ws.send(new Uint8Array([1, 2, 3]));
    var bin = await got;
    r.binaryIsArrayBuffer = bin.data instanceof ArrayBuffer;
    r.binaryBytes = Array.from(new Uint8Array(bin.data));
    ws.binaryType = 'blob';
    got = nextMessage(ws);
    ws.send(new Uint8Array([4, 5]).buffer);
    var blob = (await got).data;
    r.blob = { isBlob: blob instanceof Blob, size: blob.size, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) };

    r.closeBadCode1005 = err(function () { ws.close(1005); });
    r.closeBadCode2000 = err(function () { ws.close(2000); });
    r.closeBadCode2000Thrown = thrown(function () { ws.close(2000); });
    r.closeLongReason = err(function () { ws.close(1000, 'x'.repeat(124)); });
    r.stateAfterBadCloses = ws.readyState;
    var closed = new Promise(function (res) { ws.addEventListener('close', function (e) { res(e); }); });
    r.closeReturn = String(ws.close(1000, 'bye'));
    r.closingState = ws.readyState;
    var ce = await closed;
    r.closeEvent = { code: ce.code, reason: ce.reason, wasClean: ce.wasClean, type: ce.constructor.name };
    r.sendAfterClose = err(function () { ws.send('late'); });
    r.bufferedAfterClose = ws.bufferedAmount > 0;

    class Sub extends W {
      constructor(url) { super(url); this.tag = 'sub'; }
      hi() { return 'hi'; }
    }
    var s = new Sub(base + '/ws/idle');
    r.subclass = { instSub: s instanceof Sub, instWs: s instanceof W, hi: s.hi(), tag: s.tag, ctor: s.constructor === Sub, url: s.url.replace(location.host, 'HOST') };
    s.close();
    r.windowMessages = windowMessages;
    return r;
  }
  window.__probe = probe().catch(function (e) { return { failed: String(e && e.stack || e) }; });
})();
