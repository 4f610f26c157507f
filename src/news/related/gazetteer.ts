import { foldWord } from "./fold.js";
import { GAZETTEER, type GazetteerEntry, type GazetteerKind } from "./gazetteer-data.js";

export { GAZETTEER, type GazetteerEntry, type GazetteerKind };

type Mode = "name" | "stem" | "acronym";

interface Form {
  entry: GazetteerEntry;
  mode: Mode;
  /** folded form; for "stem" the prefix, for "acronym" the exact upper-case spelling without dots */
  text: string;
}

/** Kinds whose plain forms match only a capitalised word: "Газа" is Gaza, "газа" is gas. */
const NAME_KINDS: ReadonlySet<GazetteerKind> = new Set(["country", "place", "person", "org"]);

/**
 * Endings a plain form may take (folded: ə→e, ı→i). Russian case endings;
 * Azerbaijani and Turkish case, possessive and derivational suffixes
 * (Bakının, Ermənistanla, Bakıdakı, azərbaycanlı); English -s, -n, -an, -i
 * (Russians, Armenian, Iranian, Azerbaijani). At most four letters.
 */
const CYRILLIC_TAILS = new Set(
  "а я у ю е и ы ь й ой ей ом ем ою ею ам ям ах ях ии ию ия ий ый ого его ому ему ым им ых их ие ые ая яя ую юю".split(" "),
);
const LATIN_TAILS = new Set(
  "in un nin nun da de dan den ta te tan ten ya ye yi yu a e i u ni nu na ne la le yla yle daki deki li lu lar ler dir dur s es n an ian i is ns ans".split(
    " ",
  ),
);
const MAX_TAIL = 4;
/** A stem form ("azerbaijani*") matches a word at most this much longer. */
const MAX_STEM_REST = 10;

const exactForms = new Map<string, Form[]>();
/**
 * The first three letters (packed into one number) of every form a
 * lower-case word can match — stems, roles, topics — and such forms shorter
 * than three letters whole: most words of a text are lower-case, and this
 * tells most of them apart with no string made or hashed.
 */
const lowerPrefixes = new Set<number>();
const lowerShort = new Set<string>();

function prefixCode(s: string): number {
  return s.charCodeAt(0) * 0x400000 + s.charCodeAt(1) * 0x800 + s.charCodeAt(2);
}

function addLower(text: string): void {
  if (text.length < 3) lowerShort.add(text);
  else lowerPrefixes.add(prefixCode(text));
}
/** First three letters of every form that can take a tail, and of every stem: a word starting otherwise is looked up whole only. */
const heads = new Set<string>();
/** stem forms by their first three letters */
const stemForms = new Map<string, Form[]>();

function push(map: Map<string, Form[]>, key: string, form: Form): void {
  const list = map.get(key);
  if (list) list.push(form);
  else map.set(key, [form]);
}

for (const entry of GAZETTEER) {
  for (const field of [entry.en, entry.ru, entry.az, entry.tr ?? ""]) {
    for (const spec of field.split("|")) {
      if (!spec) continue;
      if (spec.startsWith("=")) {
        const text = spec.slice(1).replace(/\./g, "");
        push(exactForms, foldWord(text), { entry, mode: "acronym", text });
      } else if (spec.endsWith("*")) {
        const text = foldWord(spec.slice(0, -1));
        push(stemForms, text.slice(0, 3), { entry, mode: "stem", text });
        heads.add(text.slice(0, 3));
        addLower(text);
      } else {
        const text = foldWord(spec);
        push(exactForms, text, { entry, mode: "name", text });
        heads.add(text.slice(0, 3));
        if (!NAME_KINDS.has(entry.kind)) addLower(text);
      }
    }
  }
}
for (const list of stemForms.values()) list.sort((a, b) => b.text.length - a.text.length);

function nameMatch(forms: Form[] | undefined, raw: string, capitalised: boolean, withTail: boolean): GazetteerEntry | undefined {
  if (!forms) return undefined;
  for (const f of forms) {
    if (f.mode === "acronym") {
      if (!withTail && raw.replace(/\./g, "") === f.text) return f.entry;
    } else if (f.mode === "name" && (capitalised || !NAME_KINDS.has(f.entry.kind))) return f.entry;
  }
  return undefined;
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Whether a lower-case word (folded) can name anything: false for most words, so lookupName is not asked. */
export function lowerCaseMayMatch(folded: string): boolean {
  return folded.length < 3 ? lowerShort.has(folded) : lowerPrefixes.has(prefixCode(folded));
}

/**
 * The gazetteer entry a word of running text names, if any. `raw` is the
 * word as written (for acronyms and capitals), `folded` its foldSegment()
 * form. Tried in order: the word itself, the word less a case ending, a stem.
 */
export function lookupName(raw: string, folded: string, capitalised: boolean): GazetteerEntry | undefined {
  const exact = nameMatch(exactForms.get(folded), raw, capitalised, false);
  if (exact) return exact;
  if (!heads.has(folded.slice(0, 3))) return undefined;
  const tails = CYRILLIC.test(folded) ? CYRILLIC_TAILS : LATIN_TAILS;
  for (let cut = 1; cut <= MAX_TAIL && folded.length - cut >= 3; cut++) {
    if (!tails.has(folded.slice(-cut))) continue;
    const hit = nameMatch(exactForms.get(folded.slice(0, -cut)), raw, capitalised, true);
    if (hit) return hit;
  }
  const stems = stemForms.get(folded.slice(0, 3));
  if (stems) for (const f of stems) if (folded.startsWith(f.text) && folded.length - f.text.length <= MAX_STEM_REST) return f.entry;
  return undefined;
}

const parentOf = new Map<string, string>();
for (const entry of GAZETTEER) if (entry.in) parentOf.set(entry.id, entry.in);

/** The region a place lies in (Baku → absheron), by gazetteer id; undefined at the top. */
export function placeParent(id: string): string | undefined {
  return parentOf.get(id);
}
