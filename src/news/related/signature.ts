/**
 * A story's signature: what survives translation. Reuters' "Aliyev,
 * Pashinyan meet in Abu Dhabi on July 10", TASS's "Алиев и Пашинян
 * встретились в Абу-Даби" and APA's "İlham Əliyev və Nikol Paşinyan
 * Əbu-Dabidə görüşüb" share almost no words, but the same keys:
 *
 *   §p:aliyev §p:pashinyan §l:abu-dhabi §t:t-talks §d:07-10
 *
 * Keys, by what they are evidence of (the letter after "§"):
 *   names    p person, o organisation, l place (gazetteer), n any other
 *            name (phonetic key of a capitalised word, see translit.ts)
 *   numbers  # number, d date (day and month)
 *   weak     c country or region, r role (president, minister), t topic
 *            (earthquake, talks), w small number (≤ 10), y year
 * A cross-language match needs names and numbers; the weak keys only add to
 * the similarity (see ranker.ts, same-story.ts).
 */

import { foldSegment } from "./fold.js";
import { type GazetteerKind, lookupName, lowerCaseMayMatch, placeParent } from "./gazetteer.js";
import { isStopWord } from "./stopwords.js";
import { eachWord } from "./tokenize.js";
import { consonants, nameKeys, scriptOf } from "./translit.js";

/** What a key is evidence of: see the module comment. */
export const WEAK_KEY = 0;
export const NAME_KEY = 1;
export const NUMBER_KEY = 2;
export type KeyClass = typeof WEAK_KEY | typeof NAME_KEY | typeof NUMBER_KEY;

const KIND_PREFIX: Record<GazetteerKind, string> = {
  person: "§p:",
  org: "§o:",
  place: "§l:",
  country: "§c:",
  role: "§r:",
  topic: "§t:",
  skip: "",
};

export function keyClass(key: string): KeyClass {
  switch (key[1]) {
    case "p":
    case "o":
    case "n":
    case "l":
      return NAME_KEY;
    case "#":
    case "d":
      return NUMBER_KEY;
    default:
      return WEAK_KEY;
  }
}

/** A word-like segment of a text, as written and folded, with where it starts. */
export interface Segment {
  raw: string;
  folded: string;
  index: number;
}

/** The word-like segments of `text`, as words() finds them (foldSegment() may leave "" for some: those are kept, callers skip them). */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  eachWord(text, (raw, index) => out.push({ raw, folded: foldSegment(raw), index }));
  return out;
}

const EN_MONTHS =
  /^(?:(jan)(?:uary)?|(feb)(?:ruary)?|(mar)(?:ch)?|(apr)(?:il)?|(may)|(jun)e?|(jul)y?|(aug)(?:ust)?|(sep)(?:t|tember)?|(oct)(?:ober)?|(nov)(?:ember)?|(dec)(?:ember)?)$/;
const RU_MONTHS = /^(?:(январ)|(феврал)|(март)|(апрел)|(ма[йяе]$)|(июн)|(июл)|(август)|(сентябр)|(октябр)|(ноябр)|(декабр))/;
/** Azerbaijani (folded: ı→i, ə→e) with the case endings a month takes (martın, martda, martadək); Turkish too. */
const AZ_MONTHS =
  /^(?:(yanvar|ocak)|(fevral|subat)|(mart)|(aprel|nisan)|(may|mayis)|(iyun|haziran)|(iyul|temmuz)|(avqust|agustos)|(sentyabr|eylul)|(oktyabr|ekim)|(noyabr|kasim)|(dekabr|aralik))(?:in|un|da|dan|a|dek|e|de|den|ta|tan)?$/;

/** 1–12 for a month name in English, Russian, Azerbaijani or Turkish (folded), else 0. */
export function monthOf(folded: string): number {
  const m = EN_MONTHS.exec(folded) ?? RU_MONTHS.exec(folded) ?? AZ_MONTHS.exec(folded);
  if (!m) return 0;
  for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return i;
  return 0;
}

const NUMBER = /^\d+(?:\.\d+)?$/;
const DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/;
/** Between the parts of "1 000 000": one (narrow) space. */
const THOUSANDS_GAP = /^[ \u00a0\u202f]$/;
/** What an Azerbaijani day number takes (12-ci, 12-də, 12-si): skipped when looking for its month. */
const DAY_SUFFIX = /^(?:ci|cu|ncu|nci|si|su|da|de|te|ta|dan|den|ten|tan|dek|e|a|ya|ye|i|u|yi|yu|n|in|un|nin|nun)$/;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Words that multiply the number before them, folded: "335 тыс." and "335
 * min" are the 335,000 of an English wire, "2,1 млрд" its "2.1 billion".
 */
const SCALE: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  тыс: 1e3,
  тысяч: 1e3,
  тысячи: 1e3,
  min: 1e3,
  bin: 1e3,
  million: 1e6,
  millions: 1e6,
  mln: 1e6,
  m: 1e6,
  млн: 1e6,
  миллион: 1e6,
  миллиона: 1e6,
  миллионов: 1e6,
  milyon: 1e6,
  billion: 1e9,
  billions: 1e9,
  bn: 1e9,
  bcm: 1e9,
  млрд: 1e9,
  миллиард: 1e9,
  миллиарда: 1e9,
  миллиардов: 1e9,
  milyard: 1e9,
  mlrd: 1e9,
  milyar: 1e9,
};

/** Key for a number: strong when it tells events apart (3.5, 16.5, 40000, 21), weak when small or a year. */
function numberKey(n: string, scale = 1): string {
  const v = Math.round(Number(n) * scale * 1e6) / 1e6;
  if (!Number.isFinite(v)) return "";
  const s = String(v);
  if (!Number.isInteger(v)) return `§#${s}`;
  if (v >= 1900 && v <= 2100) return `§y:${s}`;
  return v <= 10 ? `§w:${s}` : `§#${s}`;
}

/** Capitalised, not all-caps. */
function capitalised(raw: string): boolean {
  const c = raw[0]!;
  return c !== c.toLowerCase();
}

/**
 * A name as the phonetic rules read it: lower-case with its letters (ş, ç,
 * ə, ı — which folding would turn into s, c, e, i), an apostrophe suffix
 * off as foldSegment takes it off (İstanbul'da).
 */
function unfolded(raw: string): string {
  const lower = raw.replace(/İ/g, "i").replace(/I/g, "ı").toLowerCase().normalize("NFC");
  const m = /['’ʼ`´]/.exec(lower);
  return m && m.index > 1 && lower.length - m.index - 1 <= 4 ? lower.slice(0, m.index) : lower;
}

/** Upper-case Latin (AÇG, BTC, NATO): checked with raw === upper case too. */
const LATIN_ACRONYM = /^\p{Script=Latin}[\p{Script=Latin}\d&]{1,7}$/u;
/** iPhone, COP29, A18: Latin product names and codes, written the same in every language. */
const CODE = /^(?:[a-z]+[A-Z][A-Za-z]*|[A-Za-z]+\d+[A-Za-z]*)$/;
const CYRILLIC_ACRONYM = /^[А-ЯЁ]{2,6}$/;

/**
 * English headlines are often in title case ("Fed Holds Rates Steady"):
 * there a capital says nothing, so only the gazetteer names things. Nine
 * in ten longer words capitalised, not fewer: a sentence-case headline
 * full of names ("First Vice-President Mehriban Aliyeva attends Novruz
 * festivities in Icherisheher") is not title case.
 */
function isTitleCase(segs: readonly Segment[]): boolean {
  let words = 0;
  let caps = 0;
  for (const s of segs) {
    if (s.raw.length < 4 || isStopWord(s.folded) || /\d/.test(s.raw)) continue;
    words++;
    if (capitalised(s.raw)) caps++;
  }
  return words >= 3 && caps >= 0.9 * words;
}

/** Whether text[from, to) ends a sentence: . ! ? … or a line break. */
function sentenceBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x0a) return true;
  }
  return false;
}

/** Names with fewer consonants than this (Baku "bVk", Raisi "rVs") are too short to tell apart by sound alone. */
const MIN_NAME_CONSONANTS = 3;

/**
 * The signature keys of one text (a title or a description), added to
 * `into`. `turkic`: whether the document's Latin words are Azerbaijani/
 * Turkish (for how c, x and case endings read); `english`: whether they may
 * be English (title case is checked only then).
 */
export function addSignature(into: Set<string>, text: string, segs: readonly Segment[], turkic: boolean): void {
  const titleCase = !turkic && isTitleCase(segs);
  let prevEnd = 0;
  /** The name keys of the last word that gave some, where it was, and keys already there before it. */
  let lastNames: string[] | undefined;
  let lastNamesAt = -1;
  const seenBefore = new Set<string>();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const initial = i === 0 || sentenceBreak(text, prevEnd, s.index);
    prevEnd = s.index + s.raw.length;
    const f = s.folded;
    if (!f) continue;
    if (/^\d/.test(f)) {
      i = addNumber(into, text, segs, i);
      prevEnd = segs[i]!.index + segs[i]!.raw.length;
      continue;
    }
    const caps = capitalised(s.raw);
    const next = segs[i + 1];
    const beforeNumber = next !== undefined && /^\d/.test(next.folded);
    // A month is a date's only with a day next to it; a month alone is no name.
    const month = beforeNumber || caps ? monthOf(f) : 0;
    if (month) {
      // "March 12", "martın 12-də"
      const day = beforeNumber ? DAY.exec(next.raw) : null;
      if (day && next && Number(day[1]) >= 1 && Number(day[1]) <= 31 && text.slice(prevEnd, next.index).trim().length <= 1) {
        into.add(`§d:${pad(month)}-${pad(Number(day[1]))}`);
        i++;
        prevEnd = next.index + next.raw.length;
      }
      continue;
    }
    if (!caps && !lowerCaseMayMatch(f)) continue;
    const w = wordKeys(s.raw, f, caps, turkic);
    if (w.always) {
      // "Ceyhun Bayramov": a first name before a known person is part of
      // that person's name, not a second name.
      if (
        w.always.startsWith("§p:") &&
        lastNames &&
        lastNamesAt === i - 1 &&
        /^\s+$/.test(text.slice(segs[i - 1]!.index + segs[i - 1]!.raw.length, s.index))
      )
        for (const k of lastNames) if (!seenBefore.has(k)) into.delete(k);
      into.add(w.always);
    } else if (w.names && !initial && !titleCase) {
      for (const k of w.names) {
        if (into.has(k)) seenBefore.add(k);
        into.add(k);
      }
      lastNames = w.names;
      lastNamesAt = i;
    }
  }
}

/** What one word contributes: a key in any position, or name keys for a capitalised word inside a sentence. */
interface WordKeys {
  always?: string;
  names?: string[];
}

const NOTHING: WordKeys = {};
/**
 * wordKeys() by word as written and script rules: news repeats its words,
 * and the gazetteer and phonetic work is most of the signature's cost (on
 * bench:related, a third of the index build without it). Bounded: cleared
 * when full.
 */
/**
 * By script rules (English, Turkic), then by how the word is written
 * (lower-case, capitalised, all capitals), keyed by the folded word: the
 * string the stop-word check has already hashed.
 */
const wordCaches = [0, 1, 2, 3, 4, 5].map(() => new Map<string, WordKeys>());
const WORD_CACHE_MAX = 60_000;

function wordKeys(raw: string, folded: string, caps: boolean, turkic: boolean): WordKeys {
  const shape = !caps ? 0 : raw.length <= 8 && raw === raw.toUpperCase() ? 2 : 1;
  const cache = wordCaches[(turkic ? 3 : 0) + shape]!;
  let w = cache.get(folded);
  if (w === undefined) {
    w = computeWordKeys(raw, folded, caps, turkic);
    if (cache.size >= WORD_CACHE_MAX) cache.clear();
    cache.set(folded, w);
  }
  return w;
}

function computeWordKeys(raw: string, f: string, caps: boolean, turkic: boolean): WordKeys {
  const entry = lookupName(raw, f, caps);
  if (entry) return entry.kind === "skip" ? NOTHING : { always: KIND_PREFIX[entry.kind] + entry.id };
  if (!caps || isStopWord(f)) return NOTHING;
  if ((LATIN_ACRONYM.test(raw) && raw === raw.toUpperCase()) || CODE.test(raw)) return { always: `§n:${f}` };
  // Sentence-initial capitals are mostly ordinary words (the caller skips
  // those); acronyms in Cyrillic (ЦБ, МЧС) differ by language.
  if (CYRILLIC_ACRONYM.test(raw) || raw.length < 3) return NOTHING;
  const names = nameKeys(unfolded(raw), scriptOf(f, turkic))
    .filter((k) => consonants(k) >= MIN_NAME_CONSONANTS)
    .map((k) => `§n:${k}`);
  return names.length ? { names } : NOTHING;
}

/**
 * A number starting at segs[i], with what belongs to it: "1 000" (thousands),
 * "3:1" and "2-1" (a score, either way round), "12 марта" / "12 mart" /
 * "12 March" (a date). Returns the index of the last segment used.
 */
function addNumber(into: Set<string>, text: string, segs: readonly Segment[], i: number): number {
  const s = segs[i]!;
  const next = segs[i + 1];
  const gap = next ? text.slice(s.index + s.raw.length, next.index) : "";
  const day = DAY.exec(s.raw);
  if (day && next) {
    // The month after the day, perhaps past an Azerbaijani suffix (12-ci mart) or "of".
    let j = i + 1;
    if ((gap === "-" && DAY_SUFFIX.test(segs[j]!.folded)) || segs[j]!.folded === "of") j++;
    const m = segs[j] && monthOf(segs[j]!.folded);
    const d = Number(day[1]);
    if (m && d >= 1 && d <= 31) {
      into.add(`§d:${pad(m)}-${pad(d)}`);
      return j;
    }
  }
  if (!NUMBER.test(s.folded)) return i;
  if (next && /^\d{1,2}$/.test(s.folded) && /^\d{1,2}$/.test(next.folded) && /^\s?[:\-–]\s?$/.test(gap)) {
    // 10:30 is a time, not evidence; 3:1 and 2-1 are scores.
    if (gap.trim() === ":" && next.folded.length === 2) return i + 1;
    const [a, b] = [Number(s.folded), Number(next.folded)].sort((x, y) => x - y);
    into.add(`§#${a}:${b}`);
    return i + 1;
  }
  let n = s.folded;
  let j = i;
  if (/^\d{1,3}$/.test(n)) {
    while (
      segs[j + 1] &&
      /^\d{3}$/.test(segs[j + 1]!.raw) &&
      THOUSANDS_GAP.test(text.slice(segs[j]!.index + segs[j]!.raw.length, segs[j + 1]!.index))
    ) {
      n += segs[j + 1]!.raw;
      j++;
    }
  }
  const after = segs[j + 1];
  const scale = after && text.slice(segs[j]!.index + segs[j]!.raw.length, after.index).trim() === "" ? SCALE[after.folded] : undefined;
  const key = numberKey(n, scale);
  if (key) into.add(key);
  return scale ? j + 1 : j;
}

/**
 * Keys whose disagreement says "another event": a person, place, number or
 * date in one headline that the other story does not mention at all, while
 * the other headline has one of its own the first does not mention — "Lavrov
 * and Fidan hold talks in Moscow" against "Lavrov and Mirzoyan hold talks in
 * Moscow", a 4.3 quake against a 3.1 one, a fire in Ganja against one in
 * Baku. A place inside the other's place (Baku, Absheron) is no
 * disagreement. Other names (phonetic keys) are left out: a capital at the
 * start of a headline is not taken for a name, so one headline's name may be
 * the other's first word (on the dev set, counting them turned more first
 * links wrong than right: 62 against 37).
 */
const CONFLICT_KINDS = "pl#d";

/** The headline keys of a signature (weight ≥ `titleWeight`) that signatureConflict compares: people, places, numbers, dates. */
export function headKeys(sig: ReadonlyMap<string, number>, titleWeight = 1): string[] {
  const out: string[] = [];
  for (const [k, w] of sig) if (w >= titleWeight && CONFLICT_KINDS.includes(k[1]!)) out.push(k);
  return out.length ? out : NO_KEYS;
}
const NO_KEYS: string[] = [];

/** Whether two signatures (key → weight; a weight ≥ `titleWeight` is a headline key) name different events. */
export function signatureConflict(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, titleWeight = 1): boolean {
  return (
    unmatchedHead(
      headKeys(a, titleWeight),
      (k) => b.has(k),
      () => b.keys(),
    ) &&
    unmatchedHead(
      headKeys(b, titleWeight),
      (k) => a.has(k),
      () => a.keys(),
    )
  );
}

/**
 * One side of signatureConflict: whether one of `heads` (headKeys of one
 * story) is not mentioned by the other story, given as a membership test
 * and, for places, its keys.
 */
export function unmatchedHead(heads: readonly string[], has: (key: string) => boolean, keys: () => Iterable<string>): boolean {
  for (const k of heads) {
    if (has(k)) continue;
    if (k[1] === "l" && placeMentioned(k, has, keys)) continue;
    return true;
  }
  return false;
}

/** Whether the other story names place key `k`, a place it lies in, or a place inside it. */
function placeMentioned(k: string, has: (key: string) => boolean, keys: () => Iterable<string>): boolean {
  const id = k.slice(3);
  for (let p = placeParent(id); p; p = placeParent(p)) if (has(`§l:${p}`)) return true;
  for (const other of keys()) {
    if (!other.startsWith("§l:")) continue;
    for (let p = placeParent(other.slice(3)); p; p = placeParent(p)) if (p === id) return true;
  }
  return false;
}

/**
 * Whether both headlines name what happened (topic keys: quake, talks, fire)
 * and no such word is common to them: "Azerbaijan's inflation at 5.4%"
 * against "Azerbaijan's economy grew 5.4%". Too loose for ranking (one
 * outlet's "meets" is another's "receives"), asked only of a merge across
 * languages.
 */
export function topicConflict(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, titleWeight = 1): boolean {
  let aTopics = 0;
  for (const [k, w] of a) {
    if (k[1] !== "t" || w < titleWeight) continue;
    aTopics++;
    if (b.has(k)) return false;
  }
  if (aTopics === 0) return false;
  for (const [k, w] of b) if (k[1] === "t" && w >= titleWeight && !a.has(k)) return true;
  return false;
}
