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

export interface StoryEntry {
  item: Item;
  /** Related stories: other coverage, earlier developments. */
  related: Item[];
  /**
   * Other reports of this same story (other outlets, or the same outlet's
   * update), oldest first, merged into this entry's message.
   */
  also?: Item[];
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

/** The other reports of the story, oldest first as given, without the story itself or repeats. */
function pickAlso(entry: StoryEntry): Item[] {
  return unseen(entry.also ?? [], [entry.item]);
}

/**
 * Up to MAX_RELATED items, other outlets first (their take is what the reader
 * lacks), otherwise in the order given. The item itself, the other reports of
 * the same story (`also`: they are not related, they are this story) and
 * repeats of a link already shown are left out.
 */
function pickRelated(item: Item, related: Item[], also: Item[]): Item[] {
  const unique = unseen(related, [item, ...also]);
  const others = unique.filter((r) => r.sourceId !== item.sourceId);
  const own = unique.filter((r) => r.sourceId === item.sourceId);
  return [...others, ...own].slice(0, MAX_RELATED);
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
    rerender({ ...c, summary: keep >= SUMMARY_MIN ? truncateText(c.summary, keep) : "" });
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

/** The full card for one story, as sent to each subscriber. */
export function composeNews(entry: StoryEntry, opts: FormatOptions): OutgoingMessage {
  const t = textsOf(opts);
  const { item } = entry;
  const also = pickAlso(entry);
  const alsoShown = also.slice(0, MAX_ALSO);
  const related = pickRelated(item, entry.related, also);
  const href = safeHref(item.link);

  const render = (c: Cuttable): string => {
    const lines = [`<b>${linkHtml(item.link, c.title)}</b>`, metaLine(item, opts)];
    if (c.summary) lines.push("", escapeHtml(c.summary));
    if (href) lines.push("", linkHtml(href, t("card-read-more")));
    if (alsoShown.length > 0) {
      lines.push("", `<b>${escapeHtml(t("card-also-heading"))}</b>`);
      alsoShown.forEach((r, i) => {
        // The outlet is the link: it is what a reader scans this list for.
        const day = otherDay(r, item, opts);
        const source = `${linkHtml(r.link, isolate(sourceOf(r)))}${day ? escapeHtml(`, ${day}`) : ""}`;
        lines.push(`• ${source} — ${escapeHtml(isolate(c.also[i] ?? titleOf(r, t)))}`);
      });
      if (also.length > alsoShown.length) lines.push(escapeHtml(t("card-also-more", { count: also.length - alsoShown.length })));
    }
    if (related.length > 0) {
      lines.push("", `<b>${escapeHtml(t("card-related-heading"))}</b>`);
      related.forEach((r, i) => {
        const day = otherDay(r, item, opts);
        const source = `${isolate(sourceOf(r))}${day ? `, ${day}` : ""}`;
        lines.push(`• ${linkHtml(r.link, isolate(c.related[i] ?? titleOf(r, t)))} — ${escapeHtml(source)}`);
      });
    }
    return lines.join("\n");
  };

  const summary = paragraphs(item.summary);
  const text = fit(
    render,
    {
      title: titleOf(item, t),
      // A feed that repeats the title as its description adds nothing.
      summary: summary.toLowerCase() === titleOf(item, t).toLowerCase() ? "" : summary,
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
 * One story in a list: linked bold title, source · time, a one-line teaser, and
 * one "Also:" line of outlets: the other reports of this story first, then related coverage.
 */
function listBlock(entry: StoryEntry, opts: FormatOptions, number: number | null, limit: number, compact = false): string {
  const t = textsOf(opts);
  const { item } = entry;
  const also = pickAlso(entry);
  const alsoShown = also.slice(0, MAX_ALSO);
  const related = pickRelated(item, entry.related, also);
  const outlet = (r: Item) => {
    const day = otherDay(r, item, opts);
    return `${linkHtml(r.link, isolate(sourceOf(r)))}${day ? ` (${escapeHtml(day)})` : ""}`;
  };
  const outlets = [...alsoShown, ...related].map(outlet);
  const more = also.length - alsoShown.length;
  const render = (c: Cuttable): string => {
    const lines = [`${number === null ? "" : `${number}. `}<b>${linkHtml(item.link, c.title)}</b>`, metaLine(item, opts)];
    if (compact) return lines.join("\n");
    if (c.summary) lines.push(escapeHtml(c.summary));
    // The outlets are HTML (links): the text around them is HTML-safe by the rule of cards.ftl.
    if (outlets.length > 0) {
      const list = outlets.join(", ");
      lines.push(more > 0 ? t("digest-also-more", { outlets: list, count: more }) : t("digest-also", { outlets: list }));
    }
    return lines.join("\n");
  };
  const summary = oneLine(item.summary);
  return fit(
    render,
    {
      title: titleOf(item, t),
      summary: summary.toLowerCase() === titleOf(item, t).toLowerCase() ? "" : truncateText(summary, LIST_SUMMARY_MAX),
      related: [],
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

/** "📰 N new stories", bold, with " (i/n)" when the digest has several parts. */
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
 * Several new stories at once, as one message when it fits, else as several,
 * each headed "📰 N new stories (i/n)"; with each part, the keys of its
 * stories and its header numbers, so one part can be re-rendered later.
 * No parts for no stories.
 */
export function composeDigestParts(entries: StoryEntry[], opts: FormatOptions): DigestPart[] {
  if (entries.length === 0) return [];
  const t = textsOf(opts);
  const count = entries.length;
  const packed = pack(
    entries.map((e) => (limit: number) => listBlock(e, opts, null, limit)),
    (part, parts) => digestHeader({ count, part, parts }, t),
  );
  return packed.map(({ message, indices }, i) => ({
    message,
    keys: indices.map((j) => entries[j]!.item.key),
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
  const blocks = entries.map((e) => listBlock(e, opts, null, room));
  const message = listMessage(joinMessage(layout, part, parts, blocks));
  return visibleLength(message.text) <= TELEGRAM_TEXT_LIMIT ? message : null;
}

/** Past this many stories a timeline digest lists headlines only (headline, source · time), so ~25 fit in one message. */
const DIGEST_FULL_MAX = 8;
/** The widest "…and N more" line a timeline digest may end with: its room is kept free in every digest. */
const MORE_MAX = 9_999_999;
function moreLine(n: number, t: Translate): string {
  return escapeHtml(t("digest-more", { count: n }));
}

/**
 * One chat's delivery as one message: "📰 N new stories", the stories in the
 * order given (past DIGEST_FULL_MAX, headlines only: a chat that waited its
 * turn under the flood limits gets all its stories in one message), and
 * "…and M more — /latest" for those not shown (`more`, plus
 * any that do not fit in one message). Pure and deterministic: the same
 * entries and `more` give the same text, so a sent digest can be re-rendered
 * for a same-story edit. Null for no entries.
 */
export function composeTimelineDigest(entries: StoryEntry[], more: number, opts: FormatOptions): OutgoingMessage | null {
  if (entries.length === 0) return null;
  const t = textsOf(opts);
  const total = entries.length + more;
  const header = digestHeader({ count: total, part: 1, parts: 1 }, t);
  const sep = 2;
  const room = TELEGRAM_TEXT_LIMIT - visibleLength(header) - sep - (visibleLength(moreLine(MORE_MAX, t)) + sep);
  const compact = entries.length > DIGEST_FULL_MAX;
  const blocks: string[] = [];
  let used = 0;
  for (const e of entries) {
    const block = listBlock(e, opts, null, room, compact);
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
  // A translation whose "…and N more" is longer for a smaller N (another plural form) than for MORE_MAX.
  while (blocks.length > 1 && visibleLength(text) > TELEGRAM_TEXT_LIMIT) {
    blocks.pop();
    text = render();
  }
  return listMessage(text);
}

/** The /latest answer: a numbered list, newest first as given. */
export function composeLatest(entries: StoryEntry[], opts: FormatOptions): OutgoingMessage[] {
  const t = textsOf(opts);
  if (entries.length === 0) {
    return [{ text: escapeHtml(t("latest-empty")), parse_mode: "HTML", link_preview_options: noPreview() }];
  }
  return pack(
    entries.map((e, i) => (limit: number) => listBlock(e, opts, i + 1, limit)),
    (part, parts) => latestHeader(part, parts, t),
  ).map((p) => p.message);
}

/** "🗞 Latest news", bold, with " (i/n)" when the list has several parts. */
function latestHeader(part: number, parts: number, t: Translate): string {
  const whole = t("latest-header");
  if (parts <= 1) return `<b>${escapeHtml(whole)}</b>`;
  const withPart = t("latest-header-part", { part, parts });
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
