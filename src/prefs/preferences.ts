/**
 * A chat's preferences as stored: only the fields that differ from the
 * defaults, under short names, with a version. Most chats keep the defaults
 * and store nothing at all; a typical narrowed chat (4 sources, 3 keywords,
 * a digest every 3 hours) stores 113 bytes of JSON (UTF-8), so with the rest
 * of its subscriber record (~65 bytes) it stays well under 300:
 *
 *   {"v":1,"s":["bbc-world","apa","meduza","reuters"],"k":{"i":["election","Пашинян"],"e":["sport"]},"m":"e3"}
 *
 *   v   version (PREFS_VERSION)                    always
 *   s   sources: the ids followed                  absent = "all"
 *   l   langs: the language codes                  absent = "all"
 *   k   keywords {i: include, e: exclude, p: phrases}, each list absent when empty
 *   m   mode: "e3" = every 3 hours, "d07:30" = daily at 07:30   absent = "now"
 *   z   timezone (IANA)                            absent = the bot's TIMEZONE
 *   q   quiet hours "23:00-07:00"                  absent = none
 *   pv  0 = link previews off                      absent = on (cards always had them)
 *   u   the bot's language in this chat: "ru", "az" absent = English
 *
 * Loading never throws: each field is read on its own (zod), and one that
 * cannot be read falls back to its default while the others are kept — so a
 * record of a later version loads whatever fields it still understands, and
 * one written before preferences existed (none at all) loads the defaults.
 * PREF_LIMITS are enforced on load as well as on input: what the bot loads
 * is always something a reader could have chosen.
 *
 * What a valid keyword rule is (cleanRule, ruleKey, ruleProblem) lives here
 * too, next to the limits, so that src/prefs/keywords.ts depends on this
 * module and not the other way round.
 */
import { z } from "zod";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/locales.js";
import { words } from "../news/related/tokenize.js";
import { isValidTimeZone, parseClock } from "./schedule.js";
import { type ChatPrefs, type DeliveryMode, DIGEST_HOURS, type DigestHours, type KeywordRules, type QuietHours } from "./types.js";

export const PREFS_VERSION = 1;

export const PREF_LIMITS = {
  /** include + exclude + phrases together */
  maxRules: 25,
  /** characters (code points) per rule, as typed */
  maxRuleLength: 60,
  /** words per rule (a phrase, or an exclude of several words) */
  maxPhraseWords: 6,
  maxSources: 300,
  maxLangs: 20,
} as const;

/** A fresh copy of the defaults, safe to change. */
export function defaultPrefs(): ChatPrefs {
  return {
    sources: "all",
    langs: "all",
    keywords: { include: [], exclude: [], phrases: [] },
    mode: { kind: "now" },
    timezone: null,
    quiet: null,
    previews: true,
    locale: DEFAULT_LOCALE,
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The defaults, frozen all the way down (a change in place throws): use defaultPrefs() for a copy to change. */
export const DEFAULT_PREFS: ChatPrefs = deepFreeze(defaultPrefs());

/** The stored form; see the module comment for the field names. */
export interface StoredPrefs {
  v: number;
  s?: string[];
  l?: string[];
  k?: { i?: string[]; e?: string[]; p?: string[] };
  m?: string;
  z?: string;
  q?: string;
  pv?: 0;
  u?: Locale;
}

// ---------------------------------------------------------------- rules

const WHITESPACE = /\s+/g;

/** A rule as stored and shown: trimmed, inner whitespace collapsed to one space. */
export function cleanRule(rule: string): string {
  return rule.trim().replace(WHITESPACE, " ");
}

/** Characters as a reader counts them (code points, not UTF-16 units). */
function length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Intl.Segmenter in Node 20 is superlinear on long strings (measured: 80,000
 * characters took 2.5 s in one call, 23 ms in 1,000-character pieces), so a
 * long text is segmented in pieces cut at whitespace — a word boundary for
 * every script we expect. Same result as words() otherwise.
 */
export function foldedWords(text: string): string[] {
  const PIECE = 1000;
  if (text.length <= PIECE) return words(text);
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + PIECE, text.length);
    if (end < text.length) {
      const space = lastWhitespace(text, i + PIECE / 2, end);
      if (space > i) end = space;
      // A piece with no whitespace at all (hostile input): cut anyway, but not inside a surrogate pair.
      else if (isLowSurrogate(text.charCodeAt(end))) end--;
    }
    for (const w of words(text.slice(i, end))) out.push(w);
    i = end;
  }
  return out;
}

const ONE_SPACE = /\s/;

function lastWhitespace(s: string, from: number, to: number): number {
  for (let j = to; j > from; j--) if (ONE_SPACE.test(s[j] ?? "")) return j;
  return -1;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** A rule's identity: its folded words joined by spaces ("Bakı" and "baki" are one rule, "U.S." and "us" too). */
export function ruleKey(rule: string): string {
  return foldedWords(rule).join(" ");
}

/** Up to 30 characters of what the reader typed, for a message about it. */
export function excerpt(typed: string): string {
  const t = typed.trim();
  return length(t) > 30 ? `${[...t].slice(0, 30).join("")}…` : t;
}

/**
 * Why a rule cannot be a rule, as data: the kind, the limit it broke and up
 * to 30 characters of what the reader typed (`text`, already cut with
 * excerpt). Worded at the edge, in the chat's language (commands/filter.ts).
 */
export type RuleProblem =
  | { kind: "empty-rule"; text: string }
  | { kind: "too-long"; max: number; text: string }
  | { kind: "no-letters"; text: string }
  | { kind: "too-many-words"; max: number; text: string };

/** Why `rule` (already cleaned) cannot be a rule, naming it as `typed`; null when it can. */
export function ruleProblem(rule: string, typed: string = rule): RuleProblem | null {
  if (rule === "") return { kind: "empty-rule", text: excerpt(typed) || '""' };
  if (length(rule) > PREF_LIMITS.maxRuleLength) return { kind: "too-long", max: PREF_LIMITS.maxRuleLength, text: excerpt(typed) };
  const n = words(rule).length;
  if (n === 0) return { kind: "no-letters", text: excerpt(typed) };
  if (n > PREF_LIMITS.maxPhraseWords) return { kind: "too-many-words", max: PREF_LIMITS.maxPhraseWords, text: excerpt(typed) };
  return null;
}

/**
 * Rules as they may be stored: each cleaned; those with a problem dropped;
 * one per ruleKey across the three lists (exclude first, then include, then
 * phrases: a word both wanted and unwanted stays unwanted); at most
 * PREF_LIMITS.maxRules, taken in that order.
 */
export function normalizeRules(r: {
  include?: readonly unknown[];
  exclude?: readonly unknown[];
  phrases?: readonly unknown[];
}): KeywordRules {
  const out: KeywordRules = { include: [], exclude: [], phrases: [] };
  const seen = new Set<string>();
  let n = 0;
  const take = (list: readonly unknown[] | undefined, into: string[]) => {
    for (const raw of list ?? []) {
      if (n >= PREF_LIMITS.maxRules) return;
      if (typeof raw !== "string" || raw.length > 4 * PREF_LIMITS.maxRuleLength) continue;
      const rule = cleanRule(raw);
      if (ruleProblem(rule) !== null) continue;
      const key = ruleKey(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      into.push(rule);
      n++;
    }
  };
  take(r.exclude, out.exclude);
  take(r.include, out.include);
  take(r.phrases, out.phrases);
  return out;
}

// ---------------------------------------------------------------- store

function modeCode(m: DeliveryMode): string | undefined {
  if (m.kind === "every") return `e${m.hours}`;
  if (m.kind === "daily") return `d${m.at}`;
  return undefined;
}

function modeFrom(code: string): DeliveryMode | null {
  if (code.startsWith("e")) {
    const h = Number(code.slice(1));
    return (DIGEST_HOURS as readonly number[]).includes(h) ? { kind: "every", hours: h as DigestHours } : null;
  }
  if (code.startsWith("d")) {
    const at = parseClock(code.slice(1));
    return at ? { kind: "daily", at } : null;
  }
  return null;
}

/** The compact form (module comment); undefined when `p` is the defaults, so nothing needs storing. */
export function storePrefs(p: ChatPrefs): StoredPrefs | undefined {
  const out: StoredPrefs = { v: PREFS_VERSION };
  let any = false;
  if (p.sources !== "all") {
    out.s = [...p.sources];
    any = true;
  }
  if (p.langs !== "all") {
    out.l = [...p.langs];
    any = true;
  }
  const { include, exclude, phrases } = p.keywords;
  if (include.length || exclude.length || phrases.length) {
    const k: NonNullable<StoredPrefs["k"]> = {};
    if (include.length) k.i = [...include];
    if (exclude.length) k.e = [...exclude];
    if (phrases.length) k.p = [...phrases];
    out.k = k;
    any = true;
  }
  const m = modeCode(p.mode);
  if (m !== undefined) {
    out.m = m;
    any = true;
  }
  if (p.timezone !== null) {
    out.z = p.timezone;
    any = true;
  }
  if (p.quiet !== null) {
    out.q = `${p.quiet.from}-${p.quiet.to}`;
    any = true;
  }
  if (!p.previews) {
    out.pv = 0;
    any = true;
  }
  if (p.locale !== DEFAULT_LOCALE) {
    out.u = p.locale;
    any = true;
  }
  return any ? out : undefined;
}

// ---------------------------------------------------------------- load

const NO_CONTROL = /^[^\p{Cc}\s]+$/u;
const LANG = /^[a-z]{2,3}$/;

const listSchema = z.array(z.unknown()).max(10_000);
const idSchema = z.string().min(1).max(64).regex(NO_CONTROL);
const langSchema = z
  .string()
  .max(16)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(LANG));
const rulesSchema = z.object({ i: listSchema.optional(), e: listSchema.optional(), p: listSchema.optional() });
const codeSchema = z.string().max(16);
const zoneSchema = z.string().min(1).max(64).refine(isValidTimeZone);
const quietSchema = z
  .string()
  .max(16)
  .transform((s, ctx): QuietHours => {
    const [from, to, ...rest] = s.split("-").map(parseClock);
    if (!from || !to || rest.length || from === to) {
      ctx.addIssue({ code: "custom", message: "not HH:MM-HH:MM" });
      return z.NEVER;
    }
    return { from, to };
  });

/** The valid, distinct items of a list, at most `max`; null when none (the field's default then). */
function listOf(raw: unknown, item: z.ZodType<string>, max: number): string[] | null {
  const list = listSchema.safeParse(raw);
  if (!list.success) return null;
  const out = new Set<string>();
  for (const x of list.data) {
    if (out.size >= max) break;
    const v = item.safeParse(x);
    if (v.success) out.add(v.data);
  }
  return out.size ? [...out] : null;
}

/**
 * Never throws: garbage → the defaults; each field on its own (an invalid
 * one → its default, the others kept); a later version's record → the
 * fields this version can read; limits enforced (extra or invalid rules,
 * sources and languages dropped; a zone Intl does not know → null; a time
 * that is not HH:MM → the field's default). An empty source or language
 * list would mean no news at all and loads as "all".
 * `loadPrefs(storePrefs(p))` deep-equals `p` for every `p` loadPrefs can return.
 */
export function loadPrefs(raw: unknown): ChatPrefs {
  const p = defaultPrefs();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return p;
  const r = raw as Record<string, unknown>;
  p.sources = listOf(r.s, idSchema, PREF_LIMITS.maxSources) ?? "all";
  p.langs = listOf(r.l, langSchema, PREF_LIMITS.maxLangs) ?? "all";
  const k = rulesSchema.safeParse(r.k);
  if (k.success) p.keywords = normalizeRules({ include: k.data.i, exclude: k.data.e, phrases: k.data.p });
  const m = codeSchema.safeParse(r.m);
  if (m.success) p.mode = modeFrom(m.data) ?? p.mode;
  const zone = zoneSchema.safeParse(r.z);
  if (zone.success) p.timezone = zone.data;
  const q = quietSchema.safeParse(r.q);
  if (q.success) p.quiet = q.data;
  if (r.pv === 0 || r.pv === false) p.previews = false;
  if (isLocale(r.u)) p.locale = r.u;
  return p;
}

// ---------------------------------------------------------------- compare

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameChoice = (a: "all" | readonly string[], b: "all" | readonly string[]) => (a === "all" || b === "all" ? a === b : sameList(a, b));

function sameMode(a: DeliveryMode, b: DeliveryMode): boolean {
  if (a.kind === "every" && b.kind === "every") return a.hours === b.hours;
  if (a.kind === "daily" && b.kind === "daily") return a.at === b.at;
  return a.kind === b.kind;
}

/** Deep equality, lists in order (the order is what the reader sees). */
export function samePrefs(a: ChatPrefs, b: ChatPrefs): boolean {
  return (
    sameChoice(a.sources, b.sources) &&
    sameChoice(a.langs, b.langs) &&
    sameList(a.keywords.include, b.keywords.include) &&
    sameList(a.keywords.exclude, b.keywords.exclude) &&
    sameList(a.keywords.phrases, b.keywords.phrases) &&
    sameMode(a.mode, b.mode) &&
    a.timezone === b.timezone &&
    (a.quiet === null || b.quiet === null ? a.quiet === b.quiet : a.quiet.from === b.quiet.from && a.quiet.to === b.quiet.to) &&
    a.previews === b.previews &&
    a.locale === b.locale
  );
}
