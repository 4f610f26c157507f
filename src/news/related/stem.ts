/**
 * Light stemming: strip a few inflectional endings, then keep a fixed-length
 * prefix. The aim is that the forms a headline uses ("Москвы", "Москве";
 * "Azərbaycanın", "Azərbaycan") meet, not linguistic correctness — a rare
 * false merge costs less than a missed one, because IDF and the similarity
 * floor still have to agree before anything is shown.
 * Every function takes an already folded token (see fold.ts).
 */

/** Stems longer than this are cut: long Russian/Turkic words differ mostly in their tails. */
export const PREFIX_LEN = 6;

/** Shortest stem an ending may leave behind ("матча" → "матч", but "мир" stays). */
const MIN_STEM = 3;

// Longest first, so "ами" wins over "и".
const RU_ENDINGS = [
  "иями",
  "ями",
  "ами",
  "ого",
  "его",
  "ому",
  "ему",
  "ыми",
  "ими",
  "ией",
  "иях",
  "иям",
  "ать",
  "ять",
  "ить",
  "еть",
  "ила",
  "ило",
  "или",
  "ала",
  "ало",
  "али",
  "ела",
  "ели",
  "ой",
  "ей",
  "ый",
  "ий",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ие",
  "ую",
  "юю",
  "ых",
  "их",
  "ым",
  "им",
  "ом",
  "ем",
  "ах",
  "ях",
  "ам",
  "ям",
  "ов",
  "ев",
  "ию",
  "ия",
  "ии",
  "ью",
  "ья",
  "ье",
  "ет",
  "ит",
  "ут",
  "ют",
  "ат",
  "ят",
  "ил",
  "ал",
  "ел",
  "а",
  "я",
  "ы",
  "и",
  "у",
  "ю",
  "е",
  "о",
  "ь",
];

/** Folded Turkish/Azerbaijani case, plural and possessive suffixes (ı→i, ə→e already). */
const TURKIC_SUFFIXES = [
  "larinin",
  "lerinin",
  "larini",
  "lerini",
  "larin",
  "lerin",
  "lari",
  "leri",
  "lar",
  "ler",
  "nin",
  "nun",
  "dan",
  "den",
  "tan",
  "ten",
  "nda",
  "nde",
  "dir",
  "dur",
  "tir",
  "tur",
  "da",
  "de",
  "ta",
  "te",
  "in",
  "un",
  "ya",
  "ye",
  "na",
  "ne",
  "si",
  "su",
  "a",
  "e",
  "i",
  "u",
];

function stripLongest(word: string, endings: readonly string[]): string {
  for (const e of endings) {
    if (word.length - e.length >= MIN_STEM && word.endsWith(e)) return word.slice(0, -e.length);
  }
  return word;
}

export function stemRussian(word: string): string {
  let w = word;
  if (w.length - 2 >= MIN_STEM && (w.endsWith("ся") || w.endsWith("сь"))) w = w.slice(0, -2);
  return stripLongest(w, RU_ENDINGS).slice(0, PREFIX_LEN);
}

/** Agglutinative: suffixes stack ("Bakı-da-kı", "futbolçu-lar-ın"), so strip up to three. */
export function stemTurkic(word: string): string {
  let w = word;
  for (let i = 0; i < 3; i++) {
    const next = stripLongest(w, TURKIC_SUFFIXES);
    if (next === w) break;
    w = next;
  }
  return w.slice(0, PREFIX_LEN);
}

const VOWEL = /[aeiouy]/;

/** Plural/3rd-person -s, -ed, -ing, final -e: enough for "raises/raised/raising" to meet. */
export function stemEnglish(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (/(?:sh|ch|x|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  else if (w.endsWith("ing") && VOWEL.test(w.slice(0, -3)) && w.length - 3 >= 4) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && VOWEL.test(w.slice(0, -2)) && w.length - 2 >= 4) w = undouble(w.slice(0, -2));
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([bdfgklmnprtz])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Which rules the Latin-script words of a document follow. */
export type LatinLang = "en" | "turkic";

const CYRILLIC = /\p{Script=Cyrillic}/u;
const DIGIT = /^\d/;

export function stemToken(token: string, latin: LatinLang): string {
  if (DIGIT.test(token)) return token;
  if (CYRILLIC.test(token)) return stemRussian(token);
  return latin === "turkic" ? stemTurkic(token) : stemEnglish(token);
}
