// Proxies and load balancers that turn a quiet (or old) WebSocket into a 1006 at a fixed
// number of seconds. The defaults are the table in docs/facts.md ("Proxy and load-balancer
// idle timeouts"); each entry links the vendor's page for the setting.
import { tx, type Text } from './i18n/text.ts';

/**
 * `idle`: the clock restarts on every byte in either direction, so the time that matters is
 * the silence before the cut. `lifetime`: the clock starts at the upgrade and traffic does
 * not reset it (Google Cloud's backend timeout for WebSockets, API Gateway's 2 h cap).
 */
export type TimeoutBasis = 'idle' | 'lifetime';

export interface Intermediary {
  id: string;
  /** Proper name, shown as is in both languages. */
  name: string;
  timeoutMs: number;
  basis: TimeoutBasis;
  /** How to raise it, or why a heartbeat is the only way. */
  remedy: Text;
  docs: string;
}

const S = 1000;
const MIN = 60 * S;

export const INTERMEDIARIES: readonly Intermediary[] = [
  {
    id: 'gcp-lb',
    name: 'Google Cloud load balancer',
    timeoutMs: 30 * S,
    basis: 'lifetime',
    remedy: tx(
      'Raise the backend service timeout: for WebSockets it caps the whole connection, so a heartbeat does not help.',
      'バックエンドサービスのタイムアウトを延ばしてください。WebSocket では接続全体の寿命の上限になるため、ハートビートでは防げません。',
    ),
    docs: 'https://cloud.google.com/load-balancing/docs/https#websocket_support',
  },
  {
    id: 'heroku',
    name: 'Heroku router',
    timeoutMs: 55 * S,
    basis: 'idle',
    remedy: tx(
      'The 55 s window cannot be changed: send data at least every ~25 s from either side.',
      '55 秒の枠は変更できません。どちらかの側から少なくとも約 25 秒ごとにデータを送ってください。',
    ),
    docs: 'https://devcenter.heroku.com/articles/websockets#timeouts',
  },
  {
    id: 'nginx',
    name: 'nginx proxy_read_timeout',
    timeoutMs: 60 * S,
    basis: 'idle',
    remedy: tx(
      'Raise proxy_read_timeout (and proxy_send_timeout) in the location that proxies the WebSocket.',
      'WebSocket をプロキシしている location で proxy_read_timeout（と proxy_send_timeout）を延ばしてください。',
    ),
    docs: 'https://nginx.org/en/docs/http/websocket.html',
  },
  {
    id: 'aws-alb',
    name: 'AWS Application Load Balancer',
    timeoutMs: 60 * S,
    basis: 'idle',
    remedy: tx(
      'Raise the load balancer attribute idle_timeout.timeout_seconds (1–4000 s).',
      'ロードバランサーの属性 idle_timeout.timeout_seconds（1〜4000 秒）を延ばしてください。',
    ),
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout',
  },
  {
    id: 'cloudflare',
    name: 'Cloudflare proxy',
    timeoutMs: 100 * S,
    basis: 'idle',
    remedy: tx(
      'The 100 s limit is not adjustable on most plans: send a heartbeat well within it.',
      '多くのプランでは 100 秒の上限を変更できません。十分に短い間隔でハートビートを送ってください。',
    ),
    docs: 'https://developers.cloudflare.com/network/websockets/',
  },
  {
    id: 'azure-lb',
    name: 'Azure Load Balancer',
    timeoutMs: 4 * MIN,
    basis: 'idle',
    remedy: tx(
      'Raise the idle timeout and enable "TCP reset on idle" (it drops silently otherwise), or send heartbeats.',
      'アイドルタイムアウトを延ばし、「アイドル時の TCP リセット」を有効にしてください（無効だと何も通知せずに切ります）。またはハートビートを送ってください。',
    ),
    docs: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout',
  },
  {
    id: 'aws-apigw',
    name: 'AWS API Gateway (WebSocket)',
    timeoutMs: 10 * MIN,
    basis: 'idle',
    remedy: tx(
      'The 10 min idle limit is fixed: send a heartbeat message at least every few minutes.',
      '10 分のアイドル上限は固定です。少なくとも数分ごとにハートビートのメッセージを送ってください。',
    ),
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
  {
    id: 'aws-cloudfront',
    name: 'Amazon CloudFront',
    timeoutMs: 10 * MIN,
    basis: 'idle',
    remedy: tx('Send a heartbeat at least every few minutes.', '少なくとも数分ごとにハートビートを送ってください。'),
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-working-with.websockets.html',
  },
  {
    id: 'aws-apigw-lifetime',
    name: 'AWS API Gateway (WebSocket) maximum connection duration',
    timeoutMs: 2 * 60 * MIN,
    basis: 'lifetime',
    remedy: tx(
      'Connections are capped at 2 h: reconnect before that on purpose, or handle the cut transparently.',
      '接続は最長 2 時間です。その前に意図的に張り直すか、切断を透過的に処理してください。',
    ),
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
];

/**
 * How far the observed time may be from a timeout and still count as a match: ±3 s, or ±5 %
 * for the long ones. Why these numbers: the intermediary's own timer is precise to a few
 * milliseconds; the error is on our side — the hook stamps a frame when the page's event
 * loop dispatches it (hundreds of ms late on a busy page, ~1 s in a throttled background
 * tab), the close is noticed when the RST/EOF arrives, and ping/pong control frames are
 * invisible to the page (so the silence we measure can only be longer than the real one).
 * ±3 s absorbs that at 30–100 s and still keeps Heroku's 55 s apart from the 60 s of nginx and
 * ALB at most points; 5 % widens it for the minutes-long ones, where timer wheels and
 * detection delays grow with the interval. ±10 % would make 55 s and 60 s overlap broadly.
 */
export function matchTolerance(timeoutMs: number): number {
  return Math.max(3000, timeoutMs * 0.05);
}

export interface IntermediaryMatch {
  intermediary: Intermediary;
  /** The observed time the timeout was compared with (silence or lifetime). */
  observedMs: number;
  /** observed − timeout. */
  deltaMs: number;
}

export interface TimingObservation {
  /** Time from the last frame in either direction (or from open, if none) to the close. */
  silenceMs: number;
  /** Time from open to the close. */
  lifetimeMs: number;
}

/** Intermediaries whose default timeout fits the observation, closest first. */
export function matchIntermediaries(obs: TimingObservation): IntermediaryMatch[] {
  const out: IntermediaryMatch[] = [];
  for (const it of INTERMEDIARIES) {
    const observedMs = it.basis === 'idle' ? obs.silenceMs : obs.lifetimeMs;
    const deltaMs = observedMs - it.timeoutMs;
    if (Math.abs(deltaMs) <= matchTolerance(it.timeoutMs)) out.push({ intermediary: it, observedMs, deltaMs });
  }
  return out.sort((a, b) => Math.abs(a.deltaMs) - Math.abs(b.deltaMs));
}

/** A heartbeat interval that keeps a connection under a timeout: half of it, as usually advised. */
export const heartbeatFor = (timeoutMs: number): number => Math.floor(timeoutMs / 2);
