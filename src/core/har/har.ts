// Session logs: a session as a HAR 1.2 file (export) and a HAR back into a session (import).
//
// One entry per WebSocket, in the shape Chrome DevTools itself writes for sockets
// (`_resourceType: "websocket"`, `_webSocketMessages: [{type, time, opcode, data}]`, time in
// epoch seconds, binary as base64 with opcode 2), so that Chrome's Network panel › Import HAR
// opens our files. What Chrome's format cannot say rides in `_` fields, which HAR 1.2 reserves
// for custom data and Chrome's importer ignores: `_webSocketClose`, `_reconnectOf`,
// `_diagnosis`, and `_socketAutopsy` (everything needed to rebuild the exact Connection, so that
// export → import → export gives the same JSON). What the network said about the handshake is in
// Chrome's own fields (method, headers, status, statusText, `_error`) plus `_webSocketNetwork`,
// `_webSocketCsp` and `_networkOnly` (docs/har-network.md).
//
// The import reads our files, Chrome's own exports (messages, but no close codes: it says so
// and still rebuilds the connections), and any other HAR's WebSocket entries. Bad files get an
// error that names the field and where it is; nothing here throws on input.
//
// Files: har-format.ts (the types), har-export.ts, har-import.ts, har-schema.ts (valibot
// shapes of what we read), har-json.ts (size, depth, prototype-safe parsing),
// har-net.ts (the handshake's network facts, bounded and inert). Redaction: ../privacy/redact.ts.
// Import from here.
export { CREATOR_NAME, HAR_FORMAT_VERSION } from './har-format.ts';
export type {
  ClosedBy,
  ExportInput,
  ExportOptions,
  ForeignInfo,
  Har,
  HarClose,
  HarConnectionMeta,
  HarDiagnosis,
  HarEntry,
  HarLogMeta,
  HarMessageMeta,
  HarNameValue,
  HarNetwork,
  HarPage,
  HarText,
  HarWebSocketMessage,
} from './har-format.ts';
export { exportHar } from './har-export.ts';
export { CHROME_HAR_WARNING, importHar, unknownCloseHeadline } from './har-import.ts';
export type { HarSource, ImportedSession, ImportOptions, ImportResult } from './har-import.ts';
export { REDACTED } from '../privacy/redact.ts';
export { DEFAULT_MAX_BYTES } from './har-json.ts';
