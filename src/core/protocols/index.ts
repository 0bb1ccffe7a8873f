// Application protocols spoken over a WebSocket (Socket.IO, STOMP, MQTT…): their decoders, the
// per-connection track of what was decoded, and what their heartbeats say about an end.
export * from './types.ts';
export { DECODERS } from './registry.ts';
export { detectProtocol } from './detect.ts';
export { protocolOf, decodedOf, BEATS_KEPT, type Beat, type MessageDecode, type MessageResult, type ProtocolTrack, type TrackedClose } from './track.ts';
export { heartbeatOf, graceMs, type BeatDirection, type HeartbeatFinding } from './heartbeat.ts';
