// The causes and fixes of each class of failed handshake (NetClass), worded with what the
// network quoted: the status, the headers, the endpoint.
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { concat, fmtClock, type Text } from '../knowledge/i18n/text.ts';
import { headerOf, parseFailureText, type NetView } from '../network/net.ts';
import { NE, NH } from '../knowledge/i18n/network.ts';
import { NC, NF } from '../knowledge/i18n/network-causes.ts';
import type { Connection } from '../session/session.ts';
import type { Evidence, Facts, NetVerdict } from './facts.ts';
import {
  LEARN,
  POLICY_MAX,
  endpoint,
  q,
  requestHeaders,
  responseHeaders,
  retryEvidence,
  statusOf,
  statusText,
} from './net-verdict.ts';
import { serverError } from './rules-close.ts';

/** The causes and fixes of one class; `x` holds what the texts quote. */
interface Explained {
  body: Text;
  causes: Text[];
  fixes: Text[];
  learnMore?: string;
  evidence?: Evidence[];
}

export function explain(f: Facts, view: NetView | undefined, v: NetVerdict): Explained {
  const { conn } = f;
  const status = view ? statusOf(view) : undefined;
  const s = status === undefined ? v.label : String(status);
  const learnStatus = status !== undefined ? LEARN.status(status) : LEARN.handshake;
  const { host, hostPort, origin } = endpoint(view?.url ?? conn.url);
  // The error's name ("net::ERR_CERT_DATE_INVALID") rather than DevTools' whole sentence: the
  // evidence quotes the sentence as it was said.
  const error = q(view?.error ? (parseFailureText(view.error).error ?? view.error) : v.label, 120);
  const at = fmtClock(v.at ?? view?.at ?? conn.createdAt);
  const via = [headerOf(view?.responseHeaders, 'via'), headerOf(view?.responseHeaders, 'server')].filter((x) => x !== undefined);
  const who = via.length ? ` (${via.map((x) => q(x, 80)).join(', ')})` : '';
  switch (v.cls) {
    case 'unauthorized': {
      if (status === 407) {
        return {
          body: NH.proxyAuth,
          causes: [NC.proxyAuth, NC.proxyPac],
          fixes: [NF.proxySignIn],
          learnMore: learnStatus,
          evidence: responseHeaders(view, ['Proxy-Authenticate', 'Via']),
        };
      }
      const challenge = headerOf(view?.responseHeaders, 'www-authenticate');
      const evidence = [...responseHeaders(view, ['WWW-Authenticate']), ...requestHeaders(view, ['Cookie', 'Authorization'])];
      if (view?.requestHeaders?.length && headerOf(view.requestHeaders, 'cookie') === undefined) evidence.push({ fact: 'net.request.cookie.none', text: NE.noCookie });
      const scheme = challenge ? /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)/.exec(challenge)?.[1] : undefined;
      return {
        body: NH.unauthorized(s),
        causes: [NC.noCredentials, NC.sameSite, NC.tokenExpired, ...(scheme ? [NC.authScheme(q(scheme, 40))] : [])],
        fixes: [NF.checkCredentials, NF.refreshToken, NF.cookieSite, F.auth],
        learnMore: learnStatus,
        evidence,
      };
    }
    case 'forbidden': {
      const pageOrigin = headerOf(view?.requestHeaders, 'origin');
      return {
        body: NH.forbidden,
        causes: [NC.originList(pageOrigin ? q(pageOrigin, 120) : ''), NC.role, NC.csrf],
        fixes: [NF.allowOrigin(pageOrigin ? q(pageOrigin, 120) : ''), NF.serverReason, F.auth],
        learnMore: learnStatus,
        evidence: [...requestHeaders(view, ['Origin']), ...responseHeaders(view, ['Server', 'Via'])],
      };
    }
    case 'bad-request':
      return {
        body: NH.badRequest,
        causes: [NC.hopByHop, NC.wrongQuery, NC.badHandshake],
        fixes: [NF.forwardUpgrade, F.checkUrl, NF.serverReason],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'Content-Type']),
      };
    case 'not-found':
      return {
        body: NH.notFound(statusText(status ?? 404)),
        causes: [NC.wrongPath, NC.routeMissing, NC.proxyRoute, NC.hopByHop],
        fixes: [F.checkUrl, NF.routeTable, NF.devProxyWs, NF.forwardUpgrade],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'Content-Type']),
      };
    case 'not-websocket': {
      const type = headerOf(view?.responseHeaders, 'content-type');
      return {
        body: NH.notWebSocket(statusText(status ?? 200)),
        causes: [NC.htmlFallback(type ? q(type, 80) : ''), NC.notEndpoint, NC.hopByHop],
        fixes: [F.checkUrl, NF.devProxyWs, NF.forwardUpgrade],
        learnMore: LEARN.handshake,
        evidence: responseHeaders(view, ['Content-Type', 'Content-Length', 'Server']),
      };
    }
    case 'redirect': {
      const location = headerOf(view?.responseHeaders, 'location');
      const loc = location ? q(location) : '';
      return {
        body: NH.redirect(statusText(status ?? 302)),
        causes: [NC.redirect(loc), NC.ssoRedirect],
        fixes: [NF.finalUrl(loc), F.checkUrl],
        learnMore: LEARN.handshake,
        evidence: location !== undefined ? responseHeaders(view, ['Location']) : view?.responseHeaders ? [{ fact: 'net.header.location.none', text: NE.noResponseHeader('Location') }] : [],
      };
    }
    case 'upgrade-required':
      return {
        body: NH.upgradeRequired,
        causes: [NC.version, NC.needsTls],
        fixes: [NF.versionTls],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Upgrade', 'Sec-WebSocket-Version', 'Server']),
      };
    case 'rate-limited':
    case 'unavailable': {
      const r = retryEvidence(f, view);
      const limited = v.cls === 'rate-limited';
      return {
        body: r.wait ? concat(limited ? NH.rateLimited : NH.unavailable, NH.waitFor(r.wait)) : limited ? NH.rateLimited : NH.unavailable,
        causes: limited ? [NC.rateLimit, NC.sharedQuota] : [NC.overloaded, NC.limitAs503],
        fixes: [r.wait ? NF.waitRetryAfter(r.wait) : NF.backOff, ...(limited ? [] : [NF.backendHealth, F.serverLogsAt(at)])],
        learnMore: limited ? LEARN.rateLimit : learnStatus,
        evidence: [...r.evidence, ...responseHeaders(view, ['Server', 'Via'])],
      };
    }
    case 'server-error':
      return {
        body: NH.serverError(statusText(status ?? 500)),
        causes: [NC.handlerFailed, NC.noWsSupport],
        fixes: [F.serverLogsAt(at), F.serverLogsHandshake],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'X-Request-Id']),
      };
    case 'bad-gateway':
      return {
        body: status === 504 ? NH.gatewayTimeout : NH.badGateway(statusText(status ?? 502)),
        causes: status === 504 ? [NC.upstreamSlow(who), NC.upstreamDown(who)] : [NC.upstreamDown(who), NC.upstreamBroken],
        fixes: [NF.upstreamCheck(at), NF.forwardUpgrade],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'X-Cache', 'CF-Ray']),
      };
    case 'http-error':
      return {
        body: NH.httpError(statusText(status ?? 0)),
        causes: [NC.httpStatus(statusText(status ?? 0)), C.handshakeStatus],
        fixes: [NF.serverReason, F.checkUrl],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'Content-Type']),
      };
    case 'dns':
      return { body: NH.dns(host), causes: [NC.dns(host), NC.dnsDown], fixes: [NF.resolve(host), F.checkUrl], learnMore: LEARN.handshake };
    case 'refused':
      return {
        body: NH.refused(hostPort),
        causes: [NC.refused(hostPort), NC.firewallReject],
        fixes: [NF.startServer(hostPort), F.checkUrl],
        learnMore: LEARN.handshake,
      };
    case 'reset':
      return {
        body: NH.reset,
        causes: [NC.reset, NC.tlsMismatch],
        fixes: [F.serverLogsHandshake, NF.proxiesSupportWs, F.checkUrl],
        learnMore: LEARN.handshake,
      };
    case 'timeout':
      return { body: NH.timeout, causes: [NC.timeout, NC.portFiltered], fixes: [NF.tryFromHere, F.checkUrl], learnMore: LEARN.handshake };
    case 'tls':
      return {
        body: NH.tls(error),
        causes: [NC.tls(error), NC.tlsIntercept],
        fixes: [NF.openHttps(host)],
        learnMore: LEARN.handshake,
      };
    case 'blocked-client':
      return { body: NH.blockedClient(error), causes: [NC.extension, NC.policy], fixes: [NF.noExtensions, NF.consoleSays] };
    case 'csp': {
      const csp = conn.csp;
      const directive = csp ? q(csp.directive, 60) : 'connect-src';
      const evidence: Evidence[] = [];
      if (csp) {
        evidence.push({ fact: 'csp', at: csp.at, text: NE.csp(directive, q(csp.blocked), fmtClock(csp.at)) });
        if (csp.policy) evidence.push({ fact: 'csp.policy', text: NE.cspPolicy(q(csp.policy, POLICY_MAX)) });
      }
      return {
        body: NH.csp(directive),
        causes: [NC.csp(directive), NC.cspElsewhere],
        fixes: [NF.allowConnectSrc(origin), NF.everyPolicy],
        learnMore: LEARN.csp,
        evidence,
      };
    }
    case 'tunnel':
      return { body: NH.tunnel, causes: [NC.tunnel, NC.proxyBlocksWs], fixes: [NF.proxySettings], learnMore: LEARN.handshake };
    case 'invalid-response': {
      const firefox = /NS_ERROR_WEBSOCKET_CONNECTION_REFUSED/.test(view?.error ?? '');
      return {
        body: NH.invalidResponse,
        causes: firefox ? [NC.firefoxNoUpgrade, NC.notEndpoint, NC.invalidResponse] : [NC.invalidResponse, NC.middlebox],
        fixes: [NF.rawResponse(q(httpUrl(view?.url ?? conn.url))), NF.forwardUpgrade],
        learnMore: LEARN.handshake,
        evidence: responseHeaders(view, ['Upgrade', 'Connection', 'Sec-WebSocket-Accept', 'Content-Type', 'Server']),
      };
    }
    case 'subprotocol': {
      const asked = q(conn.protocols.join(', ') || (headerOf(view?.requestHeaders, 'sec-websocket-protocol') ?? ''));
      const chosen = headerOf(view?.responseHeaders, 'sec-websocket-protocol');
      const evidence: Evidence[] = [];
      if (asked) evidence.push({ fact: 'net.protocols.asked', text: NE.asked(asked) });
      evidence.push(chosen === undefined ? { fact: 'net.protocols.none', text: NE.answeredNone } : { fact: 'net.protocols.answered', text: NE.answered(q(chosen)) });
      return {
        body: NH.subprotocol,
        causes: [
          chosen === undefined ? NC.subprotocolNone(asked || '?') : NC.subprotocolOther(asked || '?', q(chosen)),
          NC.subprotocolUnknown,
          NC.subprotocolToken,
        ],
        fixes: [NF.echoProtocol],
        learnMore: LEARN.handshake,
        evidence,
      };
    }
    case 'unsafe-port':
      return { body: NH.unsafePort(hostPort.slice(hostPort.lastIndexOf(':') + 1)), causes: [NC.unsafePort], fixes: [NF.otherPort], learnMore: LEARN.port };
    case 'mixed-content':
      return { body: NH.mixedContent, causes: [NC.mixed], fixes: [NF.useWss], learnMore: LEARN.mixed };
    case 'network':
      return {
        body: NH.network(error),
        // Nothing separates the causes: say so, and keep the generic ranking.
        causes: [NC.cannotTell, C.handshakeStatus, C.handshakeRefused, C.handshakeDns, C.handshakeTls, C.handshakeBlocked],
        fixes: [NF.tellMore, F.serverLogsHandshake, F.auth, F.checkUrl],
        learnMore: LEARN.handshake,
        evidence: /net::ERR_FAILED/.test(view?.error ?? '') ? [{ fact: 'net.bare', text: NE.bareFailure }] : [],
      };
  }
}

/** The http(s) URL of a ws(s) one, for tools that speak HTTP (curl). */
const httpUrl = (url: string): string => url.trim().replace(/^ws(s?):/i, 'http$1:');
