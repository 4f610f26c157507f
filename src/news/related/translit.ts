/**
 * Names across scripts: one phonetic key for the spellings a reader would
 * call the same name — Пашинян / Pashinyan / Paşinyan, Алиев / Aliyev /
 * Əliyev, Ильхам / Ilham / İlham, Тбилиси / Tbilisi.
 *
 * Not a transliteration to show anyone: a consonant skeleton. Each letter
 * becomes a sound class; vowels (and y, й, which the three languages spell
 * differently: Алиев / Aliyev) become one placeholder "V"; runs of one class
 * collapse (Məmmədov / Мамедов); a final vowel is dropped, so that case
 * endings that are only a vowel (Пашиняна, Bakıya, Tbilisi/Тбилис-и) meet
 * the bare name. Classes merge what the three languages confuse:
 *   g k q h x kh gh ğ → k  (Russian writes foreign h as г: Гасан / Həsən / Hasan)
 *   s z ts c(ц)      → s  (Zangezur / Зангезур / Zəngəzur)
 *   sh ch zh j dzh ş ç c(az) → j  (Azərbaycan / Азербайджан / Azerbaijan)
 *   f v w ph         → v
 * Irregular renderings (Moscow / Москва, Tehran / Тегеран, Nakhchivan /
 * Нахичевань) differ in more than that and are left to the gazetteer.
 */

/** Which spelling rules a Latin-script word follows: English, or Azerbaijani/Turkish. */
export type Script = "cyrl" | "en" | "turkic";

const CYRILLIC_CLASS: Record<string, string> = {
  а: "V",
  е: "V",
  ё: "V",
  и: "V",
  о: "V",
  у: "V",
  ы: "V",
  э: "V",
  ю: "V",
  я: "V",
  й: "V",
  і: "V",
  ї: "V",
  є: "V",
  ә: "V",
  ө: "V",
  ұ: "V",
  ү: "V",
  б: "b",
  в: "v",
  ф: "v",
  г: "k",
  ґ: "k",
  ғ: "k",
  к: "k",
  қ: "k",
  х: "k",
  һ: "k",
  д: "d",
  т: "t",
  ж: "j",
  ч: "j",
  ш: "j",
  щ: "j",
  з: "s",
  с: "s",
  ц: "s",
  л: "l",
  м: "m",
  н: "n",
  ң: "n",
  п: "p",
  р: "r",
  ъ: "",
  ь: "",
};

/** Latin letters whose class does not depend on the language. */
const LATIN_CLASS: Record<string, string> = {
  a: "V",
  e: "V",
  i: "V",
  o: "V",
  u: "V",
  y: "V",
  ə: "V",
  ı: "V",
  ö: "V",
  ü: "V",
  â: "V",
  î: "V",
  û: "V",
  é: "V",
  è: "V",
  á: "V",
  í: "V",
  ó: "V",
  ú: "V",
  ä: "V",
  b: "b",
  p: "p",
  f: "v",
  v: "v",
  w: "v",
  d: "d",
  t: "t",
  g: "k",
  k: "k",
  q: "k",
  h: "k",
  ğ: "k",
  s: "s",
  z: "s",
  ş: "j",
  ç: "j",
  j: "j",
  l: "l",
  m: "m",
  n: "n",
  r: "r",
};

/** Latin digraphs (checked before single letters), for English-style and Russian-style romanisations. */
const LATIN_DIGRAPHS: [string, string][] = [
  ["shch", "j"],
  ["dzh", "j"],
  ["sch", "j"],
  ["sh", "j"],
  ["ch", "j"],
  ["zh", "j"],
  ["dj", "j"],
  ["kh", "k"],
  ["gh", "k"],
  ["ph", "v"],
  ["th", "t"],
  ["ck", "k"],
  ["ts", "s"],
  ["tz", "s"],
];

function cyrillicClasses(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    // дж is one sound, written j in English and c in Azerbaijani.
    if (ch === "д" && word[i + 1] === "ж") {
      out += "j";
      i++;
      continue;
    }
    out += CYRILLIC_CLASS[ch] ?? "";
  }
  return out;
}

/** Letters a digraph can start with. */
const DIGRAPH_START = new Set(LATIN_DIGRAPHS.map(([dg]) => dg[0]!));

function latinClasses(word: string, script: Script): string {
  let out = "";
  outer: for (let i = 0; i < word.length; i++) {
    if (DIGRAPH_START.has(word[i]!) && i + 1 < word.length)
      for (const [dg, cls] of LATIN_DIGRAPHS) {
        if (word.startsWith(dg, i)) {
          out += cls;
          i += dg.length - 1;
          continue outer;
        }
      }
    const ch = word[i]!;
    if (ch === "c") {
      // Azerbaijani c is English j; English c is s before e/i/y, else k.
      if (script === "turkic") out += "j";
      else out += /[eiy]/.test(word[i + 1] ?? "") ? "s" : "k";
    } else if (ch === "x") {
      // Azerbaijani x is Russian х; English x is "ks".
      out += script === "turkic" ? "k" : "ks";
    } else out += LATIN_CLASS[ch] ?? "";
  }
  return out;
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/**
 * The skeleton of one lower-cased word (case endings already off, see
 * nameStems): "pashinyan", "пашинян" and "paşinyan" all give "pVjVnVn".
 */
export function skeleton(word: string, script: Script): string {
  const lower = word.toLowerCase();
  const classes = CYRILLIC.test(lower) ? cyrillicClasses(lower) : latinClasses(lower.normalize("NFC"), script);
  let out = "";
  for (const c of classes) if (c !== out[out.length - 1]) out += c;
  return out.endsWith("V") ? out.slice(0, -1) : out;
}

/** Consonant symbols in a skeleton: how much of a name it still tells apart. */
export function consonants(skel: string): number {
  let n = 0;
  for (const c of skel) if (c !== "V") n++;
  return n;
}

/**
 * Russian case endings with a consonant in them (vowel-only endings go with
 * the skeleton's final vowel): Пашиняном, Алиевым, Зеленского, Толстой.
 * Longest first. -ов/-ев/-ин are left alone: they end surnames.
 */
const RU_NAME_ENDINGS = ["ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ом", "ем", "ым", "им", "ий", "ый", "ых", "их"];

/**
 * Azerbaijani case endings a name takes without an apostrophe (Bakıda,
 * Paşinyanla, Bakıdakı, Bakının, Əliyevin). Some forms read two ways:
 * "Paşinyanın" is Paşinyan + ın but "Bakının" is Bakı + nın, and "Putin"
 * ends in -in without being a genitive. So a Turkic name gives at most two
 * stems, the likelier first; the other spelling's single stem meets one.
 */
const AZ_CASE = ["dakı", "dəki", "dan", "dən", "tan", "tən", "yla", "ylə", "da", "də", "ta", "tə", "la", "lə"];
/** After a vowel: genitive -nın, accusative -nı (Bakının, Bakını). */
const AZ_AFTER_VOWEL = /[aeəıioöuü](n[ıiuü]n|n[ıiuü])$/;
/** After a consonant, in vowel harmony with the stem: genitive -ın/-in/-un/-ün (Əliyevin, Paşinyanın). */
const AZ_GENITIVE = /[^aeəıioöuü]([ıiuü])n$/;
const HARMONY: Record<string, string> = { ı: "aı", i: "eəi", u: "ou", ü: "öü" };
const AZ_VOWEL_LIST = "aeəıioöuü";
const MIN_NAME_STEM = 3;

function lastVowel(s: string): string | undefined {
  for (let i = s.length - 1; i >= 0; i--) if (AZ_VOWEL_LIST.includes(s[i]!)) return s[i];
  return undefined;
}

function turkicStems(w: string): string[] {
  for (const e of AZ_CASE) if (w.length - e.length >= MIN_NAME_STEM && w.endsWith(e)) return [w.slice(0, -e.length), w];
  const out: string[] = [];
  const v = AZ_AFTER_VOWEL.exec(w);
  if (v && w.length - v[1]!.length >= MIN_NAME_STEM) out.push(w.slice(0, -v[1]!.length));
  const g = AZ_GENITIVE.exec(w);
  if (g && w.length - 2 >= MIN_NAME_STEM) {
    const before = lastVowel(w.slice(0, -2));
    if (before && HARMONY[g[1]!]!.includes(before)) out.push(w.slice(0, -2));
  }
  // Paşinyanın: both readings apply; -an/-ən names (Armenian surnames, -stan)
  // outnumber -a ones among names the gazetteer does not know.
  if (out.length === 2 && /[aə]$/.test(out[0]!)) out.reverse();
  if (out.length === 0) return [w];
  if (out.length === 1) out.push(w);
  return out.slice(0, 2);
}

/**
 * Russian adjectives made from place names keep their capital in official
 * names ("в Билясуварском районе", "Лачинского района"): without the ending
 * and -ск- they meet the place (Билясувар, Лачин). -ский surnames look the
 * same, so such a word gives both readings.
 */
const RU_PLACE_ADJECTIVE = /^(.{4,})(?:ин|ан)?ск$/;

/** A name without its case ending, lower-cased: the part all its forms share (two readings at most, likelier first). */
export function nameStems(word: string, script: Script): string[] {
  const w = word.toLowerCase();
  if (script === "cyrl") {
    let stem = w;
    for (const e of RU_NAME_ENDINGS) {
      if (w.length - e.length >= MIN_NAME_STEM && w.endsWith(e)) {
        stem = w.slice(0, -e.length);
        break;
      }
    }
    // Also -ский surnames (Зеленского → Zelensky): both readings.
    const adj = stem !== w ? RU_PLACE_ADJECTIVE.exec(stem) : null;
    return adj ? [adj[1]!, stem] : [stem];
  }
  return script === "turkic" ? turkicStems(w) : [w];
}

/** Which rules a word follows: Cyrillic by its letters, Latin by the document's language. */
export function scriptOf(word: string, latinTurkic: boolean): Script {
  return CYRILLIC.test(word) ? "cyrl" : latinTurkic ? "turkic" : "en";
}

/** The phonetic keys of a name as written in running text (any case form): nameStems, then skeleton; distinct, likelier first. */
export function nameKeys(word: string, script: Script): string[] {
  const out: string[] = [];
  for (const stem of nameStems(word, script)) {
    const k = skeleton(stem, script);
    if (k && !out.includes(k)) out.push(k);
  }
  return out;
}
