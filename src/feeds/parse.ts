import Parser from "rss-parser";
import type { ParsedFeed, RawEntry } from "../news/item.js";
import { capEntries, capXmlEntries, FEED_ENTRY_CAP } from "./entry-cap.js";
import { FeedError, type FeedErrorParams } from "./errors.js";
import { parseJsonFeed } from "./json-feed.js";
import { escapeNamedEntities, repairXml } from "./repair.js";
import { atomXhtmlFields, hasEntryElements, salvageEntries } from "./salvage.js";
import { refuseText, rootElement } from "./sniff.js";

/**
 * Text → ParsedFeed. rss-parser does the reading; this module chooses which
 * of its fields mean what (they differ between RSS and Atom), keeps raw date
 * strings, and copes with the documents it cannot read.
 */

const ATOM_NS = "http://www.w3.org/2005/Atom";

/** Extra raw fields we ask rss-parser to copy: names are ours, values as xml2js gives them. */
interface Extra {
  links?: unknown;
  atomPublished?: unknown;
  atomUpdated?: unknown;
  dcDate?: unknown;
}

type Format = "rss" | "atom";

export interface ReadOptions {
  /** entries read at most, the newest (FEED_ENTRY_CAP) */
  maxEntries?: number;
  /** for reading entry dates (default Date.now()) */
  now?: number;
}

/** A feed as read: its newest entries (at most the cap), and how many more it listed. */
export interface FeedRead {
  feed: ParsedFeed;
  /** entries past the cap, counted and not read */
  entriesOverCap: number;
}

export async function parseFeedText(text: string, sourceId: string, opts: ReadOptions = {}): Promise<ParsedFeed> {
  return (await readFeedText(text, sourceId, opts)).feed;
}

/**
 * Text → the feed's newest entries. An XML document with more entries than
 * the cap is cut down to its newest before the parser builds an object for
 * any of them (entry-cap.ts); what other paths find (JSON Feed, salvage) is
 * capped by the same rule after parsing.
 */
export async function readFeedText(text: string, sourceId: string, opts: ReadOptions = {}): Promise<FeedRead> {
  const cap = opts.maxEntries ?? FEED_ENTRY_CAP;
  const now = opts.now ?? Date.now();
  const fail = (kind: FeedError["kind"], reason: string, params: FeedErrorParams, cause?: unknown) =>
    new FeedError(sourceId, kind, reason, params, { cause });

  const refusal = refuseText(text);
  if (refusal) throw fail(refusal.kind, refusal.reason, refusal.params);

  if (/^[\s\uFEFF]*[[{]/.test(text)) {
    const r = parseJsonFeed(text.replace(/^[\s\uFEFF]+/, ""));
    if (!r.ok) throw fail("not-a-feed", r.reason, { detail: r.detail });
    return capped(r.feed, 0, cap, now);
  }

  // Cut before repairing, so the repairs copy only what is kept.
  const cut = capXmlEntries(text, cap, now);
  const xml = repairXml(cut.xml);
  const root = rootElement(xml);
  if (!root) {
    throw xml.startsWith("<")
      ? fail("not-a-feed", "not a feed (no XML root element)", { detail: "no-root" })
      : fail("not-a-feed", "not a feed (plain text)", { detail: "plain-text" });
  }
  const local = root.slice(root.indexOf(":") + 1);
  if (/^(?:html|head|body)$/i.test(local)) throw fail("not-a-feed", "not a feed (HTML page)", { detail: "html" });
  if (local !== "rss" && local !== "feed" && local !== "RDF") {
    throw fail("not-a-feed", `not a feed (XML root <${root}>)`, { detail: "xml-root", root });
  }
  const format: Format = local === "feed" ? "atom" : "rss";

  let parsed: ParsedFeed | undefined;
  let error: unknown;
  try {
    parsed = await readWithRssParser(xml, format);
  } catch (err) {
    error = err;
    // sax knows HTML's named entities but not every name feeds invent.
    if (/Invalid character entity/.test(messageOf(err))) {
      try {
        parsed = await readWithRssParser(escapeNamedEntities(xml), format);
        error = undefined;
      } catch {
        // keep the first, more telling error
      }
    }
  }

  if (parsed && (parsed.entries.length > 0 || !hasEntryElements(xml))) return capped(parsed, cut.omitted, cap, now);

  const salvaged = salvageEntries(xml);
  if (salvaged.entries.length > 0) {
    const feed = { ...salvaged, ...(parsed?.title ? { title: parsed.title } : {}), ...(parsed?.link ? { link: parsed.link } : {}) };
    return capped(feed, cut.omitted, cap, now);
  }
  if (parsed) return capped(parsed, cut.omitted, cap, now);
  const why = describeParseError(error);
  throw fail("parse", why.reason, why.params, error);
}

/** The cap once more on what was parsed: JSON Feed, and salvage, which may count elements the cut did not. */
function capped(feed: ParsedFeed, omitted: number, cap: number, now: number): FeedRead {
  const c = capEntries(feed.entries, cap, now);
  return { feed: c.omitted ? { ...feed, entries: c.entries } : feed, entriesOverCap: omitted + c.omitted };
}

async function readWithRssParser(xml: string, format: Format): Promise<ParsedFeed> {
  const parser = new Parser<Record<string, unknown>, Extra>({
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [tagNames(format === "atom" ? atomPrefixes(xml) : new Set())] },
    customFields: {
      // rss-parser's types allow only plain names here, but it copies [from, to, options] for the feed too
      feed: [["link", "links", { keepArray: true }]] as unknown as string[],
      item: [
        ["link", "links", { keepArray: true }],
        ["x-published", "atomPublished"],
        ["x-updated", "atomUpdated"],
        ["dc:date", "dcDate"],
      ],
    },
  });
  const out = await parser.parseString(xml);
  const entries = out.items.map((item) => toRawEntry(item as Item, format));
  if (format === "atom" && /\btype\s*=\s*["']xhtml["']/.test(xml)) {
    const xhtml = atomXhtmlFields(xml);
    // Only when the two readings agree on which entry is which.
    if (xhtml.length === entries.length) for (const [i, e] of entries.entries()) Object.assign(e, xhtml[i]);
  }
  const feed: ParsedFeed = { entries };
  const title = asText(out.title);
  if (title) feed.title = title;
  const link = format === "atom" ? (atomLink(out.links) ?? asText(out.link)) : asText(out.link);
  if (link) feed.link = link;
  return feed;
}

/**
 * Renames elements before rss-parser sees them: Atom's published/updated, so
 * rss-parser does not convert them itself (it throws on an unreadable date,
 * losing the whole feed), and Atom elements under a prefix (<a:entry>), which
 * it would not recognise.
 */
function tagNames(atomPrefixes: Set<string>): (name: string) => string {
  return (name) => {
    const colon = name.indexOf(":");
    let local = name;
    if (colon > 0 && atomPrefixes.has(name.slice(0, colon))) local = name.slice(colon + 1);
    if (local === "published" || local === "updated") return `x-${local}`;
    return local;
  };
}

function atomPrefixes(xml: string): Set<string> {
  const out = new Set<string>();
  for (const m of xml.matchAll(/xmlns:([\w.-]+)\s*=\s*(["'])([^"']*)\2/g)) if (m[3] === ATOM_NS) out.add(m[1]!);
  return out;
}

type Item = Parser.Item &
  Extra & {
    id?: unknown;
    "content:encoded"?: unknown;
    "rdf:about"?: unknown;
    date?: unknown;
    summary?: unknown;
  };

function toRawEntry(item: Item, format: Format): RawEntry {
  const e: RawEntry = {};
  const set = (key: keyof RawEntry, value: unknown) => {
    const text = asText(value);
    if (text) e[key] = text;
  };
  set("guid", item.guid);
  set("title", item.title);
  if (format === "atom") {
    set("id", item.id);
    set("link", atomLink(item.links) ?? item.link);
    // rss-parser: Atom <content> → content, <summary> → summary
    set("content", item.content);
    set("summary", item.summary);
    set("date", firstText(item.atomPublished, item.atomUpdated, item.dcDate));
  } else {
    set("id", item["rdf:about"]);
    set("link", item.link);
    // rss-parser puts RSS <description> in `content`; content:encoded is the full text.
    set("content", item["content:encoded"]);
    set("summary", firstText(item.content, item.summary));
    set("date", firstText(item.pubDate, item.dcDate, item.date, item.atomPublished, item.atomUpdated));
  }
  return e;
}

/** rel="alternate" (the default when rel is missing), HTML first; else the first link at all. */
function atomLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  const all = links.map((l) => {
    const a = (isRecord(l) && isRecord(l.$) ? l.$ : {}) as Record<string, unknown>;
    return {
      href: typeof a.href === "string" ? a.href : asText(l),
      rel: typeof a.rel === "string" ? a.rel : "alternate",
      type: typeof a.type === "string" ? a.type.toLowerCase() : "",
    };
  });
  const withHref = all.filter((l) => l.href);
  const alternates = withHref.filter((l) => l.rel === "alternate");
  const html = alternates.find((l) => l.type === "" || l.type === "text/html" || l.type === "application/xhtml+xml");
  return (html ?? alternates[0] ?? withHref[0])?.href;
}

function firstText(...values: unknown[]): string | undefined {
  for (const v of values) {
    const t = asText(v);
    if (t) return t;
  }
  return undefined;
}

/**
 * A field's text as xml2js left it: a string, {_: text, $: attrs}, or — for
 * markup such as an xhtml title — nested elements, whose text is joined.
 */
function asText(v: unknown): string | undefined {
  let out: string | undefined;
  if (typeof v === "string") out = v;
  else if (typeof v === "number") out = String(v);
  else if (Array.isArray(v)) out = asText(v[0]);
  else if (isRecord(v)) out = typeof v._ === "string" ? v._ : collectText(v);
  return out !== undefined && out.trim() !== "" ? out : undefined;
}

function collectText(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(collectText).join(" ");
  if (isRecord(v)) {
    return Object.entries(v)
      .filter(([k]) => k !== "$")
      .map(([, x]) => collectText(x))
      .join(" ");
  }
  return "";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** sax: "Unexpected close tag\nLine: 4\nColumn: 8\nChar: >" → "… at line 5, column 8" (sax counts lines from 0). */
function describeParseError(err: unknown): { reason: string; params: FeedErrorParams } {
  const msg = messageOf(err);
  const m = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/.exec(msg);
  if (m) {
    const line = String(Number(m[2]) + 1);
    return {
      reason: `not valid XML: ${m[1]} at line ${line}, column ${m[3]}`,
      params: { detail: "xml", error: m[1]!, line, column: m[3]! },
    };
  }
  if (err instanceof TypeError || err instanceof RangeError) {
    return { reason: `could not read the feed's structure (${msg})`, params: { detail: "structure", error: msg } };
  }
  return { reason: `could not parse the feed (${msg})`, params: { detail: "other", error: msg } };
}
