import { foldSegment } from "./fold.js";
import { type LatinLang, stemToken } from "./stem.js";
import { isStopWord } from "./stopwords.js";

// Locale-independent on purpose: one feed mixes languages, and ICU's word
// rules for Latin, Cyrillic and digits do not depend on the locale.
const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** The word-like segments of `text`, folded (case, diacritics, apostrophe suffixes); numbers kept. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue;
    const w = foldSegment(s.segment);
    if (w) out.push(w);
  }
  return out;
}

/** Letters that only Turkish/Azerbaijani (among the languages we expect) use. */
const TURKIC_LETTERS = /[əƏıİğĞşŞ]/;
const TURKIC_HINTS = new Set(["ve", "ile", "bir", "ucun", "icin", "olan", "olub", "olarak", "edib", "oldu", "daha", "cox", "cok", "gore"]);
const ENGLISH_HINTS = new Set(["the", "of", "and", "to", "in", "for", "on", "with", "is", "at", "by", "from", "as"]);

/**
 * Whether the Latin-script words of a document are Turkish/Azerbaijani or
 * English-like. Decided once per document, so every word of it is stemmed
 * by the same rules.
 */
export function guessLatinLang(text: string, folded: readonly string[] = words(text)): LatinLang {
  if (TURKIC_LETTERS.test(text)) return "turkic";
  let turkic = 0;
  let english = 0;
  for (const w of folded) {
    if (TURKIC_HINTS.has(w)) turkic++;
    else if (ENGLISH_HINTS.has(w)) english++;
  }
  return turkic > english ? "turkic" : "en";
}

/** Folded words minus stop words and stray letters, then stemmed: what the index matches on. */
export function termsOf(folded: readonly string[], latin: LatinLang): string[] {
  const out: string[] = [];
  for (const w of folded) {
    if (isStopWord(w)) continue;
    if (w.length < 2 && !/\d/.test(w)) continue;
    out.push(stemToken(w, latin));
  }
  return out;
}

/** Convenience for one text: words → language → terms. */
export function tokenize(text: string, latin?: LatinLang): string[] {
  const folded = words(text);
  return termsOf(folded, latin ?? guessLatinLang(text, folded));
}
