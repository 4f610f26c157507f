/**
 * Mends the mistakes real feeds make most often, so a strict XML parser can
 * read them: a stray "&", control characters, junk before the declaration.
 * Only text outside CDATA sections is touched for "&": inside CDATA an "&" is
 * already literal, and escaping it would change the content.
 */

// XML 1.0 Char excludes C0 controls but tab/LF/CR, U+FFFE/U+FFFF and unpaired surrogates.
const ILLEGAL_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const CHAR_REF = /&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));/g;
const BARE_AMPERSAND = /&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z_][A-Za-z0-9_.-]*);)/g;
const CDATA = /(<!\[CDATA\[[\s\S]*?\]\]>)/;

/** How far into the text we look for a declaration preceded by junk (PHP warnings, stray output). */
const JUNK_WINDOW = 2048;

export function repairXml(text: string): string {
  let s = text.replace(ILLEGAL_CHARS, "");
  s = stripLeadingJunk(s);
  return outsideCdata(s, (part) => part.replace(CHAR_REF, dropIllegalRef).replace(BARE_AMPERSAND, "&amp;"));
}

/**
 * Turns every named reference except XML's own five into literal text
 * ("&foo;" → "&amp;foo;"). For documents using an entity name the parser does
 * not know: the name then survives as text for the normalizer to decode.
 */
export function escapeNamedEntities(text: string): string {
  return outsideCdata(text, (part) => part.replace(/&(?!(?:amp|lt|gt|quot|apos);)(?=[A-Za-z_][A-Za-z0-9_.-]*;)/g, "&amp;"));
}

function stripLeadingJunk(s: string): string {
  const trimmed = s.replace(/^[\s\uFEFF]+/, "");
  // "<br />\n<b>Warning</b>: … <?xml version=…" — a server printed something before the feed.
  const decl = trimmed.search(/<\?xml\s+version\s*=/);
  if (decl <= 0 || decl > JUNK_WINDOW) return trimmed;
  const junk = trimmed.slice(0, decl);
  // A declaration after the feed has begun is content (a code sample), not the start.
  return /<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>]/.test(junk) ? trimmed : trimmed.slice(decl);
}

function outsideCdata(s: string, fix: (part: string) => string): string {
  // split with a capturing group: odd indexes are the CDATA sections themselves
  return s
    .split(CDATA)
    .map((part, i) => (i % 2 === 1 ? part : fix(part)))
    .join("");
}

function dropIllegalRef(ref: string, hex: string | undefined, dec: string | undefined): string {
  const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? "", 10);
  const legal =
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff);
  return legal ? ref : "";
}
