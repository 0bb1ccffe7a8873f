// Redaction: what is replaced by `[redacted]` before a session leaves the machine, the same for
// every way out (the HAR export, Copy as Markdown, the CLI's text and --json). Import from here.
//
// Where credentials travel on a WebSocket, and what replaces them:
// - URLs (the socket's, the page's, those inside stacks and messages): query and fragment
//   parameters whose names say secret or whose values are JWTs or long tokens, path segments
//   that are JWTs or long tokens, and the password (or lone token) of the user info.
//   redact-url.ts.
// - Subprotocols: JWT-looking entries, Kubernetes' bearer subprotocol, the entry after a token
//   label (`['access_token', token]`). redact-url.ts.
// - Header values: Cookie, Set-Cookie and Authorization values always (the scheme and cookie
//   count stay), secret-named headers (X-Api-Key…), and the rules of free text for the rest
//   (a realm in WWW-Authenticate stays). redact-headers.ts.
// - Free text (close reasons, the constructor's and close()'s exceptions, stacks, network error
//   texts, diagnosis texts): URLs as above, `name: value` pairs whose name says secret, JWTs,
//   and long opaque tokens. redact-url.ts redactText.
// - Text payloads: secret-named fields at any depth of JSON, Socket.IO frames and form bodies,
//   graphql-ws `connection_init` payloads, and the free-text rules for the rest.
//   redact-payload.ts. Binary payloads cannot be read for secrets: a redacted export leaves
//   them out (their sizes stay).
//
// Never redacted: sizes, counts, timings, close codes, states, hosts, paths (but for token segments), and the values
// of fields whose names do not say secret and that do not look like tokens.
// Pure string work (src/core has no host APIs), idempotent: a value already `[redacted]` is
// redacted again and listed again, so that export → import → export gives the same file.
export { isSecretName, looksLikeJwt, looksLikeToken, redactParams, redactProtocol, redactProtocols, redactText, redactUrl, REDACTED, type Redacted } from './redact-url.ts';
export { redactHeader } from './redact-headers.ts';
export { redactPayload } from './redact-payload.ts';
