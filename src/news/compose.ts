/**
 * What a subscriber sees: items → Telegram HTML messages.
 *
 * Pure: values in, messages out. Every piece is composed from plain text,
 * escaped last, and measured as Telegram measures it (visible UTF-16 units),
 * so no message is ever refused for length or for broken markup.
 */
import type { LinkPreviewOptions } from "grammy/types";
import type { Source } from "../config.js";
import { english, type Translate } from "../i18n/translator.js";
import { oneLine } from "../text/one-line.js";
import { joinMessage, type PackLayout, packMessages, packRoom } from "../text/pack.js";
import { formatDay, formatTime, sameDay } from "./format-time.js";
import { escapeHtml, linkHtml, safeHref, TELEGRAM_TEXT_LIMIT, truncateText, visibleLength } from "./html.js";
import { type Item, itemTime } from "./item.js";
import { cutAtSentences, endWell, fitSentences } from "./summarize.js";
import { sameStoryUrl } from "./url.js";

export interface OutgoingMessage {
  text: string;
  parse_mode: "HTML";
  link_preview_options: LinkPreviewOptions;
}

export interface FormatOptions {
  /** IANA zone the times are shown in. */
  timezone: string;
  /** ms since epoch: decides whether a date is "today". */
  now: number;
  /** The Intl (BCP 47) tag dates are shown in: "en-GB" by default, "ru-RU", "az-Latn-AZ" (INTL_LOCALE). */
  locale?: string;
  /** The chat's texts (locales/<lang>/cards.ftl); English by default. */
  t?: Translate;
}

/** What an announcement needs of FormatOptions: the texts (and, for symmetry, the Intl tag). */
export type BroadcastOptions = { from?: string } & Pick<FormatOptions, "t" | "locale">;

function textsOf(opts: { t?: Translate } | undefined): Translate {
  return opts?.t ?? english();
}

/**
 * An item as a message shows it. `lang`: the language of its source (BCP 47:
 * "az", "ru", "en-GB"), when the news service knows it — an outlet writing in
 * another language than the story's is marked with it: "APA (az)".
 */
export type Report = Item & { lang?: string };

export interface StoryEntry {
  item: Report;
  /** Related stories: different reports on related events (earlier developments, background). */
  related: Report[];
  /**
   * Other reports of this same story, oldest first, merged into this entry's
   * message; shown as "Also reported by", one line per other outlet (the
   * story's own outlet and repeats of an outlet are left out).
   */
  also?: Report[];
}

/** The numbers in a digest message's header: "📰 {count} new stories ({part}/{parts})". */
export interface DigestHeader {
  /** Stories in the whole digest, not in this part. */
  count: number;
  /** 1-based. */
  part: number;
  parts: number;
}

/** One message of a digest, with what the delivery worker needs to re-render it later. */
export interface DigestPart {
  message: OutgoingMessage;
  /** The keys of the stories in this part, in order. */
  keys: string[];
  header: DigestHeader;
}

const MAX_RELATED = 3;
/** A list entry (/latest, digests) names at most this many related stories, on one line. */
const LIST_RELATED_MAX = 2;
/** A related title in a list is cut to this, so its one line stays short. */
const LIST_RELATED_TITLE_MAX = 90;
/** A card lists this many other reports of the story; beyond, it says how many more. */
const MAX_ALSO = 6;
/** Source names are admin-chosen (≤ 100 by config); the cap also bounds the fixed part of a card. */
const SOURCE_NAME_MAX = 100;
/** Lists show a one-line teaser, not the whole summary. */
const LIST_SUMMARY_MAX = 160;
/** Below this a cut summary says nothing; it is dropped instead. */
const SUMMARY_MIN = 24;
/** A related title is cut no shorter than this, so it still tells which story it is. */
const RELATED_TITLE_MIN = 32;
const BROADCAST_FROM_MAX = 64;
/** Headlines inside another message (the /start greeting) stay short so the greeting does. */
const HEADLINE_MAX = 120;
const SOURCE_DESCRIPTION_MAX = 160;

// A fresh object per message: a caller that adjusts one message must not change the others.
const noPreview = (): LinkPreviewOptions => ({ is_disabled: true });

// Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]|[\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/**
 * In a line that mixes an RTL title with Latin source names and dates, the
 * Unicode bidi algorithm would reorder the separators ("—", "·", ",") and
 * swap the parts around. First-strong isolates keep each part in place.
 */
function isolate(s: string): string {
  return RTL.test(s) ? `\u2068${s}\u2069` : s;
}

/** Keeps the summary's paragraphs, drops the noise around them. */
function paragraphs(s: string): string {
  return s
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+/gu, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function titleOf(item: Item, t: Translate): string {
  return oneLine(item.title) || t("card-untitled");
}

function sourceOf(item: Item): string {
  return truncateText(oneLine(item.sourceName) || item.sourceId, SOURCE_NAME_MAX);
}

function linkId(url: string): string {
  return safeHref(url) ?? url.trim();
}

/** Lower-case words of a headline, short ones and the commonest left out: what tells two headlines of one event alike. */
const TITLE_STOP = new Set(
  "the and for with from after over into says said that this has have will are was were для что как после при это уже üçün ilə sonra daha".split(
    " ",
  ),
);

function titleWords(title: string): Set<string> {
  const words = oneLine(title)
    .normalize("NFKC")
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  // Numbers count whatever their length: "Round 2" is not "Round 3".
  return new Set(words.filter((w) => (w.length > 2 && !TITLE_STOP.has(w)) || /\p{N}/u.test(w)));
}

/**
 * Two headlines of one event, as far as a message can tell without the
 * related index: the same words, or (both of 3 words or more) at least 60 %
 * of their words shared — "Aftershocks expected for a week, agency says" and
 * "Aftershocks expected for a week after the quake" — unless both give
 * numbers and none of them agree. The news service decides
 * same-story groups properly; this only keeps a message from naming one
 * event twice when two of its outlets' reports reach it as separate items.
 */
function sameHeadline(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  let shared = 0;
  let numbers = 0;
  let sharedNumbers = 0;
  for (const w of a) {
    const number = /\p{N}/u.test(w);
    if (number) numbers++;
    if (b.has(w)) {
      shared++;
      if (number) sharedNumbers++;
    }
  }
  // Both give numbers and none agree: "Round 2 of talks" is not "Round 3 of talks".
  if (numbers > 0 && sharedNumbers === 0 && [...b].some((w) => /\p{N}/u.test(w))) return false;
  if (shared === a.size && shared === b.size) return true;
  return Math.min(a.size, b.size) >= 3 && shared / (a.size + b.size - shared) >= 0.6;
}

/**
 * The events a message already names: keys, links (their same-story form,
 * so a tracking parameter does not make a second link) and headlines.
 */
class Listed {
  private readonly keys = new Set<string>();
  private readonly links = new Set<string>();
  private readonly titles: Set<string>[] = [];

  constructor(items: Iterable<Item> = []) {
    for (const i of items) this.add(i);
  }

  add(item: Item): void {
    this.keys.add(item.key);
    this.links.add(linkKey(item.link));
    this.titles.push(titleWords(item.title));
  }

  has(item: Item): boolean {
    if (this.keys.has(item.key) || this.links.has(linkKey(item.link))) return true;
    const words = titleWords(item.title);
    return this.titles.some((t) => sameHeadline(t, words));
  }
}

function linkKey(url: string): string {
  return sameStoryUrl(url) || linkId(url);
}

/**
 * `items` in the order given, less any whose key or link is already among
 * `shown` or earlier in `items`: a reader should never meet the same article twice.
 */
function unseen(items: Item[], shown: Item[]): Item[] {
  const links = new Set(shown.map((s) => linkId(s.link)));
  const keys = new Set(shown.map((s) => s.key));
  const unique: Item[] = [];
  for (const r of items) {
    const id = linkId(r.link);
    if (links.has(id) || keys.has(r.key)) continue;
    links.add(id);
    keys.add(r.key);
    unique.push(r);
  }
  return unique;
}

/** Who published an item, as a reader tells outlets apart: by the name shown. */
function outletKey(item: Item): string {
  return (oneLine(item.sourceName) || item.sourceId).toLocaleLowerCase();
}

/**
 * "Also reported by": the other outlets' reports of the story, oldest first
 * as given, each outlet once (its first report) and never the story's own
 * outlet — an update from the same outlet is this story, not other coverage.
 */
function pickAlso(entry: StoryEntry): Report[] {
  const { item } = entry;
  const outlets = new Set([outletKey(item)]);
  const picked: Report[] = [];
  for (const r of unseen(entry.also ?? [], [item]) as Report[]) {
    const outlet = outletKey(r);
    if (r.sourceId === item.sourceId || outlets.has(outlet)) continue;
    outlets.add(outlet);
    picked.push(r);
  }
  return picked;
}

/**
 * Up to `max` related stories, other outlets first (their take is what the
 * reader lacks), otherwise in the order given, none of an event the message
 * already names (`listed`: the story itself, every report of it, the other
 * entries of a list and the related stories shown before) nor one named
 * twice among them. Those picked join `listed`.
 */
function pickRelated(item: Item, related: Report[], listed: Listed, max: number): Report[] {
  const others = related.filter((r) => r.sourceId !== item.sourceId);
  const own = related.filter((r) => r.sourceId === item.sourceId);
  const picked: Report[] = [];
  for (const r of [...others, ...own]) {
    if (picked.length >= max) break;
    if (listed.has(r)) continue;
    listed.add(r);
    picked.push(r);
  }
  return picked;
}

/** The primary language subtag of a BCP 47 tag, lower-case: "az-Latn-AZ" → "az"; "" for none. */
function primaryLang(tag: string | undefined): string {
  const lang = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return /^[a-z]{2,3}$/.test(lang) ? lang : "";
}

/** "az" for an outlet whose language differs from the story's; "" when they agree or either is unknown. */
function langMark(r: Report, story: Report): string {
  const lang = primaryLang(r.lang);
  const storyLang = primaryLang(story.lang);
  return lang && storyLang && lang !== storyLang ? lang : "";
}

/** Newest first by the time each story shows (ties as given): the order of /latest and of digests, as their headers say. */
function newestFirst(entries: readonly StoryEntry[]): StoryEntry[] {
  return entries
    .map((entry, i) => ({ entry, i, at: itemTime(entry.item) }))
    .sort((a, b) => b.at - a.at || a.i - b.i)
    .map((x) => x.entry);
}

/** "BBC World · 14:05 UTC" */
function metaLine(item: Item, opts: FormatOptions): string {
  return escapeHtml(`${isolate(sourceOf(item))} · ${formatTime(itemTime(item), opts)}`);
}

/** The related (or also-) item's date, when it is not from the same day as the story it accompanies. */
function otherDay(r: Item, item: Item, opts: FormatOptions): string | null {
  const t = itemTime(r);
  return sameDay(t, itemTime(item), opts.timezone) ? null : formatDay(t, opts);
}

/** The parts of a message that may be cut to fit, as plain text. */
interface Cuttable {
  title: string;
  summary: string;
  related: string[];
  /** Titles of the other reports of the story: cut together with the related titles. */
  also: string[];
}

/**
 * One common cap for all `titles`, the largest (not below RELATED_TITLE_MIN)
 * that saves `over` characters: evenly shortened titles read better than one
 * whole and one cut to a stub.
 */
function evenCap(titles: string[], over: number): number {
  const saved = (cap: number) => titles.reduce((sum, t) => sum + Math.max(0, t.length - cap), 0);
  let lo = RELATED_TITLE_MIN;
  let hi = Math.max(...titles.map((t) => t.length));
  if (saved(lo) >= over) {
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (saved(mid) >= over) lo = mid;
      else hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Renders, and while the result is over `limit` visible characters, cuts:
 * the summary first, then related and also-titles, then the headline.
 */
function fit(render: (c: Cuttable) => string, initial: Cuttable, limit: number, what: string): string {
  let c: Cuttable = initial;
  let html = render(c);
  let over = visibleLength(html) - limit;
  const rerender = (next: Cuttable) => {
    c = next;
    html = render(c);
    over = visibleLength(html) - limit;
  };

  if (over > 0 && c.summary) {
    const keep = c.summary.length - over;
    // At a sentence end when one fits, else between words with "…" (fitSentences).
    rerender({ ...c, summary: keep >= SUMMARY_MIN ? fitSentences(c.summary, keep) : "" });
  }
  const titles = [...c.related, ...c.also];
  if (over > 0 && titles.some((t) => t.length > RELATED_TITLE_MIN)) {
    const cap = evenCap(titles, over);
    const cut = (t: string) => truncateText(t, cap);
    rerender({ ...c, related: c.related.map(cut), also: c.also.map(cut) });
  }
  if (over > 0) {
    rerender({ ...c, title: truncateText(c.title, Math.max(2, c.title.length - over)) });
  }
  // Unreachable with the caps above (every other part is bounded); a bug, not bad input.
  if (over > 0) throw new Error(`compose: ${what} is ${over} characters over the limit of ${limit} after cutting`);
  return html;
}

/**
 * The summary as a card shows it: paragraphs kept, nothing when it only
 * repeats the headline, and ending well (endWell) — a summary stored before
 * summarize() ended it, or cut by its publisher, still ends at a sentence end or with "…".
 */
function cardSummary(item: Item, t: Translate): string {
  const summary = paragraphs(item.summary);
  return summary.toLowerCase() === titleOf(item, t).toLowerCase() ? "" : endWell(summary);
}

/** The full card for one story, as sent to each subscriber. */
export function composeNews(entry: StoryEntry, opts: FormatOptions): OutgoingMessage {
  const t = textsOf(opts);
  const { item } = entry;
  const also = pickAlso(entry);
  const alsoShown = also.slice(0, MAX_ALSO);
  // Every report of the story, shown or not (the own outlet's updates too), is this event: none is "related".
  const related = pickRelated(item, entry.related, new Listed([item, ...(entry.also ?? [])]), MAX_RELATED);
  const href = safeHref(item.link);

  const render = (c: Cuttable): string => {
    const lines = [`<b>${linkHtml(item.link, c.title)}</b>`, metaLine(item, opts)];
    if (c.summary) lines.push("", escapeHtml(c.summary));
    if (href) lines.push("", linkHtml(href, t("card-read-more")));
    if (alsoShown.length > 0) {
      lines.push("", `<b>${escapeHtml(t("card-also-heading"))}</b>`);
      alsoShown.forEach((r, i) => {
        // The outlet is the link: it is what a reader scans this list for.
        const lang = langMark(r, item);
        const day = otherDay(r, item, opts);
        const source = `${linkHtml(r.link, isolate(sourceOf(r)))}${escapeHtml(`${lang ? ` (${lang})` : ""}${day ? `, ${day}` : ""}`)}`;
        lines.push(`• ${source} — ${escapeHtml(isolate(c.also[i] ?? titleOf(r, t)))}`);
      });
      if (also.length > alsoShown.length) lines.push(escapeHtml(t("card-also-more", { count: also.length - alsoShown.length })));
    }
    if (related.length > 0) {
      lines.push("", `<b>${escapeHtml(t("card-related-heading"))}</b>`);
      related.forEach((r, i) => {
        const lang = langMark(r, item);
        const day = otherDay(r, item, opts);
        const source = `${isolate(sourceOf(r))}${lang ? ` (${lang})` : ""}${day ? `, ${day}` : ""}`;
        lines.push(`• ${linkHtml(r.link, isolate(c.related[i] ?? titleOf(r, t)))} — ${escapeHtml(source)}`);
      });
    }
    return lines.join("\n");
  };

  const text = fit(
    render,
    {
      title: titleOf(item, t),
      summary: cardSummary(item, t),
      related: related.map((r) => titleOf(r, t)),
      also: alsoShown.map((r) => titleOf(r, t)),
    },
    TELEGRAM_TEXT_LIMIT,
    `news card ${item.key}`,
  );
  return {
    text,
    parse_mode: "HTML",
    link_preview_options: href ? { url: href, prefer_small_media: true } : noPreview(),
  };
}

/**
 * What a list (/latest, a digest) already names, before any entry's related
 * stories: every entry's story and every report of it. Each entry's related
 * stories are then picked against it in the order shown, so no event is
 * named twice in one message.
 */
function listedIn(entries: readonly StoryEntry[]): Listed {
  return new Listed(entries.flatMap((e) => [e.item, ...(e.also ?? [])]));
}

/** One list entry's other reports and related stories, picked against what the list names (`listed`, which grows). */
interface ListPicks {
  also: Report[];
  related: Report[];
}

function listPicks(entries: readonly StoryEntry[]): ListPicks[] {
  const listed = listedIn(entries);
  return entries.map((e) => ({ also: pickAlso(e), related: pickRelated(e.item, e.related, listed, LIST_RELATED_MAX) }));
}

/**
 * One story in a list: linked bold title, source · time, a one-line teaser,
 * "Also reported by: <outlets>" (the other outlets' reports of this story)
 * and, apart, "Related: <title> — <outlet>" for related stories.
 */
function listBlock(
  entry: StoryEntry,
  picks: ListPicks,
  opts: FormatOptions,
  number: number | null,
  limit: number,
  compact = false,
): string {
  const t = textsOf(opts);
  const { item } = entry;
  const { also, related } = picks;
  const alsoShown = also.slice(0, MAX_ALSO);
  /** "(az, 26 Nov)": the outlet's language when it differs from the story's, and its day when not the story's. */
  const aside = (r: Report) => {
    const notes = [langMark(r, item), otherDay(r, item, opts)].filter(Boolean);
    return notes.length ? ` (${notes.join(", ")})` : "";
  };
  const outlets = alsoShown.map((r) => `${linkHtml(r.link, isolate(sourceOf(r)))}${escapeHtml(aside(r))}`);
  const more = also.length - alsoShown.length;
  const render = (c: Cuttable): string => {
    const lines = [`${number === null ? "" : `${number}. `}<b>${linkHtml(item.link, c.title)}</b>`, metaLine(item, opts)];
    if (compact) return lines.join("\n");
    if (c.summary) lines.push(escapeHtml(c.summary));
    // The outlets and stories are HTML (links): the text around them is HTML-safe by the rule of cards.ftl.
    if (outlets.length > 0) {
      const list = outlets.join(", ");
      lines.push(more > 0 ? t("digest-also-more", { outlets: list, count: more }) : t("digest-also", { outlets: list }));
    }
    if (related.length > 0) {
      const stories = related.map(
        (r, i) => `${linkHtml(r.link, isolate(c.related[i] ?? titleOf(r, t)))} — ${escapeHtml(`${isolate(sourceOf(r))}${aside(r)}`)}`,
      );
      lines.push(t("digest-related", { stories: stories.join("; ") }));
    }
    return lines.join("\n");
  };
  const summary = oneLine(item.summary);
  return fit(
    render,
    {
      title: titleOf(item, t),
      // Whole sentences when they fit, else words and "…" (cutAtSentences).
      summary: summary.toLowerCase() === titleOf(item, t).toLowerCase() ? "" : cutAtSentences(summary, LIST_SUMMARY_MAX),
      related: compact ? [] : related.map((r) => truncateText(titleOf(r, t), LIST_RELATED_TITLE_MAX)),
      also: [],
    },
    limit,
    `list entry ${item.key}`,
  );
}

function listMessage(text: string): OutgoingMessage {
  return { text, parse_mode: "HTML", link_preview_options: noPreview() };
}

/**
 * Packs list blocks into as few messages as fit, in order, never splitting a
 * block (src/text/pack.ts); each message with the indices of its blocks.
 * `header(part, parts)` heads every message; its widest form is reserved up front,
 * so every block is rendered for the same room whichever part it lands in.
 */
function pack(
  blocks: ((limit: number) => string)[],
  header: (part: number, parts: number) => string,
): { message: OutgoingMessage; indices: number[] }[] {
  return packMessages(blocks, { header }).map(({ text, indices }) => ({ message: listMessage(text), indices }));
}

/** "📰 N new stories, newest first", bold, with " (i/n)" when the digest has several parts. */
function digestHeader({ count, part, parts }: DigestHeader, t: Translate): string {
  if (parts <= 1) return `<b>${escapeHtml(t("digest-header", { count }))}</b>`;
  // The part numbers stay outside the bold, as the header always showed them.
  const whole = t("digest-header", { count });
  const withPart = t("digest-header-part", { count, part, parts });
  return withPart.startsWith(whole)
    ? `<b>${escapeHtml(whole)}</b>${escapeHtml(withPart.slice(whole.length))}`
    : `<b>${escapeHtml(withPart)}</b>`;
}

/**
 * Several new stories at once, newest first (as the header says), as one
 * message when it fits, else as several, each headed "📰 N new stories,
 * newest first (i/n)"; with each part, the keys of its stories and its
 * header numbers, so one part can be re-rendered later. No event is named
 * twice in the digest. No parts for no stories.
 */
export function composeDigestParts(entries: StoryEntry[], opts: FormatOptions): DigestPart[] {
  if (entries.length === 0) return [];
  const t = textsOf(opts);
  const count = entries.length;
  const ordered = newestFirst(entries);
  const picks = listPicks(ordered);
  const packed = pack(
    ordered.map((e, i) => (limit: number) => listBlock(e, picks[i]!, opts, null, limit)),
    (part, parts) => digestHeader({ count, part, parts }, t),
  );
  return packed.map(({ message, indices }, i) => ({
    message,
    keys: indices.map((j) => ordered[j]!.item.key),
    header: { count, part: i + 1, parts: packed.length },
  }));
}

/** The messages of composeDigestParts. */
export function composeDigest(entries: StoryEntry[], opts: FormatOptions): OutgoingMessage[] {
  return composeDigestParts(entries, opts).map((p) => p.message);
}

/**
 * One digest part again, under the header it was sent with, from its entries
 * as they are now (their also/related lists may have grown): for editing the
 * sent message. Null when they no longer fit in one message (or there are
 * none): the caller sends a new message instead.
 */
export function composeDigestPart(entries: StoryEntry[], header: DigestHeader, opts: FormatOptions): OutgoingMessage | null {
  const { count, part, parts } = header;
  if (!(Number.isInteger(count) && Number.isInteger(part) && Number.isInteger(parts) && part >= 1 && part <= parts && parts <= count)) {
    throw new Error(`composeDigestPart: header ${JSON.stringify(header)} is not one composeDigestParts makes`);
  }
  if (entries.length === 0) return null;
  // The room pack gave every block of the whole digest (its widest header), so
  // unchanged entries render exactly as they were sent.
  const t = textsOf(opts);
  const layout: PackLayout = { header: (p, n) => digestHeader({ count, part: p, parts: n }, t) };
  const room = packRoom(layout, count);
  const ordered = newestFirst(entries);
  const picks = listPicks(ordered);
  const blocks = ordered.map((e, i) => listBlock(e, picks[i]!, opts, null, room));
  const message = listMessage(joinMessage(layout, part, parts, blocks));
  return visibleLength(message.text) <= TELEGRAM_TEXT_LIMIT ? message : null;
}

/** Past this many stories a timeline digest lists headlines only (headline, source · time), so ~25 fit in one message. */
const DIGEST_FULL_MAX = 8;
/** The widest "…and N older stories" line a timeline digest may end with: its room is kept free in every digest. */
const MORE_MAX = 9_999_999;
function moreLine(n: number, t: Translate): string {
  return escapeHtml(t("digest-more", { count: n }));
}

/**
 * One chat's delivery as one message: "📰 N new stories, newest first", the
 * stories newest first by the times they show (past DIGEST_FULL_MAX,
 * headlines only: a chat that waited its turn under the flood limits gets
 * all its stories in one message), and "…and M older stories" for those not
 * shown (`more`, which are older than those given, plus the oldest given
 * that do not fit in one message). Pure and deterministic: the same entries
 * and `more` give the same text, so a sent digest can be re-rendered for a
 * same-story edit. Null for no entries.
 */
export function composeTimelineDigest(entries: StoryEntry[], more: number, opts: FormatOptions): OutgoingMessage | null {
  if (entries.length === 0) return null;
  const t = textsOf(opts);
  const total = entries.length + more;
  const header = digestHeader({ count: total, part: 1, parts: 1 }, t);
  const sep = 2;
  const room = TELEGRAM_TEXT_LIMIT - visibleLength(header) - sep - (visibleLength(moreLine(MORE_MAX, t)) + sep);
  const compact = entries.length > DIGEST_FULL_MAX;
  const ordered = newestFirst(entries);
  const picks = listPicks(ordered);
  const blocks: string[] = [];
  let used = 0;
  for (const [i, e] of ordered.entries()) {
    const block = listBlock(e, picks[i]!, opts, null, room, compact);
    const len = visibleLength(block) + (blocks.length ? sep : 0);
    if (used + len > room) break;
    blocks.push(block);
    used += len;
  }
  const render = () => {
    const hidden = total - blocks.length;
    return [header, ...blocks, ...(hidden > 0 ? [moreLine(hidden, t)] : [])].join("\n\n");
  };
  let text = render();
  // A translation whose "…and N older stories" is longer for a smaller N (another plural form) than for MORE_MAX.
  while (blocks.length > 1 && visibleLength(text) > TELEGRAM_TEXT_LIMIT) {
    blocks.pop();
    text = render();
  }
  return listMessage(text);
}

/**
 * The /latest answer: "🗞 Latest N stories, newest first", then the stories
 * numbered, newest first by the times they show whatever order they come in,
 * each event named once in the whole answer.
 */
export function composeLatest(entries: StoryEntry[], opts: FormatOptions): OutgoingMessage[] {
  const t = textsOf(opts);
  if (entries.length === 0) {
    return [{ text: escapeHtml(t("latest-empty")), parse_mode: "HTML", link_preview_options: noPreview() }];
  }
  const ordered = newestFirst(entries);
  const picks = listPicks(ordered);
  const count = ordered.length;
  return pack(
    ordered.map((e, i) => (limit: number) => listBlock(e, picks[i]!, opts, i + 1, limit)),
    (part, parts) => latestHeader(count, part, parts, t),
  ).map((p) => p.message);
}

/** "🗞 Latest N stories, newest first", bold, with " (i/n)" when the list has several parts. */
function latestHeader(count: number, part: number, parts: number, t: Translate): string {
  const whole = t("latest-header", { count });
  if (parts <= 1) return `<b>${escapeHtml(whole)}</b>`;
  const withPart = t("latest-header-part", { count, part, parts });
  return withPart.startsWith(whole)
    ? `<b>${escapeHtml(whole)}</b>${escapeHtml(withPart.slice(whole.length))}`
    : `<b>${escapeHtml(withPart)}</b>`;
}

/** The 📢 header line (HTML from broadcast.ftl; the sender's name escaped here). */
function broadcastHeader(from: string | undefined, t: Translate): string {
  const name = from ? truncateText(oneLine(from), BROADCAST_FROM_MAX) : "";
  return name ? t("bc-message-from", { name: escapeHtml(isolate(name)) }) : t("bc-announcement");
}

/** How many characters of admin text fit under the broadcast header, for the command to check before sending. */
export function broadcastTextLimit(opts: BroadcastOptions): number {
  return TELEGRAM_TEXT_LIMIT - visibleLength(broadcastHeader(opts.from, textsOf(opts))) - 2;
}

/** An admin's announcement: their text exactly as typed (escaped, never interpreted) under a 📢 header in the chat's language. */
export function composeBroadcast(text: string, opts: BroadcastOptions): OutgoingMessage {
  const body = text.replace(/\r\n?/g, "\n").trim();
  if (!body) throw new Error("composeBroadcast: the announcement text is empty");
  return {
    text: `${broadcastHeader(opts.from, textsOf(opts))}\n\n${escapeHtml(truncateText(body, broadcastTextLimit(opts)))}`,
    parse_mode: "HTML",
    // Unlike news, an announcement's link (if any) is the point: let Telegram preview it.
    link_preview_options: { is_disabled: false },
  };
}

/**
 * "• <linked title> — Source" lines, for embedding in another message (the
 * /start greeting); "" when there are no items. Each title is cut to
 * HEADLINE_MAX, so a handful of these stay far from the length limit.
 */
export function composeHeadlines(items: Item[], opts?: { t?: Translate }): string {
  const t = textsOf(opts);
  return items
    .map(
      (item) => `• ${linkHtml(item.link, isolate(truncateText(titleOf(item, t), HEADLINE_MAX)))} — ${escapeHtml(isolate(sourceOf(item)))}`,
    )
    .join("\n");
}

/** The /sources answer: each enabled source's name and description, "…and N more" past the length limit. */
export function composeSources(sources: Source[], opts?: { t?: Translate }): OutgoingMessage {
  const t = textsOf(opts);
  if (sources.length === 0) {
    return { text: escapeHtml(t("sources-list-empty")), parse_mode: "HTML", link_preview_options: noPreview() };
  }
  // HTML from cards.ftl.
  const header = t("sources-list-header", { count: sources.length });
  const lines = sources.map((s) => {
    const name = escapeHtml(isolate(truncateText(oneLine(s.name), SOURCE_NAME_MAX)));
    const about = s.description ? oneLine(s.description) : "";
    return `• <b>${name}</b>${about ? ` — ${escapeHtml(truncateText(about, SOURCE_DESCRIPTION_MAX))}` : ""}`;
  });
  const moreLine = (n: number) => escapeHtml(t("sources-list-more", { count: n }));
  // Room for the "…and N more" line at its widest number, so adding it (almost) never overflows.
  const room = TELEGRAM_TEXT_LIMIT - visibleLength(header) - 1 - visibleLength(moreLine(sources.length));
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    const len = 1 + visibleLength(line);
    if (used + len > room) break;
    shown.push(line);
    used += len;
  }
  const render = () => {
    const rest = sources.length - shown.length;
    return [header, ...shown, ...(rest > 0 ? [moreLine(rest)] : [])].join("\n");
  };
  let text = render();
  // A plural form for a smaller count may be longer than the one reserved.
  while (shown.length > 0 && visibleLength(text) > TELEGRAM_TEXT_LIMIT) {
    shown.pop();
    text = render();
  }
  return { text, parse_mode: "HTML", link_preview_options: noPreview() };
}
