// Every decoder, in the order detection asks them (detect.ts picks by certainty, not order).
import { actioncableDecoder } from './actioncable.ts';
import { graphqlWsDecoder } from './graphql-ws.ts';
import { jsonRpcDecoder } from './json-rpc.ts';
import { mqttDecoder } from './mqtt.ts';
import { phoenixDecoder } from './phoenix.ts';
import { signalrDecoder } from './signalr.ts';
import { socketIoDecoder } from './socketio.ts';
import { sockJsDecoder } from './sockjs.ts';
import { stompDecoder } from './stomp.ts';
import { subscriptionsTransportWsDecoder } from './subscriptions-transport-ws.ts';
import type { Decoder } from './types.ts';

export const DECODERS: readonly Decoder[] = [
  socketIoDecoder,
  sockJsDecoder,
  graphqlWsDecoder,
  subscriptionsTransportWsDecoder,
  signalrDecoder,
  stompDecoder,
  mqttDecoder,
  phoenixDecoder,
  actioncableDecoder,
  jsonRpcDecoder,
] as readonly Decoder[];
