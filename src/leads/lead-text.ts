/**
 * Which items need a lead, and the lead itself: the first one or two
 * sentences of an article's main text. Pure.
 */
import type { Fulltext } from "../config.js";
import { endsWell, fitSentences, sentenceEnds, stripBoilerplate, withoutTitle } from "../news/summarize.js";
import type { Extracted } from "./extract.js";

/** A lead is at most this long, like a feed's summary (SUMMARY_MAX). */
export const LEAD_MAX = 300;
/**
 * A summary with fewer letters than this says nothing a reader can use:
 * "Read more", a dateline, "Фото: АПА", a category name. Two short
 * sentences have about 60; the shortest real summaries seen in the
 * shipped sources have over 50.
 */
export const MIN_SUMMARY_LETTERS = 40;

export function letterCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/\p{L}/gu)) n++;
  return n;
}

/**
 * Whether a feed's summary (already cleaned by normalize: markup, "Read
 * more", a repeated title removed) is worth showing: one with fewer than
 * MIN_SUMMARY_LETTERS letters, or one that is just the title again, is not.
 */
export function hasUsableSummary(summary: string, title: string): boolean {
  const text = withoutTitle(stripBoilerplate(summary), title);
  return letterCount(text) >= MIN_SUMMARY_LETTERS;
}

/**
 * Whether an item should have its article's lead fetched: `auto` when its
 * summary is not usable, `always` for every item, `never` for none.
 */
export function wantsLead(mode: Fulltext, item: { summary: string; title: string }): boolean {
  if (mode === "never") return false;
  if (mode === "always") return true;
  return !hasUsableSummary(item.summary, item.title);
}

/**
 * The summary an item gets from its lead: in `auto` the lead replaces a
 * summary that is not usable; in `always` it replaces a shorter one (a
 * feed's one-line teaser gives way to the article's two sentences).
 */
export function withLead(mode: Fulltext, item: { summary: string; title: string }, lead: string): string {
  if (!lead) return item.summary;
  if (mode === "always") return lead.length > item.summary.length ? lead : item.summary;
  return hasUsableSummary(item.summary, item.title) ? item.summary : lead;
}

/**
 * The first one or two sentences of `text`, at most `max` characters: the
 * second only when it fits too; a first sentence longer than `max` is cut
 * between words with "…" (fitSentences).
 */
export function firstSentences(text: string, max = LEAD_MAX, lang?: string, count = 2): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (!t) return "";
  const ends = sentenceEnds(t);
  if (endsWell(t)) ends.push(t.length);
  const fitting = ends.slice(0, count).filter((e) => e <= max);
  const last = fitting.at(-1);
  if (last !== undefined) return t.slice(0, last).trim();
  return fitSentences(t, max, lang);
}

/** A paragraph that can open a lead: boilerplate and a repeated title removed, enough letters left. */
function leadParagraph(text: string, title: string): string {
  const cleaned = withoutTitle(stripBoilerplate(text), title).trim();
  return letterCount(cleaned) >= MIN_SUMMARY_LETTERS ? cleaned : "";
}

/** A whole paragraph ending as a sentence: a stop in place of a trailing separator when it has none. */
function closeParagraph(text: string): string {
  return endsWell(text) ? text : `${text.replace(/[\s,;:—–-]+$/u, "")}.`;
}

/** Paragraphs read for a lead: two sentences never need more. */
const LEAD_TEXT = 2 * LEAD_MAX;

/**
 * An article's lead (≤ LEAD_MAX): its first one or two sentences, read
 * across its first usable paragraphs — bylines, datelines, captions and the
 * headline repeated skipped. A paragraph's end is a sentence's end, so one
 * that has no stop of its own ("BAKU — the storm reached the coast") gets
 * one. The page's own description stands in when no paragraph will do. ""
 * when neither has one.
 */
export function pickLead(page: Extracted, opts: { title: string; lang?: string | undefined }): string {
  const lang = opts.lang ?? page.lang ?? undefined;
  let text = "";
  for (const p of page.paragraphs) {
    if (text.length >= LEAD_TEXT) break;
    const usable = leadParagraph(p, opts.title);
    if (!usable) continue;
    text = text ? `${closeParagraph(text)} ${usable}` : usable;
  }
  // The last paragraph read is whole too: a one-paragraph lead with no stop
  // of its own ends with one, not with the "…" of a cut text. The page's
  // description may be cut by its publisher, so it is left as it is.
  if (text) text = closeParagraph(text);
  else text = leadParagraph(page.excerpt, opts.title);
  return text ? firstSentences(text, LEAD_MAX, lang) : "";
}
