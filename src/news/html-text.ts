/**
 * HTML (or text that may hold HTML) → plain text a user can read.
 *
 * Feeds put HTML everywhere: in descriptions, in titles, sometimes escaped
 * twice. No DOM is needed for a few sentences of news, so this is a small
 * linear scanner: it never backtracks, so hostile input costs O(n).
 */

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

const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
const GREEK_UPPER = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega";
const GREEK_LOWER = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega";

/** HTML 4 entities, the HTML 5 ones feeds actually use, and the Turkish letters. */
const NAMED: Record<string, number> = {
  quot: 34, amp: 38, apos: 39, lt: 60, gt: 62,
  OElig: 338, oelig: 339, Scaron: 352, scaron: 353, Yuml: 376, fnof: 402, circ: 710, tilde: 732,
  ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009, zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f,
  ndash: 0x2013, mdash: 0x2014, horbar: 0x2015, lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a,
  ldquo: 0x201c, rdquo: 0x201d, bdquo: 0x201e, dagger: 0x2020, Dagger: 0x2021, bull: 0x2022,
  hellip: 0x2026, mldr: 0x2026, permil: 0x2030, prime: 0x2032, Prime: 0x2033, lsaquo: 0x2039,
  rsaquo: 0x203a, oline: 0x203e, frasl: 0x2044, euro: 0x20ac, image: 0x2111, weierp: 0x2118,
  real: 0x211c, trade: 0x2122, alefsym: 0x2135, larr: 0x2190, uarr: 0x2191, rarr: 0x2192,
  darr: 0x2193, harr: 0x2194, crarr: 0x21b5, lArr: 0x21d0, uArr: 0x21d1, rArr: 0x21d2,
  dArr: 0x21d3, hArr: 0x21d4, forall: 0x2200, part: 0x2202, exist: 0x2203, empty: 0x2205,
  nabla: 0x2207, isin: 0x2208, notin: 0x2209, ni: 0x220b, prod: 0x220f, sum: 0x2211,
  minus: 0x2212, lowast: 0x2217, radic: 0x221a, prop: 0x221d, infin: 0x221e, ang: 0x2220,
  and: 0x2227, or: 0x2228, cap: 0x2229, cup: 0x222a, int: 0x222b, there4: 0x2234, sim: 0x223c,
  cong: 0x2245, asymp: 0x2248, ne: 0x2260, equiv: 0x2261, le: 0x2264, ge: 0x2265, sub: 0x2282,
  sup: 0x2283, nsub: 0x2284, sube: 0x2286, supe: 0x2287, oplus: 0x2295, otimes: 0x2297,
  perp: 0x22a5, sdot: 0x22c5, lceil: 0x2308, rceil: 0x2309, lfloor: 0x230a, rfloor: 0x230b,
  lang: 0x27e8, rang: 0x27e9, loz: 0x25ca, spades: 0x2660, clubs: 0x2663, hearts: 0x2665,
  diams: 0x2666, thetasym: 977, upsih: 978, piv: 982,
  Tab: 9, NewLine: 10, excl: 33, num: 35, dollar: 36, percnt: 37, lpar: 40, rpar: 41, ast: 42,
  plus: 43, comma: 44, period: 46, sol: 47, colon: 58, semi: 59, equals: 61, quest: 63,
  commat: 64, lsqb: 91, lbrack: 91, bsol: 92, rsqb: 93, rbrack: 93, lowbar: 95, grave: 96,
  lcub: 123, lbrace: 123, verbar: 124, vert: 124, rcub: 125, rbrace: 125, hyphen: 0x2010,
  dash: 0x2010, nbsp: 160, laquo: 171, raquo: 187, check: 0x2713, star: 0x2606, starf: 0x2605,
  Gbreve: 0x11e, gbreve: 0x11f, Idot: 0x130, imath: 0x131, inodot: 0x131, Scedil: 0x15e,
  scedil: 0x15f, Ccaron: 0x10c, ccaron: 0x10d, Zcaron: 0x17d, zcaron: 0x17e,
};
LATIN1.split(" ").forEach((name, i) => (NAMED[name] = 160 + i));
GREEK_UPPER.split(" ").forEach((name, i) => name !== "_" && (NAMED[name] = 913 + i));
GREEK_LOWER.split(" ").forEach((name, i) => (NAMED[name] = 945 + i));

/** Names HTML also accepts without the semicolon ("&amp" → "&"), as in old feeds. */
const LEGACY = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);

/** Bytes 0x80–0x9F meant as windows-1252, as HTML decodes them ("&#146;" → ’). */
const CP1252: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x2c6, 0x89: 0x2030, 0x8a: 0x160, 0x8b: 0x2039, 0x8c: 0x152, 0x8e: 0x17d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x2dc,
  0x99: 0x2122, 0x9a: 0x161, 0x9b: 0x203a, 0x9c: 0x153, 0x9e: 0x17e, 0x9f: 0x178,
};

const ENTITY_RE = /&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*))(;?)(=?)/g;

function fromCodePoint(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "\uFFFD";
  return String.fromCodePoint(CP1252[cp] ?? cp);
}

/** Decodes one layer of HTML character references; unknown ones stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY_RE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined, semi: string, eq: string) => {
    if (dec !== undefined) return fromCodePoint(dec.length > 7 ? Infinity : Number(dec)) + eq;
    if (hex !== undefined) return fromCodePoint(hex.length > 6 ? Infinity : parseInt(hex, 16)) + eq;
    if (name === undefined) return whole;
    const cp = NAMED[name];
    if (cp === undefined) return whole;
    // Without ";" only the legacy names count, and not in "?a=1&copy=2" (a query string).
    if (!semi && (!LEGACY.has(name) || eq)) return whole;
    return String.fromCodePoint(cp) + eq;
  });
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
