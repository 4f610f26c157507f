/**
 * HTML (or text that may hold HTML) → plain text a user can read.
 *
 * Feeds put HTML everywhere: in descriptions, in titles, sometimes escaped
 * twice. No DOM is needed for a few sentences of news, so this is a small
 * linear scanner: it never backtracks, so hostile input costs O(n).
 * Character references are decoded with `entities` (the full HTML5 table).
 */
import { DecodingMode, decodeHTML } from "entities";

/** Whole-article content can be huge; the first part holds everything a summary uses. */
export const MAX_HTML_INPUT = 200_000;

/** Elements whose content is never readable text (code, styling, embeds, media fallbacks). */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "iframe",
  "noscript",
  "template",
  "svg",
  "math",
  "object",
  "video",
  "audio",
  "canvas",
  "head",
  "title",
  "select",
  "textarea",
  "button",
  // A caption describes a picture the reader never sees, and is mostly a photo credit.
  "figcaption",
]);

/** Raw-text elements: like a browser, an unclosed one swallows the rest of the document. */
const RAW_TEXT = new Set(["script", "style"]);

/** Elements that start a new line of text. */
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "caption",
  "center",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "thead",
  "tfoot",
  "tr",
  "ul",
]);

/** Table cells sit side by side: a space, not a line. */
const CELL = new Set(["td", "th"]);

/**
 * Names treated as markup when they show up only after entity decoding
 * (double-escaped HTML). Text like "List<String>" or "a <b c" outside this
 * list stays as written.
 */
const KNOWN_ELEMENTS = new Set([
  ...DROP_WITH_CONTENT,
  ...BLOCK,
  ...CELL,
  "a",
  "abbr",
  "area",
  "b",
  "base",
  "big",
  "body",
  "cite",
  "code",
  "col",
  "colgroup",
  "del",
  "em",
  "embed",
  "font",
  "html",
  "i",
  "img",
  "input",
  "ins",
  "kbd",
  "label",
  "link",
  "map",
  "mark",
  "meta",
  "option",
  "param",
  "picture",
  "q",
  "s",
  "samp",
  "small",
  "source",
  "span",
  "strike",
  "strong",
  "sub",
  "sup",
  "time",
  "track",
  "tt",
  "u",
  "var",
  "wbr",
]);

// Private-use code point marking a line break we produced, so it survives the
// step that turns the source's own newlines (plain whitespace in HTML) into spaces.
const BREAK = "\uE000";

interface StripResult {
  text: string;
  sawTag: boolean;
}

/**
 * Removes tags. `anyTag`: every `<name …>` is a tag (raw HTML); otherwise only
 * known element names are. `declarations`: comments, CDATA, <!DOCTYPE>, <?xml?>
 * too (source text, as opposed to text that came out of entity decoding).
 */
function stripMarkup(html: string, anyTag: boolean, declarations: boolean): StripResult {
  const n = html.length;
  // Last positions of the characters a tag needs to end; a quote at or after
  // its last position can never be closed. Checking these keeps the scan linear.
  const lastGt = html.lastIndexOf(">");
  const lastQuote: Record<string, number> = { '"': html.lastIndexOf('"'), "'": html.lastIndexOf("'") };
  const noCloseFrom = new Map<string, number>();
  const out: string[] = [];
  let sawTag = false;
  let i = 0;

  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0 || lt >= lastGt) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt));

    if (declarations && html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      sawTag = true;
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (declarations && html.startsWith("<![CDATA[", lt)) {
      const end = html.indexOf("]]>", lt + 9);
      out.push(html.slice(lt + 9, end < 0 ? n : end));
      sawTag = true;
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (declarations && (html[lt + 1] === "!" || html[lt + 1] === "?")) {
      // <!DOCTYPE …>, <?xml …?>: declarations, not text
      sawTag = true;
      i = html.indexOf(">", lt) + 1;
      continue;
    }

    const head = /^<(\/?)([A-Za-z][A-Za-z0-9:-]*)/.exec(html.slice(lt, lt + 64));
    const closing = head?.[1] === "/";
    const name = head?.[2]?.toLowerCase();
    if (!head || !name || (!anyTag && !KNOWN_ELEMENTS.has(name) && !name.includes(":"))) {
      out.push("<");
      i = lt + 1;
      continue;
    }
    const end = tagEnd(html, lt + head[0].length, lastQuote);
    if (end < 0) {
      out.push("<");
      i = lt + 1;
      continue;
    }
    sawTag = true;
    i = end + 1;

    if (!closing && DROP_WITH_CONTENT.has(name) && html[end - 1] !== "/") {
      const closeAt = findClose(html, name, i, noCloseFrom);
      if (closeAt) {
        i = closeAt;
      } else if (RAW_TEXT.has(name)) {
        i = n;
      }
      out.push(" ");
      continue;
    }
    if (BLOCK.has(name)) out.push(BREAK);
    else if (CELL.has(name)) out.push(" ");
  }
  return { text: out.join(""), sawTag };
}

/** Index of the `>` that ends a tag whose attributes start at `from`, or -1. */
function tagEnd(html: string, from: number, lastQuote: Record<string, number>): number {
  let j = from;
  let afterEquals = false;
  while (j < html.length) {
    const c = html[j];
    if (c === ">") return j;
    if ((c === '"' || c === "'") && afterEquals) {
      const last = lastQuote[c] ?? -1;
      if (j >= last) return html.indexOf(">", j); // never closed: the first > ends the tag
      j = html.indexOf(c, j + 1) + 1;
      afterEquals = false;
      continue;
    }
    if (c === "=") afterEquals = true;
    else if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") afterEquals = false;
    j++;
  }
  return -1;
}

/** Position just after `</name>` at or after `from`, or 0 when there is none. */
function findClose(html: string, name: string, from: number, noCloseFrom: Map<string, number>): number {
  const known = noCloseFrom.get(name);
  if (known !== undefined && from >= known) return 0;
  const re = new RegExp(`</${name}\\s*>`, "gi");
  re.lastIndex = from;
  const m = re.exec(html);
  if (!m) {
    noCloseFrom.set(name, from);
    return 0;
  }
  return m.index + m[0].length;
}

/* ---------------------------------------------------------------- entities */

/**
 * Decodes one layer of HTML character references with the full HTML5 table
 * (`&hairsp;`, `&Idot;`, …); unknown ones stay as written. Numeric references
 * follow HTML: 0x80–0x9F as windows-1252 (`&#146;` → ’), NUL, surrogates and
 * out-of-range values as U+FFFD.
 *
 * Decoded the way HTML decodes attribute values: the legacy names HTML
 * accepts without a semicolon (`&eacute`, `&amp`, `&copy`) count, except
 * right before a letter, digit or "=", so a link's query (`?a=1&copy=2`)
 * and words like "&notit;" come through as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return decodeHTML(text, DecodingMode.Attribute);
}

/* -------------------------------------------------------------- whitespace */

// Unpaired surrogates cannot be sent as UTF-8; controls and explicit bidi
// embeddings/overrides would garble or reorder the rest of a message.
// Kept on purpose: ZWJ (emoji sequences), ZWNJ (Persian/Urdu), LRM/RLM/ALM.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069\uE000]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPACES = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

/** Plain text with one space between words and "\n" between non-empty lines. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n")
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(INVISIBLE, "")
    .split("\n")
    .map((line) => line.replace(SPACES, " ").trim())
    .filter(Boolean)
    .join("\n");
}

/** Cuts at most `max` UTF-16 units without splitting a surrogate pair. */
export function sliceSafe(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/* ------------------------------------------------------------------- main */

const HAS_ENTITY = /&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/;
const MAX_LAYERS = 3;

export interface HtmlToTextOptions {
  /**
   * "any" (default): every `<name …>` is a tag, as in HTML. "known": only
   * HTML element names and namespaced junk like `<o:p>` are, for fields that
   * are as often plain text as HTML (titles: "Why Vector<int> is fast").
   */
  tags?: "any" | "known";
}

/**
 * HTML → plain text. Block elements and <br> become line breaks, scripts,
 * styles, iframes, media and captions go with their content, images vanish,
 * entities are decoded. Text escaped more than once (`&amp;lt;b&amp;gt;`,
 * `AT&amp;amp;T`) is decoded until no character reference is left, up to
 * three layers, and markup revealed by decoding is stripped as well: a
 * reader should never see `&amp;` or `<b>`.
 *
 * Input without any tag is treated as plain text, so its own line breaks
 * are kept; in HTML they are ordinary spaces.
 */
export function htmlToText(input: string, opts: HtmlToTextOptions = {}): string {
  const source = sliceSafe(input, MAX_HTML_INPUT).replaceAll(BREAK, "");
  const first = stripMarkup(source, opts.tags !== "known", true);
  let text = first.text;
  if (first.sawTag) text = text.replace(/[\r\n]+/g, " ");
  text = text.replaceAll(BREAK, "\n");

  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const decoded = decodeEntities(text);
    if (decoded === text) break;
    text = decoded;
    if (text.includes("<")) text = stripMarkup(text, false, false).text.replaceAll(BREAK, "\n");
    if (!HAS_ENTITY.test(text)) break;
  }
  return tidyText(text);
}

/** A title → a single line of plain text; only real HTML elements count as tags. */
export function htmlToLine(input: string): string {
  return htmlToText(input, { tags: "known" }).replace(/\n/g, " ");
}
