import type { RawEntry } from "../news/item.js";
import { parseFeedDate } from "../news/normalize.js";

/**
 * Only the newest entries of a feed can be news: a feed read every few
 * minutes has a handful of new ones each time. So a feed is read up to
 * FEED_ENTRY_CAP entries, chosen before any parser builds objects for them,
 * and the rest are counted, not read.
 *
 * 300: the 53 real feeds in ../shared/feeds list at most 60 entries, and the
 * long news feeds we know of (national agencies, portals) 100–200, so no
 * ordinary feed loses anything; a feed would have to publish 300 stories
 * between two polls (5 minutes by default, hours only after failures) for a
 * story to be missed. What it saves: a 10,000-entry feed (~8 MB) was read
 * into 10,000 objects every poll, and when its entries were new, 10,000
 * stories were planned and fanned out (npm run bench:poll, big cases).
 */
export const FEED_ENTRY_CAP = 300;

/**
 * Which entries are the newest `cap`: their indexes in document order (the
 * order kept). Newest by date when the feed dates its entries — an undated
 * entry takes the date of the dated entry before it (else after it), as it
 * stands among them — and by document order (the first ones, where feeds put
 * their newest) when no entry has a date. Ties go to the earlier entry.
 */
export function newestIndexes(times: readonly (number | null)[], cap: number): number[] {
  const n = times.length;
  if (n <= cap) return Array.from({ length: n }, (_, i) => i);
  const firstDated = times.findIndex((t) => t !== null);
  if (firstDated < 0) return Array.from({ length: cap }, (_, i) => i);
  const at = new Float64Array(n);
  let last = times[firstDated]!;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (t !== null && t !== undefined) last = t;
    at[i] = last;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => at[b]! - at[a]! || a - b);
  return order.slice(0, cap).sort((a, b) => a - b);
}

/** A raw date string → ms, with the normalizer's reading (absurd dates, e.g. years ahead, count as none). */
export function entryTime(raw: string | undefined, now: number): number | null {
  const iso = parseFeedDate(raw, now);
  return iso === null ? null : Date.parse(iso);
}

/** Parsed entries capped by the same rule (JSON Feed, salvaged entries): the kept ones and how many were left out. */
export function capEntries(entries: RawEntry[], cap: number, now: number): { entries: RawEntry[]; omitted: number } {
  if (entries.length <= cap) return { entries, omitted: 0 };
  const kept = newestIndexes(
    entries.map((e) => entryTime(e.date, now)),
    cap,
  );
  return { entries: kept.map((i) => entries[i]!), omitted: entries.length - kept.length };
}

export interface CappedXml {
  xml: string;
  /** <item>/<entry> elements found */
  total: number;
  /** of those, left out */
  omitted: number;
}

/**
 * An entry element's start or end, or a section to jump over: "<item" in a
 * CDATA section or a comment is text, not an element. Any prefix counts
 * (<rss:item>, <a:entry>), as in salvage.ts.
 */
const TOKEN = /<!\[CDATA\[|<!--|<(\/?)((?:[\w.-]+:)?(?:item|entry))(?=[\s>/])[^>]*?(\/?)>/g;
/** The date elements an entry is ranked by, as parse.ts reads them. */
const DATE_ELEMENT = /<(?:[\w.-]+:)?(pubDate|published|updated|date)(?=[\s>])[^>]*>\s*(?:<!\[CDATA\[)?([^<\]]{1,100})/g;
const DATE_RANK: Record<string, number> = { pubDate: 0, published: 1, date: 2, updated: 3 };

interface Span {
  start: number;
  end: number;
  time: number | null;
}

/**
 * The document with only its newest `cap` entry elements, everything else as
 * written (the channel, anything between entries, the closing tags), so the
 * parser reads a whole document with fewer entries. Unchanged when it has no
 * more than `cap`. One pass; the text is cut, never parsed, so a 10,000-entry
 * feed costs a scan and one copy of the kept part, not 10,000 objects.
 *
 * An entry left unclosed (a truncated download) ends the scan: it and what
 * follows stay as they are, for the parser or salvage to deal with as before.
 */
export function capXmlEntries(xml: string, cap: number, now: number): CappedXml {
  const spans: Span[] = [];
  TOKEN.lastIndex = 0;
  let open: { name: string; start: number; depth: number } | null = null;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(xml))) {
    const token = m[0];
    if (token === "<![CDATA[" || token === "<!--") {
      const close = xml.indexOf(token === "<!--" ? "-->" : "]]>", TOKEN.lastIndex);
      if (close < 0) break;
      TOKEN.lastIndex = close + 3;
      continue;
    }
    const [, slash, name, selfClosing] = m as unknown as [string, string, string, string];
    if (!open) {
      if (slash) continue; // a stray close tag: left as it is
      if (selfClosing) spans.push({ start: m.index, end: TOKEN.lastIndex, time: null });
      else open = { name, start: m.index, depth: 1 };
      continue;
    }
    if (name !== open.name || selfClosing) continue;
    if (!slash) {
      open.depth++;
      continue;
    }
    if (--open.depth > 0) continue;
    spans.push({ start: open.start, end: TOKEN.lastIndex, time: null });
    open = null;
  }
  if (spans.length <= cap) return { xml, total: spans.length, omitted: 0 };

  for (const s of spans) s.time = spanTime(xml, s, now);
  const kept = newestIndexes(
    spans.map((s) => s.time),
    cap,
  );
  const parts: string[] = [];
  let from = 0;
  let k = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    parts.push(xml.slice(from, s.start));
    if (kept[k] === i) {
      parts.push(xml.slice(s.start, s.end));
      k++;
    }
    from = s.end;
  }
  parts.push(xml.slice(from));
  // join copies into one flat string: no slice of the whole document outlives this call.
  return { xml: parts.join(""), total: spans.length, omitted: spans.length - kept.length };
}

/** The entry's date: pubDate, then published, dc:date, updated — the first each of them found. */
function spanTime(xml: string, s: Span, now: number): number | null {
  const body = xml.slice(s.start, s.end);
  let best: { rank: number; text: string } | null = null;
  DATE_ELEMENT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DATE_ELEMENT.exec(body))) {
    const rank = DATE_RANK[m[1]!]!;
    if (!best || rank < best.rank) best = { rank, text: m[2]! };
    if (rank === 0) break;
  }
  return best ? entryTime(best.text.trim(), now) : null;
}
