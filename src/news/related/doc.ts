import { sameStoryUrl } from "../url.js";
import { guessLatinLang, termsOf, words } from "./tokenize.js";

/** What the ranking needs to know about a story; everything but id and title is optional. */
export interface RelatedDoc {
  id: string;
  title: string;
  description?: string;
  source?: string;
  url?: string;
  /** ISO 8601 or ms since epoch; missing or unreadable → no time penalty. */
  published?: string | number;
}

/** Description words count less than title words: summaries wander off-story. */
export const TITLE_WEIGHT = 1;
export const DESCRIPTION_WEIGHT = 0.4;

/** The parts of a document that do not depend on any index. */
export interface Analyzed {
  /** stemmed term → raw weight (title and description, before IDF) */
  terms: Map<string, number>;
  time: number | undefined;
  /** lower-cased source name, "" when unknown */
  source: string;
  /** sameStoryUrl(), "" when missing or unusable */
  urlKey: string;
  /**
   * The headline's terms in order: two headlines with the same key are
   * copies of each other (differing only in case, punctuation, stop words
   * or inflection). "" when the headline has no terms.
   */
  copyKey: string;
}

export function docTime(published: string | number | undefined): number | undefined {
  if (published === undefined || published === "") return undefined;
  const t = typeof published === "number" ? published : Date.parse(published);
  return Number.isFinite(t) ? t : undefined;
}

function addTerms(into: Map<string, number>, terms: string[], weight: number): void {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  // Sublinear: a word repeated in one text is not twice the evidence.
  for (const [t, n] of tf) into.set(t, (into.get(t) ?? 0) + weight * (1 + Math.log(n)));
}

export function analyze(doc: RelatedDoc): Analyzed {
  const titleWords = words(doc.title);
  const descWords = doc.description ? words(doc.description) : [];
  // One language guess per document, from all its text, so that title and
  // description words are stemmed alike and can meet.
  const text = doc.description ? `${doc.title}\n${doc.description}` : doc.title;
  const latin = guessLatinLang(text, descWords.length ? [...titleWords, ...descWords] : titleWords);
  const titleTerms = termsOf(titleWords, latin);
  const terms = new Map<string, number>();
  addTerms(terms, titleTerms, TITLE_WEIGHT);
  if (descWords.length) addTerms(terms, termsOf(descWords, latin), DESCRIPTION_WEIGHT);
  return {
    terms,
    time: docTime(doc.published),
    source: (doc.source ?? "").trim().toLowerCase(),
    urlKey: sameStoryUrl(doc.url),
    copyKey: titleTerms.join(" "),
  };
}

/** Multiplier for two stories apart in time: 1 at 0, ½ at one window, ⅓ at two; 1 when a date is missing. */
export function timeFactor(a: number | undefined, b: number | undefined, windowMs: number): number {
  if (a === undefined || b === undefined) return 1;
  return 1 / (1 + Math.abs(a - b) / windowMs);
}

/** True when `b` carries the same fields as `a`, so an analysis of one serves for the other. */
export function sameContent(a: RelatedDoc, b: RelatedDoc): boolean {
  return a.title === b.title && a.description === b.description && a.source === b.source && a.url === b.url && a.published === b.published;
}
