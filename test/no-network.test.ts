// PRIVACY.md says the extension makes no network requests of its own. This reads every source
// file under src/ as TypeScript (comments and texts are not code, so "new WebSocket() threw" in a
// message does not count) and fails on any use of a browser API that sends something: fetch,
// XMLHttpRequest, sendBeacon, EventSource, WebTransport, RTCPeerConnection, native messaging,
// importScripts, or a `new WebSocket(…)` of our own. The page hook wraps the page's WebSocket and
// builds the real one with Reflect.construct on the page's own arguments
// (src/page-hook/socket.ts), which is not ours; scripts/package.mjs repeats a search on the
// built bundles before it zips them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const FORBIDDEN = new Set(['fetch', 'XMLHttpRequest', 'sendBeacon', 'EventSource', 'WebTransport', 'RTCPeerConnection', 'connectNative', 'sendNativeMessage', 'importScripts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every use of a sending API in one file's code, as "name at line". */
export function networkUses(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (n: ts.Node) => file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && FORBIDDEN.has(node.text)) found.push(`${node.text} at ${at(node)}`);
    if (ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (name === 'WebSocket') found.push(`new WebSocket at ${at(node)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no network requests of our own', () => {
  it('finds no sending API in the code under src/', () => {
    const files = sources(join(root, 'src'));
    expect(files.length).toBeGreaterThan(50);
    const uses = files.flatMap((f) => networkUses(f, readFileSync(f, 'utf8')).map((u) => `${relative(root, f)}: ${u}`));
    // The one request: the standalone web viewer (not the extension) loads the HAR file its own
    // page address names (`?har=`, what `socket-autopsy view` serves on 127.0.0.1); main.tsx calls
    // it only when __SA_WEB__, which is false in the extension build, where it is dead code.
    expect(uses.filter((u) => !/^src\/panel\/har-io\.ts: fetch at \d+$/.test(u))).toEqual([]);
    expect(uses.filter((u) => u.startsWith('src/panel/har-io.ts'))).toHaveLength(1);
  });

  it('would find one (the check can fail), and ignores comments and texts', () => {
    expect(networkUses('a.ts', 'const r = await fetch("https://example.com");')).toEqual(['fetch at 1']);
    expect(networkUses('a.ts', 'navigator.sendBeacon(u, d);\nconst s = new window.WebSocket(u);')).toEqual(['sendBeacon at 1', 'new WebSocket at 2']);
    expect(networkUses('a.tsx', '// fetch(x)\nconst t = "new WebSocket() threw";\nconst e = <b>{`XMLHttpRequest`}</b>;')).toEqual([]);
  });
});
