// The npm package's main entry (`import … from 'socket-autopsy'`): what a Node program needs to
// read, explain and write WebSocket session logs with the same code the extension and the CLI
// run. Kept small on purpose: every name here is a promise to the package's users (semver), so
// internals (the wire format, the reducer's helpers) stay out. The Playwright fixture is its own
// entry, `socket-autopsy/playwright`, so that this one never loads @playwright/test.
export { exportHar, importHar, CREATOR_NAME, DEFAULT_MAX_BYTES, REDACTED } from './core/har/har.ts';
export type { ExportInput, ExportOptions, Har, HarEntry, HarSource, ImportedSession, ImportOptions, ImportResult } from './core/har/har.ts';
export { diagnose, diagnoseAll, DIAGNOSIS_CATEGORIES, diagnosisToMarkdown } from './core/diagnosis/index.ts';
export type { DiagnoseContext, Diagnosis, DiagnosisCategory, Evidence } from './core/diagnosis/index.ts';
export { applyBatch, createSession, DEFAULT_LIMITS, listConnections } from './core/session/session.ts';
export type { CloseInfo, Connection, SessionLimits, SessionState } from './core/session/session.ts';
export { findReconnectChains } from './core/session/reconnect.ts';
export type { ReconnectChain } from './core/session/reconnect.ts';
export { FAIL_GROUPS, parseFailOn } from './cli/fail-on.ts';
export type { FailOn } from './cli/fail-on.ts';
export type { Lang, Text } from './core/knowledge/i18n/text.ts';
