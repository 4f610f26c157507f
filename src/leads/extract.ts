/**
 * An article page's bytes → its text, on the poll's thread (cheap: a 300 KB
 * page decodes in well under a millisecond); the costly part, reading the
 * main text out of it, is extract-worker.mjs's, in a worker.
 */
import { charsetOf, decodeBody } from "../feeds/decode.js";

export type { Extracted } from "./extract-worker.mjs";

/** `<meta charset>` / `<meta http-equiv=Content-Type content="…charset=…">` in the first 4 KB (WHATWG looks in 1,024 bytes; pages are sloppier). */
export function metaCharset(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 4096));
  const m =
    /<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head) ??
    /<meta\s[^>]*?content\s*=\s*["'][^"']*?charset\s*=\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return m?.[1];
}

/**
 * Bytes → text: valid UTF-8 stays UTF-8 (decodeBody); otherwise the
 * header's charset, else the page's meta charset, else windows-1252.
 */
export function decodeHtml(bytes: Uint8Array, contentType: string | undefined): string {
  if (charsetOf(contentType)) return decodeBody(bytes, contentType);
  const meta = metaCharset(bytes);
  return decodeBody(bytes, meta ? `text/html; charset=${meta}` : contentType);
}
