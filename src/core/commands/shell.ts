// Quoting for a POSIX shell (bash, zsh, dash), so that a copied command line gives the program
// exactly the strings it was built from. Rules from POSIX.1-2017 XCU §2.2 (Quoting): inside
// single quotes every character is literal but the single quote itself, which is written as
// '\'' (close, escaped quote, reopen). Control characters (a newline in a header value) would
// split a pasted line or hide in a terminal, so a word holding one is written in ANSI-C quoting
// ($'…', bash/zsh/ksh, and POSIX.1-2024 XCU §2.2.4 "Dollar-Single-Quotes") with visible escapes.

/** Words made only of these need no quotes in any POSIX shell (no globbing, expansion or splitting). */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\x00-\x1f\x7f]/;

/** One word for a POSIX shell: `it's` → `'it'\''s'`, `a\nb` → `$'a\nb'`, `ab` → `ab`. */
export function shellQuote(word: string): string {
  if (word !== '' && BARE.test(word)) return word;
  if (!CONTROL.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const ch of word) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** A command line from its words, each quoted. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
