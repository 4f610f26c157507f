/**
 * Checks a `parse_mode: "HTML"` message text the way the Bot API would, so the
 * fake Bot API can refuse what Telegram refuses — with Telegram's wording —
 * and tests can see the text a user would actually read.
 *
 * The scanner follows tdlib's parse_html (the code behind the Bot API): same
 * tags, same attribute syntax, same error messages and UTF-8 byte offsets.
 * Where Telegram is lenient about things its documentation forbids, this
 * checker is deliberately stricter, because leniency there hides escaping
 * bugs (a feed title with "AT&T" or "&nbsp;" sent unescaped):
 *   - a `&` must start &lt; &gt; &amp; &quot; or a numeric entity ending in
 *     `;` (Telegram keeps an unknown `&...` literally);
 *   - only documented attributes are allowed (a href, code class="language-…",
 *     span class="tg-spoiler", tg-emoji emoji-id, blockquote expandable);
 *   - entities nest only as the Bot API documents (no tag inside code/pre
 *     except pre > code, no link inside a link, no blockquote in a blockquote);
 *     Telegram silently drops such formatting instead of refusing it.
 * Those refusals are phrased in Telegram's style but do not exist verbatim.
 * A bare `>` is accepted, as Telegram accepts it.
 *
 * Links: Telegram silently drops a link whose href is not a usable URL (a
 * relative path, `javascript:`), showing just the text. Such links are still
 * listed here, with href "", so a test can notice the link the user lost.
 * Only absolute http(s):// and tg:// hrefs are kept (Telegram would also turn
 * a bare domain like "example.com" into http://example.com/; the bot should
 * never rely on that, so it counts as dropped here). A link around no visible
 * text is not listed: Telegram creates no entity for it.
 */

export interface HtmlLink {
  /** the href as given (entities decoded), or "" when Telegram would drop the link */
  href: string;
  /** the visible text of the link */
  text: string;
}

export type HtmlEntityType =
  | "bold"
  | "italic"
  | "underline"
  | "strikethrough"
  | "spoiler"
  | "code"
  | "pre"
  | "text_link"
  | "blockquote"
  | "expandable_blockquote"
  | "custom_emoji";

/** A formatting entity as the Bot API would report it (offsets in UTF-16 code units). */
export interface HtmlEntity {
  type: HtmlEntityType;
  offset: number;
  length: number;
  /** text_link only (a link Telegram would drop gets no entity) */
  url?: string;
  /** pre only, from <pre><code class="language-…"> */
  language?: string;
  /** custom_emoji only */
  custom_emoji_id?: string;
}

export type HtmlCheckResult =
  | {
      ok: true;
      /** the text a user sees: tags removed, entities decoded */
      visibleText: string;
      /** visibleText.length in UTF-16 code units — what Telegram's 4096 limit counts */
      visibleLength: number;
      links: HtmlLink[];
      entities: HtmlEntity[];
    }
  | { ok: false; description: string };

const TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "code",
  "pre",
  "blockquote",
  "span",
  "tg-spoiler",
  "tg-emoji",
]);

/** attribute names each tag may carry */
const ATTRIBUTES: Record<string, readonly string[]> = {
  a: ["href"],
  code: ["class"],
  span: ["class"],
  "tg-emoji": ["emoji-id"],
  blockquote: ["expandable"],
};

/** tags whose entities may not contain other entities (Bot API "formatting options") */
const NO_CHILDREN = new Set(["code", "pre", "a", "tg-emoji"]);

const PREFIX = "Bad Request: can't parse entities: ";

/** tdlib's is_space */
function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\0" || c === "\v";
}

function isNameTokenChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9.-]/.test(c);
}

interface OpenTag {
  name: string;
  attrs: Map<string, string>;
  /** UTF-16 offset in the visible text where the tag's content starts */
  offset: number;
  byteOffset: number;
  /** set on a <pre> by a nested <code class="language-…"> */
  language?: string;
}

class HtmlError extends Error {}

/** Returns the http(s)/tg URL Telegram would keep, or "" for one it would drop. */
export function keptLinkUrl(href: string): string {
  const url = href.trim();
  if (/^https?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      return parsed.hostname ? url : "";
    } catch {
      return "";
    }
  }
  if (/^tg:\/\/[A-Za-z]/i.test(url)) return url;
  return "";
}

export function checkTelegramHtml(text: string): HtmlCheckResult {
  try {
    return { ok: true, ...parse(text) };
  } catch (err) {
    if (err instanceof HtmlError) return { ok: false, description: PREFIX + err.message };
    throw err;
  }
}

function parse(text: string): { visibleText: string; visibleLength: number; links: HtmlLink[]; entities: HtmlEntity[] } {
  // Telegram reports positions as UTF-8 byte offsets into the text as sent.
  const byteAt = (index: number) => Buffer.byteLength(text.slice(0, index), "utf8");
  const fail = (message: string): never => {
    throw new HtmlError(message);
  };

  let visible = "";
  const stack: OpenTag[] = [];
  const entities: HtmlEntity[] = [];
  const links: HtmlLink[] = [];
  const n = text.length;
  let i = 0;

  /** Decodes the entity at `at` (text[at] === "&"); returns it and the index after it. */
  const decodeEntity = (at: number): { value: string; next: number } => {
    const m = /^&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]*));/.exec(text.slice(at, at + 16));
    if (!m) fail(`Unescaped "&" at byte offset ${byteAt(at)}: write it as &amp;`);
    const [whole, dec, hex, name] = m!;
    if (name !== undefined) {
      const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
      const value = named[name];
      if (value === undefined) {
        fail(
          `Unsupported HTML entity "${whole}" at byte offset ${byteAt(at)}: only &lt; &gt; &amp; &quot; and numeric entities are allowed`,
        );
      }
      return { value: value!, next: at + whole.length };
    }
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (code >= 0xd800 && code <= 0xdfff) {
      fail("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units");
    }
    if (code === 0 || code >= 0x10ffff) fail(`Invalid numeric HTML entity "${whole}" at byte offset ${byteAt(at)}`);
    return { value: String.fromCodePoint(code), next: at + whole.length };
  };

  const skipSpaces = () => {
    while (i < n && isSpace(text[i])) i++;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === "&") {
      const { value, next } = decodeEntity(i);
      visible += value;
      i = next;
      continue;
    }
    if (c !== "<") {
      visible += c;
      i++;
      continue;
    }

    const begin = i;
    const beginByte = byteAt(begin);
    i++;
    if (text[i] !== "/") {
      // start tag
      const nameStart = i;
      while (i < n && !isSpace(text[i]) && text[i] !== ">") i++;
      if (i >= n) fail(`Unclosed start tag at byte offset ${beginByte}`);
      const name = text.slice(nameStart, i).toLowerCase();
      if (!TAGS.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${beginByte}`);

      const attrs = new Map<string, string>();
      while (text[i] !== ">") {
        skipSpaces();
        if (i >= n) fail(`Unclosed start tag "${name}" at byte offset ${beginByte}`);
        if (text[i] === ">") break;
        const attrStart = i;
        while (i < n && !isSpace(text[i]) && text[i] !== "=" && text[i] !== ">") i++;
        const attrName = text.slice(attrStart, i).toLowerCase();
        if (attrName === "") fail(`Empty attribute name in the tag "${name}" at byte offset ${beginByte}`);
        if (!(ATTRIBUTES[name] ?? []).includes(attrName)) {
          fail(`Unsupported attribute "${attrName}" in the tag "${name}" at byte offset ${beginByte}`);
        }
        skipSpaces();
        if (text[i] !== "=") {
          // The one attribute Telegram accepts without a value.
          if (name === "blockquote" && attrName === "expandable") {
            attrs.set(attrName, "");
            continue;
          }
          fail(`Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${beginByte}`);
        }
        i++;
        skipSpaces();
        if (i >= n) fail(`Unclosed start tag "${name}" at byte offset ${beginByte}`);
        let value = "";
        const quote = text[i];
        if (quote === '"' || quote === "'") {
          i++;
          while (i < n && text[i] !== quote) {
            if (text[i] === "&") {
              const d = decodeEntity(i);
              value += d.value;
              i = d.next;
            } else {
              value += text[i];
              i++;
            }
          }
          if (i >= n) fail(`Unclosed start tag at byte offset ${beginByte}`);
          i++;
        } else {
          const tokenStart = i;
          while (isNameTokenChar(text[i])) i++;
          value = text.slice(tokenStart, i).toLowerCase();
          if (i < n && !isSpace(text[i]) && text[i] !== ">") {
            fail(`Unexpected end of name token at byte offset ${byteAt(tokenStart)}`);
          }
        }
        if (i >= n) fail(`Unclosed start tag at byte offset ${beginByte}`);
        attrs.set(attrName, value);
      }

      if (name === "span" && attrs.get("class") !== "tg-spoiler") {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${beginByte}`);
      }
      if (name === "code" && attrs.has("class") && !/^language-\S*$/.test(attrs.get("class")!)) {
        fail(`Tag "code" may only have a class "language-…" at byte offset ${beginByte}`);
      }
      if (name === "tg-emoji" && !/^[1-9][0-9]{0,19}$/.test(attrs.get("emoji-id") ?? "")) {
        fail("Invalid custom emoji identifier specified");
      }
      const parent = stack[stack.length - 1];
      if (parent) checkNesting(parent, name, beginByte, stack, fail);

      stack.push({ name, attrs, offset: visible.length, byteOffset: beginByte });
      i++; // past ">"
      continue;
    }

    // end tag
    if (stack.length === 0) fail(`Unexpected end tag at byte offset ${beginByte}`);
    i++; // past "/"
    const nameStart = i;
    while (i < n && !isSpace(text[i]) && text[i] !== ">") i++;
    const endName = text.slice(nameStart, i).toLowerCase();
    skipSpaces();
    if (text[i] !== ">") fail(`Unclosed end tag at byte offset ${beginByte}`);
    i++;
    const open = stack.pop()!;
    // `</>` closes whatever is open, as in Telegram.
    if (endName !== "" && endName !== open.name) {
      fail(`Unmatched end tag at byte offset ${beginByte}, expected "</${open.name}>", found "</${endName}>"`);
    }
    closeEntity(open, visible, stack, entities, links);
  }

  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);

  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { visibleText: visible, visibleLength: visible.length, links, entities };
}

function checkNesting(parent: OpenTag, name: string, byteOffset: number, stack: OpenTag[], fail: (message: string) => never): void {
  const codeInPre = parent.name === "pre" && name === "code";
  if (NO_CHILDREN.has(parent.name) && !codeInPre) {
    fail(`Tag "${name}" can't be nested in the tag "${parent.name}" at byte offset ${byteOffset}`);
  }
  if (name === "blockquote" && stack.some((t) => t.name === "blockquote")) {
    fail(`Tag "blockquote" can't be nested in the tag "blockquote" at byte offset ${byteOffset}`);
  }
}

const SIMPLE_TYPES: Record<string, HtmlEntityType> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  span: "spoiler",
  "tg-spoiler": "spoiler",
};

function closeEntity(open: OpenTag, visible: string, stack: OpenTag[], entities: HtmlEntity[], links: HtmlLink[]): void {
  const offset = open.offset;
  const length = visible.length - offset;
  const parent = stack[stack.length - 1];
  if (open.name === "code" && parent?.name === "pre" && open.attrs.has("class")) {
    // <pre><code class="language-x"> is one pre entity with a language.
    parent.language = open.attrs.get("class")!.slice("language-".length);
    return;
  }
  // Telegram creates no entity around empty text.
  if (length <= 0) return;
  const simple = SIMPLE_TYPES[open.name];
  if (simple) {
    entities.push({ type: simple, offset, length });
  } else if (open.name === "a") {
    const linkText = visible.slice(offset);
    // An empty href makes Telegram use the link's own text as the URL.
    const href = open.attrs.get("href") || linkText;
    const url = keptLinkUrl(href);
    links.push({ href: url, text: linkText });
    if (url) entities.push({ type: "text_link", offset, length, url });
  } else if (open.name === "code") {
    entities.push({ type: "code", offset, length });
  } else if (open.name === "pre") {
    entities.push(open.language ? { type: "pre", offset, length, language: open.language } : { type: "pre", offset, length });
  } else if (open.name === "blockquote") {
    entities.push({ type: open.attrs.has("expandable") ? "expandable_blockquote" : "blockquote", offset, length });
  } else if (open.name === "tg-emoji") {
    entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.attrs.get("emoji-id")! });
  }
}
