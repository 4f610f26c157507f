/**
 * Folding for matching, not for display: two spellings a reader would call the
 * same word must fold to the same string.
 */

/** Letters NFKD leaves whole but readers treat as variants of a base letter. */
const LETTER_MAP: Record<string, string> = {
  ı: "i", // Turkish/Azerbaijani dotless i: "Bakı" is also written "Baki"
  ə: "e", // Azerbaijani schwa: "Azərbaycan" is also written "Azerbaycan"
  ә: "е", // the same letter in Cyrillic-script Azerbaijani/Kazakh
  ß: "ss",
  ł: "l",
  ø: "o",
  æ: "ae",
  œ: "oe",
  đ: "d",
  ħ: "h",
  ŧ: "t",
};

const COMBINING = /\p{M}/gu;
const ASCII = /^[\x00-\x7f]*$/;
const APOSTROPHES = /['’ʼ`´]/;

/**
 * Lower-cases without a locale (so "I" is "i" everywhere), folds Turkish
 * İ/ı to "i", strips diacritics, and turns ё into е — but keeps й, which in
 * Russian is a different letter, not an accented и ("мой" ≠ "мои").
 */
export function foldWord(word: string): string {
  if (ASCII.test(word)) return word.toLowerCase();
  let out = "";
  for (const ch of word.toLowerCase()) {
    if (ch === "й") {
      out += ch;
      continue;
    }
    const mapped = LETTER_MAP[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    // "İ".toLowerCase() is "i" + U+0307; the dot goes with the other marks here.
    out += ch.normalize("NFKD").replace(COMBINING, "");
  }
  return out;
}

/**
 * One word-like segment → the folded token, or "" when nothing is left.
 * Apostrophes: a short tail is a suffix ("Fed's", "İstanbul'da", "Bakı'nın")
 * and is dropped; a long one is part of a name ("O'Connell") and is joined.
 */
export function foldSegment(segment: string): string {
  const m = APOSTROPHES.exec(segment);
  let s = segment;
  if (m) {
    const head = segment.slice(0, m.index);
    const tail = segment.slice(m.index + 1).replace(new RegExp(APOSTROPHES.source, "g"), "");
    s = tail.length <= 4 && head.length > 1 ? head : head + tail;
  }
  const folded = foldWord(s);
  if (/^\d[\d.,]*\d$/.test(folded)) return foldNumber(folded);
  // "U.S." → "us"; dots inside words only separate letters of an abbreviation.
  return folded.replace(/\./g, "");
}

/** "1,000" and "1000" are one number; "6,2" (Russian decimal comma) is "6.2". */
function foldNumber(n: string): string {
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(n)) return n.replace(/,/g, "");
  if (/^\d{1,3}(\.\d{3}){2,}$/.test(n)) return n.replace(/\./g, ""); // "1.000.000"
  return n.replace(/,/g, ".");
}
