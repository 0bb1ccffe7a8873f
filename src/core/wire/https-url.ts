// Links made from data. A diagnosis's "Learn more" comes from our own knowledge table, but an
// imported HAR can carry any string there, and an href of `javascript:` or `data:` in the panel
// (an extension page) would run or show whatever the file's author chose. Only an absolute
// https: URL becomes a link.

/** `s` when it is an absolute https: URL, else undefined. */
export function httpsUrl(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  try {
    return new URL(s).protocol === 'https:' ? s : undefined;
  } catch {
    return undefined;
  }
}
