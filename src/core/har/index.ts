// Session logs as HAR 1.2: export, import (ours, Chrome's and any other HAR's WebSocket entries),
// redaction, and reading untrusted JSON safely. har.ts is the facade and explains the format.
export * from './har.ts';
