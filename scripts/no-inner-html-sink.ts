// A Vite plugin shared by the extension's build (vite.config.ts) and the web viewer's
// (vite.viewer.config.ts).
import type { Plugin } from 'vite';

/**
 * Removes the one `innerHTML` sink in the bundle: Preact's handling of
 * `dangerouslySetInnerHTML`. We never use that prop (scripts/lint.mjs forbids it: captured data
 * is rendered as text only), yet the setter ships inside Preact, and addons-linter (web-ext lint,
 * AMO review) flags every `x.innerHTML = <variable>` with UNSAFE_VAR_ASSIGNMENT whether it is
 * reachable or not. Replacing it with a throw keeps the rule true at run time too. Both browsers
 * get the same bundle. A Preact upgrade that changes the shape fails the build here, loudly.
 */
export function noInnerHtmlSink(): Plugin {
  const file = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/;
  const sink = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;
  return {
    name: 'socket-autopsy:no-inner-html-sink',
    enforce: 'pre',
    transform(code, id) {
      if (!file.test(id.split('?')[0] ?? id)) return null;
      const found = code.match(sink)?.length ?? 0;
      if (found !== 1) this.error(`expected 1 innerHTML sink in ${id}, found ${found}: update noInnerHtmlSink`);
      return {
        code: code.replace(sink, '(()=>{throw new TypeError("dangerouslySetInnerHTML is not allowed in Socket Autopsy")})()'),
        map: null,
      };
    },
  };
}
