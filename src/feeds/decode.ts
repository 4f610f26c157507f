/**
 * Bytes → text. Feeds often declare the wrong encoding (a prolog copied from
 * a template, a server's default charset), so declarations are weighed
 * against what the bytes show:
 *
 *  1. A byte order mark decides (or UTF-16's zero bytes around "<").
 *  2. Bytes that read as UTF-8 are UTF-8, whatever is declared: text in a
 *     single-byte encoding is practically never valid UTF-8.
 *  3. Bytes that do not are not UTF-8, so a declaration saying UTF-8 is
 *     proven wrong and the other one (the prolog's or the Content-Type's)
 *     decides. When both name other encodings, the prolog wins unless the
 *     bytes are invalid in its encoding or read as mojibake there and not in
 *     the header's (see oddness()).
 *  4. Nothing usable declared: windows-1252, as browsers assume, unless
 *     windows-1251 or KOI8-R reads as less odd text (see undeclared()).
 *
 * Bytes that are mostly UTF-8 with a few stray bytes (a CMS pasting a
 * Latin-1 fragment) stay UTF-8, each stray byte read in the declared
 * single-byte encoding or windows-1252, so no U+FFFD reaches a title.
 */

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeBody(bytes: Uint8Array, contentType?: string): string {
  const bom = byteOrderMark(bytes);
  if (bom) return new TextDecoder(bom).decode(bytes);
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);

  try {
    return strictUtf8.decode(bytes);
  } catch {
    // not all of it UTF-8: see which declaration the bytes bear out
  }
  // The bytes were read as ASCII to find the prolog's label, so it cannot name UTF-16.
  const prolog = singleByteOrUtf8(prologEncoding(bytes));
  const header = singleByteOrUtf8(charsetOf(contentType));
  const others = [prolog, header].filter((e): e is string => e !== undefined && e !== "utf-8");

  const utf8 = utf8Evidence(bytes);
  if (utf8.sequences > utf8.invalid) return decodeMostlyUtf8(bytes, others.find(isSingleByte) ?? "windows-1252");
  return decodeWith(others.length ? choose(bytes, prolog, header) : undeclared(bytes), bytes);
}

/**
 * Undeclared (or declared only as UTF-8, which the bytes disproved): what
 * browsers assume is windows-1252, but this bot's feeds are as often Russian,
 * so windows-1251 and KOI8-R are tried too, the least odd reading winning
 * (windows-1252 on a tie).
 */
const UNDECLARED = ["windows-1252", "windows-1251", "koi8-r"];

function undeclared(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let best = UNDECLARED[0]!;
  let bestOddness = Infinity;
  for (const encoding of UNDECLARED) {
    const n = oddness(decodeWith(encoding, sample, true));
    if (n < bestOddness) {
      best = encoding;
      bestOddness = n;
    }
  }
  return best;
}

/**
 * The prolog's encoding unless the bytes speak against it and not against
 * the header's: invalid there (a byte with no character), or odder text
 * (oddness, on the first SAMPLE_BYTES). Called only with at least one of the two
 * naming an encoding other than UTF-8, which the bytes have ruled out.
 */
function choose(bytes: Uint8Array, prolog: string | undefined, header: string | undefined): string {
  if (prolog === undefined || prolog === "utf-8") return header!;
  if (header === undefined || header === "utf-8" || header === prolog) return prolog;
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const validProlog = validIn(prolog, sample);
  const validHeader = validIn(header, sample);
  if (validProlog !== validHeader) return validProlog ? prolog : header;
  return oddness(decodeWith(header, sample, true)) < oddness(decodeWith(prolog, sample, true)) ? header : prolog;
}

/** The start of a document the encodings are judged on: the channel and its first items. */
const SAMPLE_BYTES = 64 * 1024;

/** Streaming, so a multi-byte character cut at the sample's end is not held against the encoding. */
function validIn(encoding: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const singleByte = new Map<string, boolean>();
const HIGH_BYTES = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i);

/** One character per byte (windows-125x, KOI8, ISO 8859): a stray byte can be read alone. */
function isSingleByte(encoding: string): boolean {
  let yes = singleByte.get(encoding);
  if (yes === undefined) {
    yes = new TextDecoder(encoding).decode(HIGH_BYTES).length === 128;
    singleByte.set(encoding, yes);
  }
  return yes;
}

/**
 * How much decoded text looks like mojibake, counting only what involves
 * non-ASCII letters (ASCII reads the same in every candidate):
 *  - a lowercase letter followed by an uppercase one in a word: KOI8-R read
 *    as windows-1251 ("нЙТ" for "Мир") and the reverse flip letter case;
 *  - Latin next to Cyrillic in a word: Latin-1 read as windows-1251 ("Cafй");
 *  - three letters of U+00C0–U+00FF in a row: Cyrillic read as windows-1252
 *    ("Ïðèâåò"), which real Western text hardly has;
 *  - C1 controls and U+FFFD: bytes with no character.
 */
export function oddness(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/\p{Ll}\p{Lu}/gu)) if (m[0].charCodeAt(0) > 0x7f || m[0].charCodeAt(1) > 0x7f) n++;
  n += count(text, /\p{Script=Latin}\p{Script=Cyrillic}|\p{Script=Cyrillic}\p{Script=Latin}/gu);
  n += count(text, /[\u00C0-\u00FF]{3}/g);
  n += count(text, /[\u0080-\u009F\uFFFD]/g);
  return n;
}

function count(text: string, re: RegExp): number {
  let n = 0;
  for (const _ of text.matchAll(re)) n++;
  return n;
}

/**
 * Node 20.18.3+ decodes windows-1252 (and its aliases latin1, iso-8859-1,
 * ascii) as ISO-8859-1, so 0x80–0x9F come out as C1 controls instead of
 * €, curly quotes, dashes (nodejs/node#60888). Mapping those back is a no-op
 * on a Node that decodes correctly.
 */
const CP1252_HIGH =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

function decodeWith(encoding: string, bytes: Uint8Array, sample = false): string {
  const text = new TextDecoder(encoding).decode(bytes, { stream: sample });
  if (encoding !== "windows-1252") return text;
  return text.replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function byteOrderMark(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return "utf-8";
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return undefined;
}

/** XML 1.0 appendix F: "<" next to a zero byte gives UTF-16 away without a BOM. */
function utf16WithoutBom(b: Uint8Array): string | undefined {
  if (b[0] === 0x00 && b[1] === 0x3c) return "utf-16be";
  if (b[0] === 0x3c && b[1] === 0x00) return "utf-16le";
  return undefined;
}

/** encoding="…" from an XML declaration at the start (after optional whitespace). */
export function prologEncoding(bytes: Uint8Array): string | undefined {
  const head = latin1(bytes.subarray(0, 1024));
  const decl = /^\s*<\?xml\s[^>]*?\?>/.exec(head);
  if (!decl) return undefined;
  const m = /\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(decl[0]);
  return m?.[1];
}

export function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return m?.[1];
}

/**
 * A label → the encoding's canonical name (TextDecoder's), undefined when
 * unknown or UTF-16: a label read from bytes that are plainly not UTF-16 is
 * copied boilerplate. "win-1251" and "windows1251", which servers write and
 * the Encoding Standard does not list, are read as windows-1251.
 */
export function singleByteOrUtf8(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const encoding = known(label) ?? known(label.replace(/^win(?:dows)?-?(12[5-9]\d)$/i, "windows-$1"));
  return encoding?.startsWith("utf-16") ? undefined : encoding;
}

function known(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/** Well-formed multi-byte UTF-8 sequences and bytes that fit no sequence (RFC 3629), in one pass. */
export function utf8Evidence(b: Uint8Array): { sequences: number; invalid: number } {
  let sequences = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    const n = sequenceLength(b, i);
    if (n === 1) i++;
    else if (n === 0) {
      invalid++;
      i++;
    } else {
      sequences++;
      i += n;
    }
  }
  return { sequences, invalid };
}

/** [length - 1, lowest second byte, highest second byte]: RFC 3629's table of well-formed sequences. */
type Shape = readonly [number, number, number];
const TWO: Shape = [1, 0x80, 0xbf];
const THREE_E0: Shape = [2, 0xa0, 0xbf];
const THREE_ED: Shape = [2, 0x80, 0x9f];
const THREE: Shape = [2, 0x80, 0xbf];
const FOUR_F0: Shape = [3, 0x90, 0xbf];
const FOUR_F4: Shape = [3, 0x80, 0x8f];
const FOUR: Shape = [3, 0x80, 0xbf];

/** The length of the UTF-8 sequence at i: 1 for ASCII, 2–4, or 0 when the byte starts none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const x = b[i]!;
  if (x < 0x80) return 1;
  let shape: Shape;
  if (x >= 0xc2 && x <= 0xdf) shape = TWO;
  else if (x === 0xe0) shape = THREE_E0;
  else if (x === 0xed) shape = THREE_ED;
  else if (x >= 0xe1 && x <= 0xef) shape = THREE;
  else if (x === 0xf0) shape = FOUR_F0;
  else if (x === 0xf4) shape = FOUR_F4;
  else if (x >= 0xf1 && x <= 0xf3) shape = FOUR;
  else return 0;
  const [need, lo, hi] = shape;
  const second = b[i + 1];
  if (second === undefined || second < lo || second > hi) return 0;
  for (let k = 2; k <= need; k++) {
    const c = b[i + k];
    if (c === undefined || c < 0x80 || c > 0xbf) return 0;
  }
  return need + 1;
}

/** UTF-8 with a few stray bytes: the well-formed runs as UTF-8, each stray byte in `stray` (a single-byte encoding). */
function decodeMostlyUtf8(b: Uint8Array, stray: string): string {
  const utf8 = new TextDecoder("utf-8");
  const parts: string[] = [];
  let run = 0;
  for (let i = 0; i < b.length; ) {
    const n = sequenceLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    parts.push(utf8.decode(b.subarray(run, i)), decodeWith(stray, b.subarray(i, i + 1)));
    run = ++i;
  }
  parts.push(utf8.decode(b.subarray(run)));
  return parts.join("");
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return s;
}
