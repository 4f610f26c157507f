/**
 * Building blocks for Telegram's HTML parse mode, from plain text.
 *
 * Messages are composed from plain strings and escaped at the last step, so
 * no cut or measurement ever lands inside a tag or an entity.
 */

/** Telegram counts a message's length in UTF-16 code units of the text after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

// Telegram refuses text that is not valid UTF-8, and a lone surrogate cannot be encoded.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Plain text → HTML text. `&amp;` in the input stays visible as `&amp;`: we escape what we are given. */
export function escapeHtml(s: string): string {
  return s.replace(LONE_SURROGATE, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text → a double-quoted attribute value. */
export function escapeAttr(s: string): string {
  return escapeHtml(s).replace(/"/g, "&quot;");
}

/**
 * The URL, normalized, when Telegram will keep it as a link: absolute http(s).
 * Telegram silently drops relative and `javascript:` hrefs, leaving a
 * link-looking text that goes nowhere, so anything else is null.
 * The result is not escaped; pass it through escapeAttr.
 */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  if (!parsed.hostname) return null;
  return parsed.href;
}

/** `<a href>` around escaped text, or just the escaped text when the URL cannot be a link. */
export function linkHtml(url: string, text: string): string {
  const href = safeHref(url);
  return href ? `<a href="${escapeAttr(href)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

const ENTITY = /&(?:lt|gt|amp|quot|#39|#(\d+)|#x([0-9a-fA-F]+));/g;

/**
 * The text Telegram will show for HTML we produced: tags removed, entities decoded.
 * Only for our own output (no comments, no `>` inside attributes).
 */
export function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(ENTITY, (m, dec?: string, hex?: string) => {
    if (dec !== undefined) return String.fromCodePoint(Number(dec));
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    return m === "&lt;" ? "<" : m === "&gt;" ? ">" : m === "&amp;" ? "&" : m === "&quot;" ? '"' : "'";
  });
}

/** Length as Telegram counts it against TELEGRAM_TEXT_LIMIT (UTF-16 code units). */
export function visibleLength(html: string): number {
  return visibleText(html).length;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const ELLIPSIS = "…";

/**
 * Cuts plain text to at most `max` UTF-16 code units, ellipsis included.
 * Cuts between graphemes, so an emoji, a flag or a letter with its accents
 * is never split; prefers the last space when that loses little.
 */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 1 + ELLIPSIS.length) return max >= ELLIPSIS.length ? ELLIPSIS : "";
  const room = max - ELLIPSIS.length;
  let end = 0;
  let lastSpace = -1;
  for (const { segment, index } of graphemes.segment(s)) {
    const space = /^\s+$/u.test(segment);
    if (index + segment.length > room) {
      // The cut falls just before a space: it is already a word boundary.
      if (space) lastSpace = index;
      break;
    }
    end = index + segment.length;
    if (space) lastSpace = index;
  }
  // A word boundary reads better, unless it would throw away a large part of what fits.
  const cut = lastSpace > 0 && lastSpace >= end * 0.7 ? Math.min(lastSpace, end) : end;
  const kept = s.slice(0, cut).replace(/[\s,;:–—-]+$/u, "");
  return (kept || s.slice(0, end)) + ELLIPSIS;
}
