// The session model: the hook's facts folded into one record per WebSocket (session.ts, with the
// record's parts in connection.ts, state.ts, bounds.ts, csp.ts), and which socket retries which
// with what backoff (reconnect.ts).
export * from './session.ts';
export * from './reconnect.ts';
