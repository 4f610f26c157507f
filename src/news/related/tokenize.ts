import { foldSegment } from "./fold.js";
import { type LatinLang, stemToken } from "./stem.js";
import { isStopWord } from "./stopwords.js";

// Locale-independent on purpose: one feed mixes languages, and ICU's word
// rules for Latin, Cyrillic and digits do not depend on the locale.
const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/*
 * ICU's word rules (Unicode UAX #29 as Intl.Segmenter applies them) for the
 * scripts that separate words with spaces, as one regular expression: runs
 * of letters, marks, digits and "_" (format characters inside, but not
 * U+200B, which breaks), joined across ' . ’ : · between letters and
 * , ; . ’ between digits — "U.S", "O'Connell", "16,5", "4.25" are one word,
 * "3:1" and "e-mail" two. Six times faster than Intl.Segmenter, which was
 * half the cost of adding a story to the related index; on every headline
 * and summary of the dev set, both fixtures and bench:related's 20,000
 * stories (36,702 texts) the two give the same words at the same places.
 * Texts in scripts that need a dictionary to find words (Chinese, Japanese,
 * Thai, …) or with Hebrew's quote rules go to Intl.Segmenter.
 */
const MID_LETTER = ":·\u0387\u05F4\u2027\uFE13\uFE55\uFF1A";
const MID_NUM_LET = ".'\u2018\u2019\u2024\uFE52\uFF07\uFF0E";
const MID_NUM = ",;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044\uFE50\uFE54\uFF0C\uFF1B";
const WORD_CHAR = "[\\p{L}\\p{M}\\p{Nd}_]";
const WORD_TAIL = "(?:[\\p{L}\\p{M}\\p{Nd}_]|(?!\\u200B)\\p{Cf})*";
const WORD = new RegExp(
  `${WORD_CHAR}${WORD_TAIL}(?:(?:(?<=[\\p{L}\\p{M}])[${MID_LETTER}${MID_NUM_LET}](?=[\\p{L}\\p{M}])|(?<=\\p{Nd})[${MID_NUM}${MID_NUM_LET}](?=\\p{Nd}))${WORD_CHAR}${WORD_TAIL})*`,
  "gu",
);
const NEEDS_ICU =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Hebrew}]/u;

/** Calls `each` with every word-like segment of `text` and where it starts, as Intl.Segmenter finds them. */
export function eachWord(text: string, each: (segment: string, index: number) => void): void {
  if (NEEDS_ICU.test(text)) {
    for (const s of segmenter.segment(text)) if (s.isWordLike) each(s.segment, s.index);
    return;
  }
  for (const m of text.matchAll(WORD)) each(m[0], m.index);
}

/** The word-like segments of `text`, folded (case, diacritics, apostrophe suffixes); numbers kept. */
export function words(text: string): string[] {
  const out: string[] = [];
  eachWord(text, (segment) => {
    const w = foldSegment(segment);
    if (w) out.push(w);
  });
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
