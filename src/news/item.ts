/**
 * The shapes that flow through the pipeline:
 *   fetch → decode → parse (RawEntry) → normalize (Item) → store → related → compose.
 */

/** One entry as a feed parser saw it: strings as found, nothing cleaned yet. */
export interface RawEntry {
  guid?: string;
  /** Atom <id> */
  id?: string;
  link?: string;
  title?: string;
  /** Full content (content:encoded, Atom content), HTML or text */
  content?: string;
  /** Short description (RSS description, Atom summary), HTML or text */
  summary?: string;
  /** Date string as found (pubDate, dc:date, published, updated) */
  date?: string;
}

export interface ParsedFeed {
  title?: string;
  link?: string;
  entries: RawEntry[];
}

/** A clean news item: every field safe to show as plain text. */
export interface Item {
  /** Stable, globally unique key (source id + identity hash). */
  key: string;
  sourceId: string;
  sourceName: string;
  /** Plain text, no tags or entities, never empty. */
  title: string;
  /** Absolute http(s) URL. */
  link: string;
  /** Plain text, ≤ 300 characters, may be empty. */
  summary: string;
  /** ISO 8601 from the feed, or null when the feed gave none we could read. */
  published: string | null;
  /** When we first saw it (ms since epoch). */
  seenAt: number;
}

/** The time an item is ordered by: its published date unless missing or in the future. */
export function itemTime(item: Pick<Item, "published" | "seenAt">): number {
  if (item.published) {
    const t = Date.parse(item.published);
    if (Number.isFinite(t) && t <= item.seenAt + 5 * 60_000) return t;
  }
  return item.seenAt;
}
