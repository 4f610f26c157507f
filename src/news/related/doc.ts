import { sameStoryUrl } from "../url.js";
import { addSignature, segments } from "./signature.js";
import { guessLatinLang, termsOf } from "./tokenize.js";

/** What the ranking needs to know about a story; everything but id and title is optional. */
export interface RelatedDoc {
  id: string;
  title: string;
  description?: string;
  source?: string;
  url?: string;
  /** ISO 8601, or an epoch number (milliseconds, or seconds when below 1e11; a string of digits too); missing or unreadable → no time penalty. */
  published?: string | number;
  /**
   * The language the story is written in (a BCP 47 tag: "en", "ru", "az"),
   * as its source declares it; guessed from the text when missing or when
   * the text's script says otherwise. Stories in different languages are
   * matched by their signatures (signature.ts), not their words.
   */
  lang?: string;
}

/** Description words count less than title words: summaries wander off-story. */
export const TITLE_WEIGHT = 1;
export const DESCRIPTION_WEIGHT = 0.4;

/** The parts of a document that do not depend on any index. */
export interface Analyzed {
  /** stemmed term → raw weight (title and description, before IDF) */
  terms: Map<string, number>;
  /** signature key → raw weight (title and description, before IDF): see signature.ts */
  sig: Map<string, number>;
  /** primary language subtag, declared or guessed: "en", "ru", "az", … */
  lang: string;
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
  if (typeof published === "number") return epochMs(published);
  if (/^\s*\d{9,13}(?:\.\d+)?\s*$/.test(published)) return epochMs(Number(published));
  const t = Date.parse(published);
  return Number.isFinite(t) ? t : undefined;
}

function epochMs(n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  return n < EPOCH_SECONDS_BELOW ? n * 1000 : n;
}

/**
 * An epoch number below this is in seconds (Unix time, as many exports
 * write it), not milliseconds: 1e11 ms is March 1973, 1e11 s the year 5138.
 */
const EPOCH_SECONDS_BELOW = 1e11;

function addTerms(into: Map<string, number>, terms: string[], weight: number): void {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  // Sublinear: a word repeated in one text is not twice the evidence.
  for (const [t, n] of tf) into.set(t, (into.get(t) ?? 0) + weight * (1 + Math.log(n)));
}

/** Cyrillic against Latin letters (basic blocks; enough to tell the scripts apart). */
function cyrillicMostly(text: string): boolean {
  let cyr = 0;
  let lat = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x400 && c <= 0x4ff) cyr++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) lat++;
  }
  return cyr > lat;
}
/** Languages written in Cyrillic among those a feed may declare. */
const CYRILLIC_LANGS = new Set(["ru", "uk", "be", "bg", "kk", "ky", "mk", "sr", "tg", "mn"]);

/**
 * The document's language: its declared tag's primary subtag, unless the
 * text's script contradicts it (a Russian item in a feed declared "en");
 * else a guess — Cyrillic → "ru"; Turkic letters or words → "az" with ə,
 * "tr" without; else "en".
 */
export function docLang(declared: string | undefined, text: string, turkic: boolean): string {
  const cyrillic = cyrillicMostly(text);
  const tag = declared?.trim().toLowerCase().split(/[-_]/)[0];
  if (tag && /^[a-z]{2,3}$/.test(tag) && CYRILLIC_LANGS.has(tag) === cyrillic) return tag;
  if (cyrillic) return "ru";
  // ə is the commonest Azerbaijani letter and not Turkish.
  if (turkic) return /[əƏ]/.test(text) ? "az" : "tr";
  return "en";
}

function signatureOf(into: Map<string, number>, keys: Set<string>, weight: number): void {
  for (const k of keys) into.set(k, (into.get(k) ?? 0) + weight);
}

export function analyze(doc: RelatedDoc): Analyzed {
  const titleSegs = segments(doc.title);
  const descSegs = doc.description ? segments(doc.description) : [];
  const titleWords = titleSegs.map((s) => s.folded).filter(Boolean);
  const descWords = descSegs.map((s) => s.folded).filter(Boolean);
  // One language guess per document, from all its text, so that title and
  // description words are stemmed alike and can meet.
  const text = doc.description ? `${doc.title}\n${doc.description}` : doc.title;
  const latin = guessLatinLang(text, descWords.length ? [...titleWords, ...descWords] : titleWords);
  const titleTerms = termsOf(titleWords, latin);
  const terms = new Map<string, number>();
  addTerms(terms, titleTerms, TITLE_WEIGHT);
  if (descWords.length) addTerms(terms, termsOf(descWords, latin), DESCRIPTION_WEIGHT);
  const turkic = latin === "turkic";
  const sig = new Map<string, number>();
  const titleKeys = new Set<string>();
  addSignature(titleKeys, doc.title, titleSegs, turkic);
  signatureOf(sig, titleKeys, TITLE_WEIGHT);
  if (descSegs.length) {
    const descKeys = new Set<string>();
    addSignature(descKeys, doc.description!, descSegs, turkic);
    signatureOf(sig, descKeys, DESCRIPTION_WEIGHT);
  }
  return {
    terms,
    sig,
    lang: docLang(doc.lang, text, turkic),
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
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.source === b.source &&
    a.url === b.url &&
    a.published === b.published &&
    a.lang === b.lang
  );
}
