/**
 * Raw feed entries → clean Items: every field plain text or a safe URL.
 * In two steps, so that a poll pays for cleaning text only for entries it
 * has not seen: identifyFeed (links and keys, cheap) and normalizeIdentified
 * (titles, summaries, dates). Pure: the clock (`now`) is passed in.
 */

import { htmlToLine } from "./html-text.js";
import type { Item, ParsedFeed, RawEntry } from "./item.js";
import { identityOf, itemKey, uniqueIdentities } from "./item-key.js";
import { leadTitle, summarize, truncateAtWord } from "./summarize.js";
import { absoluteHttpUrl, resolveHttpUrl } from "./url.js";

export const TITLE_MAX = 250;

export interface NormalizeSource {
  id: string;
  name: string;
  /** The feed's final URL (after redirects): the base for relative links. */
  url: string;
  /** Language tag, for sentence and word boundaries. */
  lang?: string | undefined;
}

/* ------------------------------------------------------------------- dates */

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** Zone names seen in feeds, in minutes east of UTC. IST is India's, the most common in news feeds. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  brt: -180,
  art: -180,
  bst: 60,
  ist: 330,
  cet: 60,
  cest: 120,
  west: 60,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  msd: 240,
  trt: 180,
  azt: 240,
  gst: 240,
  pkt: 300,
  ict: 420,
  wib: 420,
  hkt: 480,
  sgt: 480,
  awst: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
  sast: 120,
  cat: 120,
  eat: 180,
  wat: 60,
};

/** A word that starts a month name ("Jun", "June", "Sept"), as a month index. */
function monthIndex(word: string): number {
  const w = word.toLowerCase();
  if (w.length < 3) return -1;
  return MONTHS.findIndex((m) => m.startsWith(w));
}

/** Minutes east of UTC for "GMT", "+0300", "+03:00", "-5", "UTC+3"; null if unknown; 0 if absent. */
function zoneOffset(zone: string | undefined): number | null {
  if (!zone) return 0;
  const m = /^([a-z]*)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/i.exec(zone.trim());
  if (!m) return null;
  const [, name = "", sign, hh, mm] = m;
  let offset = 0;
  if (name) {
    const named = ZONES[name.toLowerCase()];
    if (named === undefined) return null;
    offset = named;
  }
  if (sign && hh) {
    const h = Number(hh);
    const mins = Number(mm ?? 0);
    if (h > 14 || mins > 59) return null;
    offset += (sign === "-" ? -1 : 1) * (h * 60 + mins);
  }
  return offset;
}

interface DateParts {
  year: number;
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  zone: number;
}

function toTime(p: DateParts): number | null {
  if (p.month < 0 || p.month > 11 || p.day < 1 || p.day > 31) return null;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return null;
  if (p.hour === 24 && (p.minute || p.second)) return null;
  const local = Date.UTC(p.year, p.month, p.day, p.hour, p.minute, Math.min(p.second, 59), p.ms);
  // Date.UTC rolls 31 June over to 1 July; a feed that says 31 June is wrong, not July.
  const check = new Date(Date.UTC(p.year, p.month, p.day));
  if (check.getUTCMonth() !== p.month) return null;
  return local - p.zone * 60_000;
}

const TIME = String.raw`(?:,?\s+(?:at\s+)?(?<h>\d{1,2})[:.](?<mi>\d{2})(?:[:.](?<s>\d{2})(?:[.,]\d+)?)?\s*(?<ampm>[ap]\.?m\.?)?)?`;
const ZONE = String.raw`(?:\s*(?<zone>[+-]\d{1,2}(?::?\d{2})?|[a-z]{1,5}(?:\s*[+-]\d{1,2}(?::?\d{2})?)?))?`;
const WEEKDAY = String.raw`(?:(?<dow>[a-z]{3,9})\.?,?\s+)?`;

/** "Tue, 10 Jun 2003 04:00:00 GMT" and its relatives (RFC 822/1123/2822, with slips). */
const RFC822 = new RegExp(
  String.raw`^${WEEKDAY}(?<day>\d{1,2})(?:st|nd|rd|th)?[\s-]+(?<mon>[a-z]{3,9})\.?,?[\s-]+(?<year>\d{4}|\d{2})${TIME}${ZONE}$`,
  "i",
);
/** "Tue Jun 10 2003 04:00:00 GMT+0000", "June 10, 2003 4:00 PM EST". */
const MONTH_FIRST = new RegExp(
  String.raw`^${WEEKDAY}(?<mon>[a-z]{3,9})\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<year>\d{4})${TIME}${ZONE}$`,
  "i",
);
/** "2003-06-03T09:39:21Z", "2003-06-03 09:39+03:00", "2003-06-03". */
const ISO =
  /^(?<year>\d{4})-(?<mon>\d{1,2})-(?<day>\d{1,2})(?:[T\s]+(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?<frac>[.,]\d+)?)?)?\s*(?<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

function numberOr(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : Number(text);
}

function hour24(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  if (h < 1 || h > 12) return 99; // "13:00 PM" is not a time
  const pm = ampm.toLowerCase().startsWith("p");
  return (h % 12) + (pm ? 12 : 0);
}

/** Clean a date string: runs of spaces, and a trailing "(Coordinated Universal Time)" comment. */
function tidyDate(raw: string): string {
  return raw
    .replace(/\s+/g, " ")
    .replace(/\s*\([^)]*\)\s*$/, "")
    .trim();
}

/**
 * A feed's date string → ISO 8601 (toISOString), or null. Reads RFC 822
 * (`Tue, 10 Jun 2003 04:00:00 GMT`, any case, with or without weekday or
 * seconds, `+0300` / `EDT` / `MSK` zones) and ISO 8601
 * (`2003-06-03T09:39:21Z`, `+03:00`, date only). A date without a zone is
 * taken as UTC: the publisher's zone is unknowable, and an error of hours is
 * better than no date. Dates before 1995 or more than two days after `now`
 * are absurd for news and count as missing.
 */
export function parseFeedDate(raw: string | undefined, now: number): string | null {
  if (typeof raw !== "string") return null;
  const text = tidyDate(raw);
  if (!text || text.length > 100) return null;

  let parts: DateParts | null = null;
  const iso = ISO.exec(text)?.groups;
  if (iso) {
    const zone = zoneOffset(iso.zone);
    if (zone === null) return null;
    parts = {
      year: Number(iso.year),
      month: Number(iso.mon) - 1,
      day: Number(iso.day),
      hour: numberOr(iso.h, 0),
      minute: numberOr(iso.mi, 0),
      second: numberOr(iso.s, 0),
      ms: iso.frac ? Math.floor(Number(`0.${iso.frac.slice(1)}`) * 1000) : 0,
      zone,
    };
  } else {
    const g = (RFC822.exec(text) ?? MONTH_FIRST.exec(text))?.groups;
    if (!g?.mon || !g.day || !g.year) return null;
    if (g.dow && !WEEKDAYS.some((d) => d.startsWith(g.dow!.toLowerCase()))) return null;
    const zone = zoneOffset(g.zone);
    if (zone === null) return null;
    let year = Number(g.year);
    if (g.year.length === 2) year += year < 70 ? 2000 : 1900;
    parts = {
      year,
      month: monthIndex(g.mon),
      day: Number(g.day),
      hour: hour24(numberOr(g.h, 0), g.ampm),
      minute: numberOr(g.mi, 0),
      second: numberOr(g.s, 0),
      ms: 0,
      zone,
    };
  }

  const time = toTime(parts);
  if (time === null || !Number.isFinite(time)) return null;
  if (time < Date.UTC(1995, 0, 1) || time > now + 2 * 24 * 3600_000) return null;
  return new Date(time).toISOString();
}

/* ------------------------------------------------------------------- items */

/** Fields a misbehaving parser hands over as objects or numbers count as missing. */
function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Last-resort title: the link as a reader would say it, "example.com/news/storm-hits". */
function linkTitle(link: string): string {
  const url = new URL(link);
  let path = url.pathname.replace(/\/+$/, "");
  try {
    path = decodeURIComponent(path);
  } catch {
    // a malformed escape: show the path as it is
  }
  return truncateAtWord(`${url.hostname.replace(/^www\./, "")}${path}`, 100);
}

/** What a reader sees of an entry: the costly part of normalizing it (summarize). */
interface EntryText {
  title: string;
  summary: string;
}

/**
 * The link decides: an entry we cannot link to is not deliverable, while a
 * link alone is still news. So the title falls back to the summary's first
 * sentence or words, then to the link's host and path, and is never empty
 * or "(untitled)".
 */
function entryText(entry: RawEntry, link: string, lang: string | undefined): EntryText {
  const fullTitle = htmlToLine(str(entry.title));
  let summary = summarize(str(entry.summary), { title: fullTitle, lang }) || summarize(str(entry.content), { title: fullTitle, lang });
  let title = fullTitle ? truncateAtWord(fullTitle, TITLE_MAX, lang) : "";
  if (!title && summary) {
    const lead = leadTitle(summary, lang);
    // The whole summary became the title: an ellipsis summarize() ended it with is not part of a headline.
    title = lead.rest ? lead.title : lead.title.replace(/\s*…$/u, "");
    summary = lead.rest;
  }
  if (!title) title = linkTitle(link);
  return { title, summary };
}

/**
 * An entry's link and identity, or null when it has no usable link. Cheap:
 * a URL parse or two and no text cleaning. Every entry kept has a link, so
 * identityOf never falls through to title and summary: the identity needs
 * none of the costly text.
 */
function entryIdentity(entry: RawEntry, base: string): { link: string; identity: string } | null {
  const guid = str(entry.guid);
  const atomId = str(entry.id);
  // A missing or unusable link falls back to a guid/id that is itself a URL (RSS permalinks).
  const link = resolveHttpUrl(str(entry.link), base) ?? absoluteHttpUrl(guid) ?? absoluteHttpUrl(atomId);
  if (!link) return null;
  return { link, identity: identityOf({ guid, id: atomId, link }) };
}

/** An entry with a usable link and its key, its text not cleaned yet. */
export interface IdentifiedEntry {
  key: string;
  /** the absolute http(s) link the item will have */
  link: string;
  raw: RawEntry;
  /** already worked out when telling apart entries that share an identity needed the title */
  text?: EntryText;
}

/**
 * A parsed feed → its entries' keys, in feed order, without cleaning their
 * text: what a poll needs to ask which entries are new. `dropped` counts
 * entries left out for having no usable link; exact repeats of an entry
 * collapse into one and are not counted.
 *
 * Telling apart entries that share an identity (uniqueIdentities) compares
 * their display titles, so those — and only those, rare in real feeds — get
 * their text worked out here.
 */
export function identifyFeed(feed: ParsedFeed, source: NormalizeSource): { entries: IdentifiedEntry[]; dropped: number } {
  const found: { at: number; raw: RawEntry; link: string; identity: string }[] = [];
  let dropped = 0;
  for (const raw of feed.entries) {
    const id = entryIdentity(raw, source.url);
    if (id) found.push({ at: found.length, raw, ...id });
    else dropped++;
  }

  const count = new Map<string, number>();
  for (const e of found) count.set(e.identity, (count.get(e.identity) ?? 0) + 1);
  const shared = found
    .filter((e) => count.get(e.identity)! > 1)
    .map((e) => {
      const text = entryText(e.raw, e.link, source.lang);
      return { ...e, text, title: text.title };
    });
  // Groups are independent in uniqueIdentities: entries alone in theirs keep their identity as it is.
  const told = new Map(uniqueIdentities(shared).map((e) => [e.at, e]));

  const entries: IdentifiedEntry[] = [];
  for (const e of found) {
    if (count.get(e.identity) === 1) {
      entries.push({ key: itemKey(source.id, e.identity), link: e.link, raw: e.raw });
      continue;
    }
    const t = told.get(e.at);
    if (t) entries.push({ key: itemKey(source.id, t.identity), link: t.link, raw: t.raw, text: t.text });
    // else: an exact repeat of an earlier entry
  }
  return { entries, dropped };
}

/** Identified entries → clean Items: the costly part, for the entries that need it. */
export function normalizeIdentified(entries: IdentifiedEntry[], source: NormalizeSource, now: number): Item[] {
  return entries.map(({ key, link, raw, text }): Item => {
    const { title, summary } = text ?? entryText(raw, link, source.lang);
    return {
      key,
      sourceId: source.id,
      sourceName: source.name,
      title,
      link,
      summary,
      published: parseFeedDate(raw.date, now),
      seenAt: now,
    };
  });
}

/**
 * A parsed feed → its items, in feed order. `dropped` counts entries left
 * out for having no usable link. Exact repeats of an entry inside the
 * document collapse into one item and are not counted as dropped.
 */
export function normalizeFeed(feed: ParsedFeed, source: NormalizeSource, now: number): { items: Item[]; dropped: number } {
  const { entries, dropped } = identifyFeed(feed, source);
  return { items: normalizeIdentified(entries, source, now), dropped };
}
