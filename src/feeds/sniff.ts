/**
 * Recognises what is plainly not a feed before any parser sees it, so the
 * refusal names the real thing ("HTML page", "image/png") instead of
 * surfacing a parser's complaint about line 5.
 */

export interface Refusal {
  kind: "not-a-feed" | "refused";
  /** English, for logs */
  reason: string;
  /** for feedErrorText: {detail} and, for a media type, {type} */
  params: Record<string, string>;
}

const BINARY_MEDIA = /^(?:image|audio|video|font)\/|^application\/(?:pdf|zip|msword|x-shockwave-flash)$/;

const MAGIC: { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: "image/png", test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]) },
  { type: "image/jpeg", test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", test: (b) => starts(b, [0x47, 0x49, 0x46, 0x38]) },
  { type: "image/webp", test: (b) => starts(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b, 8, 4) === "WEBP" },
  { type: "application/pdf", test: (b) => starts(b, [0x25, 0x50, 0x44, 0x46]) },
  { type: "application/zip", test: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]) },
];

/** Checks on the raw (decompressed) bytes and the Content-Type. */
export function refuseBytes(bytes: Uint8Array, contentType?: string): Refusal | undefined {
  if (bytes.length === 0) return { kind: "not-a-feed", reason: "empty response", params: { detail: "empty" } };
  const media = mediaType(contentType);
  if (media && BINARY_MEDIA.test(media))
    return { kind: "not-a-feed", reason: `not a feed (${media})`, params: { detail: "media", type: media } };
  const magic = MAGIC.find((m) => m.test(bytes));
  if (magic) return { kind: "not-a-feed", reason: `not a feed (${magic.type})`, params: { detail: "media", type: magic.type } };
  if (looksBinary(bytes)) return { kind: "not-a-feed", reason: "not a feed (binary data)", params: { detail: "binary" } };
  return undefined;
}

/** Checks on the decoded text. */
export function refuseText(text: string): Refusal | undefined {
  if (text.trim() === "") return { kind: "not-a-feed", reason: "empty response", params: { detail: "empty" } };
  const head = afterProlog(text);
  if (/^<!doctype\s+html[\s>]/i.test(head) || /^<html[\s>]/i.test(head)) {
    return { kind: "not-a-feed", reason: "not a feed (HTML page)", params: { detail: "html" } };
  }
  if (/^<!doctype/i.test(head)) {
    const root = head.search(/<[A-Za-z_]/);
    const dtd = root < 0 ? head : head.slice(0, root);
    // Billion laughs and XXE both need declared entities; no feed does.
    if (/<!ENTITY/i.test(dtd)) return { kind: "refused", reason: "refused: document declares entities", params: { detail: "entities" } };
  }
  return undefined;
}

/** The text from the first element or DOCTYPE on: declaration, PIs and comments skipped. */
export function afterProlog(text: string): string {
  let s = text.replace(/^\uFEFF/, "");
  for (;;) {
    const m = /^\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/.exec(s);
    if (!m) break;
    s = s.slice(m[0].length);
  }
  return s.trimStart();
}

/** The root element's name ("rss", "rdf:RDF", "a:feed"), or undefined when there is none. */
export function rootElement(text: string): string | undefined {
  let head = afterProlog(text);
  if (/^<!doctype/i.test(head)) {
    const root = head.search(/<[A-Za-z_]/);
    head = root < 0 ? "" : head.slice(root);
  }
  return /^<([A-Za-z_][\w:.-]*)/.exec(head)?.[1];
}

export function mediaType(contentType: string | undefined): string | undefined {
  const m = contentType?.split(";")[0]?.trim().toLowerCase();
  return m || undefined;
}

function starts(b: Uint8Array, sig: number[]): boolean {
  return sig.every((x, i) => b[i] === x);
}

function ascii(b: Uint8Array, from: number, n: number): string {
  return String.fromCharCode(...b.subarray(from, from + n));
}

/** NUL bytes near the start mean binary data — unless the text is UTF-16, where they are normal. */
function looksBinary(b: Uint8Array): boolean {
  const utf16 =
    (b[0] === 0xff && b[1] === 0xfe) ||
    (b[0] === 0xfe && b[1] === 0xff) ||
    (b[0] === 0x00 && b[1] === 0x3c) ||
    (b[0] === 0x3c && b[1] === 0x00);
  if (utf16) return false;
  return b.subarray(0, 1024).includes(0x00);
}
