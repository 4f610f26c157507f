import type { ParsedFeed, RawEntry } from "../news/item.js";

/**
 * The last resort when the XML parser gives up on a document that plainly
 * holds <item>/<entry> elements (one malformed item, a truncated download):
 * read each complete element on its own with patterns, so one bad item costs
 * that item, not the whole feed.
 */

export function hasEntryElements(text: string): boolean {
  return /<(?:[\w.-]+:)?(?:item|entry)[\s>]/.test(text);
}

export function salvageEntries(text: string): ParsedFeed {
  const entries: RawEntry[] = [];
  let firstEntryAt = -1;
  for (const found of elements(text, "item|entry")) {
    if (firstEntryAt < 0) firstEntryAt = found.index;
    const body = found.inner;
    const entry: RawEntry = {};
    const set = (key: keyof RawEntry, value: string | undefined) => {
      if (value !== undefined && value.trim() !== "") entry[key] = value;
    };
    set("guid", element(body, "guid"));
    set("id", element(body, "id"));
    set("link", entryLink(body));
    set("title", element(body, "title"));
    set("content", element(body, "encoded") ?? element(body, "content"));
    set("summary", element(body, "description") ?? element(body, "summary"));
    set("date", element(body, "pubDate") ?? element(body, "date") ?? element(body, "published") ?? element(body, "updated"));
    if (Object.keys(entry).length > 0) entries.push(entry);
  }
  const head = firstEntryAt < 0 ? text : text.slice(0, firstEntryAt);
  const feed: ParsedFeed = { entries };
  const title = element(head, "title");
  if (title) feed.title = title;
  const link = entryLink(head);
  if (link) feed.link = link;
  return feed;
}

interface Found {
  index: number;
  attrs: string;
  inner: string;
}

/**
 * Complete elements whose local name matches `names` ("item|entry"), in
 * document order. Closing tags are found with indexOf, never by a lazy
 * pattern, so hostile input with thousands of unclosed tags stays linear.
 */
function* elements(xml: string, names: string): Generator<Found> {
  const start = new RegExp(`<((?:[\\w.-]+:)?(?:${names}))(?=[\\s>/])([^>]*?)(/?)>`, "g");
  let m: RegExpExecArray | null;
  while ((m = start.exec(xml))) {
    const attrs = m[2] ?? "";
    if (m[3] === "/") {
      yield { index: m.index, attrs, inner: "" };
      continue;
    }
    const close = xml.indexOf(`</${m[1]}`, start.lastIndex);
    // Unclosed here means no later element of this name can close either.
    if (close < 0) return;
    yield { index: m.index, attrs, inner: xml.slice(start.lastIndex, close) };
    start.lastIndex = close;
  }
}

/** Text of the first <name> (any namespace prefix) child: CDATA unwrapped, XML entities decoded. */
function element(xml: string, name: string): string | undefined {
  for (const found of elements(xml, name)) return textOf(found.inner);
  return undefined;
}

function entryLink(xml: string): string | undefined {
  // Atom: <link rel="alternate" href="…"/>; a missing rel means alternate.
  let fallback: string | undefined;
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?link\b([^>]*?)\/?>/g)) {
    const attrs = m[1] ?? "";
    const href = /\bhref\s*=\s*(["'])(.*?)\1/.exec(attrs)?.[2];
    if (!href) continue;
    const rel = /\brel\s*=\s*(["'])(.*?)\1/.exec(attrs)?.[2] ?? "alternate";
    if (rel === "alternate") return decodeXml(href);
    fallback ??= decodeXml(href);
  }
  // RSS: <link>…</link>
  return element(xml, "link") || fallback;
}

function textOf(inner: string): string {
  return inner
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) => (i % 2 === 1 ? part.slice(9, -3) : decodeXml(part)))
    .join("");
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Only XML's own references: HTML names like &nbsp; stay for the normalizer. */
function decodeXml(s: string): string {
  return s.replace(/&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (ref, hex, dec, name) => {
    if (name) return XML_ENTITIES[name as string] ?? ref;
    const cp = hex ? parseInt(hex as string, 16) : parseInt(dec as string, 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ref;
  });
}

export type XhtmlFields = Partial<Record<"title" | "summary" | "content", string>>;

/**
 * For each Atom <entry> in document order, the markup of its type="xhtml"
 * title, summary and content exactly as written. xml2js groups child elements
 * by name, so markup rebuilt from its tree loses the order of mixed text and
 * inline elements ("<p><cite>A</cite>: said</p>" comes back as ": said A").
 */
export function atomXhtmlFields(xml: string): XhtmlFields[] {
  const out: XhtmlFields[] = [];
  for (const entry of elements(xml, "entry")) {
    const fields: XhtmlFields = {};
    for (const name of ["title", "summary", "content"] as const) {
      for (const el of elements(entry.inner, name)) {
        if (el.inner.trim() && /\btype\s*=\s*["']xhtml["']/.test(el.attrs)) fields[name] = el.inner;
        break;
      }
    }
    out.push(fields);
  }
  return out;
}
