/**
 * Keyword rules: what a reader types after /filter, and matching them on a
 * story's title and summary with the related index's folding and stemming
 * (src/news/related/), so "Bakı" matches "Baki", "Пашинян" matches
 * "Пашиняна" and "election" matches "elections".
 *
 * No regular expressions from readers, ever: a rule is a list of words, and
 * matching is set look-ups. A story is analysed once (analyzeText), in time
 * linear in its text, into the set of its terms and their sequence; that
 * one analysis serves every chat (~0.1 ms for a 300-character story).
 * KeywordIndex holds all chats' rules, so one story is matched for every
 * chat in one pass over its terms: measured with 100,000 chats of 3–4 rules,
 * building it takes ~0.2 s and a story ~0.5 ms, against ~19 ms chat by chat.
 *
 * Decisions:
 * - Terms keep stop words and one-letter words, in the text and in rules:
 *   a reader who filters on "the" or "и" gets what they asked for, and a
 *   phrase ("state of emergency") needs its small words to stay in place.
 * - Latin-script words are stemmed by English or Turkish/Azerbaijani rules,
 *   decided once per story (guessLatinLang). A rule word has no context, so
 *   it is compiled under both and matched with the story's: "Putin" is
 *   "putin" in an English story and "put" (as "Putinin" is) in an
 *   Azerbaijani one — never "put" against an English "put".
 * - A rule of several words matches as a contiguous sequence of terms, in
 *   any list: a phrase, an include typed as "U.S.-Iran", and an exclude of
 *   several words (`-"climate change"` leaves out stories with that phrase,
 *   not every story with "change").
 */
import type { LatinLang } from "../news/related/stem.js";
import { stemToken } from "../news/related/stem.js";
import { guessLatinLang } from "../news/related/tokenize.js";
import { cleanRule, excerpt, foldedWords, PREF_LIMITS, type RuleProblem, ruleKey, ruleProblem } from "./preferences.js";
import type { KeywordRules } from "./types.js";

// ---------------------------------------------------------------- texts

/** A story's title and summary, analysed once for every chat's rules. */
export interface AnalyzedText {
  /** how its Latin-script words were stemmed (decided once for the whole text) */
  readonly latin: LatinLang;
  /** the term (folded, stemmed) of every word; stop words kept */
  readonly terms: ReadonlySet<string>;
  /** the terms in text order, for phrases */
  readonly sequence: readonly string[];
}

/** title + "\n" + summary → its terms. Linear in the text (1 MB: ~0.5 s, 150,000 words). */
export function analyzeText(text: string): AnalyzedText {
  const folded = foldedWords(text);
  const latin = guessLatinLang(text, folded);
  const sequence = folded.map((w) => stemToken(w, latin));
  return { latin, terms: new Set(sequence), sequence };
}

/** Where each term occurs, built on a text's first phrase check and kept as long as the text is. */
const positionsCache = new WeakMap<AnalyzedText, Map<string, number[]>>();

function positionsOf(t: AnalyzedText): Map<string, number[]> {
  const hit = positionsCache.get(t);
  if (hit) return hit;
  const m = new Map<string, number[]>();
  const seq = t.sequence;
  for (let i = 0; i < seq.length; i++) {
    const list = m.get(seq[i]!);
    if (list) list.push(i);
    else m.set(seq[i]!, [i]);
  }
  positionsCache.set(t, m);
  return m;
}

// ---------------------------------------------------------------- compiled rules

/** One rule: its words' terms under each set of Latin rules (one shared array when they agree). */
export interface CompiledRule {
  readonly en: readonly string[];
  readonly turkic: readonly string[];
}

/** Compiled rules by their text: chats that chose alike (and every planning round) share them. */
const ruleCache = new Map<string, CompiledRule | null>();

function compileRule(rule: string): CompiledRule | null {
  let r = ruleCache.get(rule);
  if (r === undefined) {
    const folded = foldedWords(rule);
    if (folded.length === 0) r = null;
    else {
      const en = folded.map((w) => stemToken(w, "en"));
      const turkic = folded.map((w) => stemToken(w, "turkic"));
      r = { en, turkic: turkic.every((x, i) => x === en[i]) ? en : turkic };
    }
    if (ruleCache.size >= 50_000) ruleCache.clear();
    // Stored rules are at most PREF_LIMITS.maxRuleLength; a longer one (hostile input) is not kept.
    if (rule.length <= 4 * PREF_LIMITS.maxRuleLength) ruleCache.set(rule, r);
  }
  return r;
}

/** Whether the rule's terms occur in `t`, in a row when there are several. */
function ruleIn(rule: CompiledRule, t: AnalyzedText): boolean {
  const terms = rule[t.latin];
  const first = terms[0]!;
  if (!t.terms.has(first)) return false;
  if (terms.length === 1) return true;
  for (let j = 1; j < terms.length; j++) if (!t.terms.has(terms[j]!)) return false;
  const seq = t.sequence;
  for (const at of positionsOf(t).get(first) ?? []) {
    if (at + terms.length > seq.length) break;
    let j = 1;
    while (j < terms.length && seq[at + j] === terms[j]) j++;
    if (j === terms.length) return true;
  }
  return false;
}

/** A chat's rules, ready to match; rules that fold to nothing are left out. */
export interface CompiledRules {
  /** include words, phrases and multi-word includes: at least one must match, when there are any */
  readonly include: readonly CompiledRule[];
  /** any one of these leaves the story out */
  readonly exclude: readonly CompiledRule[];
}

export function hasRules(r: KeywordRules): boolean {
  return r.include.length + r.exclude.length + r.phrases.length > 0;
}

/** Null when there are no rules at all (everything passes). */
export function compileRules(rules: KeywordRules): CompiledRules | null {
  if (!hasRules(rules)) return null;
  const list = (xs: readonly string[]) => xs.map(compileRule).filter((r): r is CompiledRule => r !== null);
  return { include: [...list(rules.include), ...list(rules.phrases)], exclude: list(rules.exclude) };
}

/** No rules: passes. Out when any exclude matches; then, with includes or phrases, in only when one of them matches. */
export function matchesRules(c: CompiledRules | null, t: AnalyzedText): boolean {
  if (!c) return true;
  for (const r of c.exclude) if (ruleIn(r, t)) return false;
  return c.include.length === 0 || c.include.some((r) => ruleIn(r, t));
}

// ---------------------------------------------------------------- every chat at once

/** One distinct rule and the chats that have it. */
interface Posting {
  rule: CompiledRule;
  include: number[];
  exclude: number[];
}

/**
 * Every chat's rules in one structure, so one story is matched for all of
 * them in one pass: each distinct rule once (by its text), filed under its
 * first term (per set of Latin rules), checked only when the story has that
 * term. passing() costs O(story terms + rules filed under them + chats of the
 * rules that matched + chats with rules) and agrees with matchesRules for
 * every chat.
 */
export class KeywordIndex {
  private readonly byTerm: Record<LatinLang, Map<string, Posting[]>> = { en: new Map(), turkic: new Map() };
  /** chats with rules but no (usable) include: they pass unless an exclude matches */
  private readonly excludeOnly: number[] = [];
  private readonly chats: number;

  /** A chat listed twice: its last rules count. Chats without rules are left out (they pass everything). */
  constructor(entries: Iterable<readonly [chatId: number, rules: KeywordRules]>) {
    const last = new Map<number, KeywordRules>();
    for (const [chat, rules] of entries) {
      if (hasRules(rules)) last.set(chat, rules);
      else last.delete(chat);
    }
    this.chats = last.size;
    // Rules that compile alike ("Bakı", "baki") are one posting.
    const distinct = new Map<string, Posting>();
    const posting = (rule: CompiledRule) => {
      const key = rule.en === rule.turkic ? rule.en.join(" ") : `${rule.en.join(" ")}\n${rule.turkic.join(" ")}`;
      let p = distinct.get(key);
      if (!p) {
        p = { rule, include: [], exclude: [] };
        distinct.set(key, p);
        for (const lang of ["en", "turkic"] as const) {
          const first = rule[lang][0]!;
          const list = this.byTerm[lang].get(first);
          if (list) list.push(p);
          else this.byTerm[lang].set(first, [p]);
        }
      }
      return p;
    };
    for (const [chat, rules] of last) {
      let includes = 0;
      for (const kind of ["include", "phrases", "exclude"] as const) {
        for (const text of rules[kind]) {
          const rule = compileRule(text);
          if (!rule) continue;
          const p = posting(rule);
          if (kind === "exclude") p.exclude.push(chat);
          else {
            p.include.push(chat);
            includes++;
          }
        }
      }
      if (includes === 0) this.excludeOnly.push(chat);
    }
  }

  /** Chats with rules. */
  get size(): number {
    return this.chats;
  }

  /** The chats (with rules) whose rules the story passes. */
  passing(t: AnalyzedText): Set<number> {
    const map = this.byTerm[t.latin];
    const wanted = new Set<number>();
    const unwanted = new Set<number>();
    for (const term of t.terms) {
      const list = map.get(term);
      if (!list) continue;
      for (const p of list) {
        if (!ruleIn(p.rule, t)) continue;
        for (const c of p.exclude) unwanted.add(c);
        for (const c of p.include) wanted.add(c);
      }
    }
    const out = new Set<number>();
    for (const c of wanted) if (!unwanted.has(c)) out.add(c);
    for (const c of this.excludeOnly) if (!unwanted.has(c)) out.add(c);
    return out;
  }
}

// ---------------------------------------------------------------- /filter

/**
 * Why a token after /filter, or a rule to add, was not taken: data, worded
 * at the edge in the chat's language (commands/filter.ts). `text` is up to
 * 30 characters of what the reader typed (excerpt); `sign` the + or − typed.
 */
export type FilterProblem =
  | RuleProblem
  | { kind: "unclosed-quote"; text: string }
  | { kind: "empty-phrase"; text: string }
  | { kind: "nothing-after"; sign: string }
  | { kind: "repeat"; text: string }
  | { kind: "rule-limit"; max: number; text: string };

export type ParsedFilter = { kind: "show" } | { kind: "clear" } | { kind: "add"; rules: KeywordRules; errors: FilterProblem[] };

/** Straight, curly (“…”, „…“, ”…”) and angle («…», »…«) quotes: any of them opens a phrase, any closes it. */
const QUOTES = new Set(['"', "“", "”", "„", "‟", "«", "»"]);
/** The minus a phone keyboard may put instead of "-" (−, –, —). */
const MINUS = new Set(["-", "−", "–", "—"]);
const SPACE = /\s/;

/**
 * The text after /filter: empty → show; "clear" → clear; otherwise tokens
 * split on whitespace — `+word` or `word` include, `-word` exclude,
 * `"exact phrase"` (straight, curly or «angle» quotes) a phrase, `-"phrase"`
 * an exclude of several words (matched as a phrase: stories with it are left
 * out). A bare token that is several words ("U.S.-Iran", "COVID-19") is a
 * phrase; a quoted single word is a plain include. Each error is a
 * FilterProblem naming the token as typed; the rest of the tokens still count.
 * Rules keep their display form (trimmed, inner whitespace collapsed), signs
 * and quotes removed. Linear in the text.
 */
export function parseFilter(text: string): ParsedFilter {
  const s = text.trim();
  if (s === "") return { kind: "show" };
  if (s.toLowerCase() === "clear") return { kind: "clear" };
  const rules: KeywordRules = { include: [], exclude: [], phrases: [] };
  const errors: FilterProblem[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && SPACE.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let sign = "";
    if (s[i] === "+" || MINUS.has(s[i]!)) sign = s[i++]!;
    let body: string;
    let quoted = false;
    if (QUOTES.has(s[i] ?? "")) {
      let end = i + 1;
      while (end < s.length && !QUOTES.has(s[end]!)) end++;
      if (end >= s.length) {
        errors.push({ kind: "unclosed-quote", text: excerpt(s.slice(start)) });
        break;
      }
      body = s.slice(i + 1, end);
      quoted = true;
      i = end + 1;
    } else {
      while (i < s.length && !SPACE.test(s[i]!)) i++;
      body = s.slice(start + sign.length, i);
    }
    const typed = s.slice(start, i);
    const rule = cleanRule(body);
    if (rule === "") {
      errors.push(quoted ? { kind: "empty-phrase", text: excerpt(typed) } : { kind: "nothing-after", sign });
      continue;
    }
    const problem = ruleProblem(rule, typed);
    if (problem) {
      errors.push(problem);
      continue;
    }
    if (sign !== "+" && sign !== "") rules.exclude.push(rule);
    else if (foldedWords(rule).length > 1) rules.phrases.push(rule);
    else rules.include.push(rule);
  }
  return { kind: "add", rules, errors };
}

/** A rule's folded form, its identity: "Bakı" and "baki" are one rule. */
export const ruleKeyOf = ruleKey;

type Kind = "include" | "exclude" | "phrases";

/**
 * `current` with `added` in it: each rule cleaned and checked (ruleProblem);
 * one per folded form across the three lists — adding "Bakı" when "baki" is
 * there adds nothing, adding "-sport" when "+sport" is there moves it to the
 * excludes; past PREF_LIMITS.maxRules the rest are not added. `rejected` has
 * one FilterProblem per rule not added (a problem, a repeat, over the limit), naming it.
 */
export function addRules(current: KeywordRules, added: KeywordRules): { rules: KeywordRules; rejected: FilterProblem[] } {
  const rules: KeywordRules = { include: [...current.include], exclude: [...current.exclude], phrases: [...current.phrases] };
  const rejected: FilterProblem[] = [];
  const put = (into: Kind, raw: string) => {
    const rule = cleanRule(raw);
    const problem = ruleProblem(rule, raw);
    if (problem) {
      rejected.push(problem);
      return;
    }
    const key = ruleKey(rule);
    if (rules[into].some((r) => ruleKey(r) === key)) {
      rejected.push({ kind: "repeat", text: excerpt(rule) });
      return;
    }
    for (const other of ["include", "exclude", "phrases"] as const) {
      if (other !== into) rules[other] = rules[other].filter((r) => ruleKey(r) !== key);
    }
    if (rules.include.length + rules.exclude.length + rules.phrases.length >= PREF_LIMITS.maxRules) {
      rejected.push({ kind: "rule-limit", max: PREF_LIMITS.maxRules, text: excerpt(rule) });
      return;
    }
    rules[into].push(rule);
  };
  for (const r of added.include) put("include", r);
  for (const r of added.phrases) put("phrases", r);
  for (const r of added.exclude) put("exclude", r);
  return { rules, rejected };
}

/** `rules` without the `index`-th rule of `kind`; out of range → `rules` itself. */
export function removeRule(rules: KeywordRules, kind: Kind, index: number): KeywordRules {
  if (!Number.isInteger(index) || index < 0 || index >= rules[kind].length) return rules;
  const next: KeywordRules = { include: [...rules.include], exclude: [...rules.exclude], phrases: [...rules.phrases] };
  next[kind].splice(index, 1);
  return next;
}
