/**
 * Bytes → text. Feeds often declare the wrong encoding (a copied prolog, a
 * server default), so a declaration is believed only when the bytes are not
 * already valid UTF-8.
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
    // not UTF-8: believe what the document or the server says
  }
  const labels = [prologEncoding(bytes), charsetOf(contentType)].filter((l) => l !== undefined);
  if (labels.length === 0) {
    // Undeclared and not UTF-8: windows-1252 is what browsers assume, and it
    // maps every byte, so Western feeds come out right instead of as U+FFFD.
    return decodeWith(new TextDecoder("windows-1252"), bytes);
  }
  const decoder = labels.map(decoderFor).find((d) => d !== undefined);
  return decodeWith(decoder ?? new TextDecoder("utf-8"), bytes);
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

function decodeWith(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  if (decoder.encoding !== "windows-1252") return text;
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

function decoderFor(label: string): TextDecoder | undefined {
  try {
    const d = new TextDecoder(label);
    // The bytes were read as ASCII to find this label, so they cannot be
    // UTF-16 after all: the declaration is copied boilerplate.
    if (d.encoding.startsWith("utf-16")) return undefined;
    return d;
  } catch {
    return undefined;
  }
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return s;
}
