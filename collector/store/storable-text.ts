const UNSTORABLE = /\p{Surrogate}|\0/u;

/**
 * Text every store holds alike. A lone surrogate is no character (kept, it
 * would reach the database as bytes that are not UTF-8), and PostgreSQL's
 * text cannot hold U+0000: each is read as U+FFFD, as a UTF-8 decoder reads
 * bytes it cannot decode. Ingestion reads every string of a body through it,
 * and every value it decodes from a URL; the stats API reads filter values and
 * property names through it, so that they name what was stored, and tracked
 * links their titles and UTM values.
 */
export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.toWellFormed().replaceAll('\0', '\uFFFD') : text;
}

/** Byte order of UTF-8 text (as SQLite compares text, and PostgreSQL under the C collation), with none before any value. */
export function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  // The writer orders a visit's events of one millisecond by these: most differ at a code unit that is
  // no surrogate, where UTF-16 and UTF-8 agree, and need no encoding (and no garbage) to compare.
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (!isSurrogate(x) && !isSurrogate(y)) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  // A shorter one is a prefix of the other in UTF-8 too, unless it ends in half of a pair the other completes.
  if (length > 0 && isSurrogate(a.charCodeAt(length - 1))) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;
