/**
 * Keyword rules: what a reader types after /filter, and matching them on a
 * story's title and summary — on the related index's folding and stemming
 * (src/news/related/), so "Bakı" matches "Baki" and "Пашинян" matches
 * "Пашиняна". No regular expressions from users (no ReDoS): a story is
 * analysed once, in time linear in its text, into a set of word forms and a
 * sequence of words; rules are sets of forms. `KeywordIndex` holds every
 * chat's rules at once, so one story is matched for all chats in one pass
 * over its forms.
 *
 * Stop words count in rules ("the" as a rule matches "the"): a reader who
 * insists gets what they asked for. Word forms are the folded word and its
 * stems under both Latin rule sets (English, Turkish/Azerbaijani) — a single
 * rule word has no context to guess its language from.
 */

import { stemEnglish, stemRussian, stemTurkic } from "../news/related/stem.js";
import { words } from "../news/related/tokenize.js";
import { PREF_LIMITS } from "./preferences.js";
import type { KeywordRules } from "./types.js";

const CYRILLIC = /\p{Script=Cyrillic}/u;
const DIGIT = /^\d/;

/** A folded word's forms: itself and its stems. */
function formsOf(folded: string): string[] {
  if (DIGIT.test(folded)) return [folded];
  if (CYRILLIC.test(folded)) return unique([folded, stemRussian(folded)]);
  return unique([folded, stemEnglish(folded), stemTurkic(folded)]);
}

const unique = (xs: string[]) => [...new Set(xs)];

export interface AnalyzedText {
  /** every form of every word */
  forms: Set<string>;
  /** the words in order, each with its forms */
  sequence: string[][];
}

/** Bounds a hostile 1 MB summary: the first 20,000 words are what is matched. */
const MAX_WORDS = 20_000;

export function analyzeText(text: string): AnalyzedText {
  const forms = new Set<string>();
  const sequence: string[][] = [];
  for (const w of words(text.length > 200_000 ? text.slice(0, 200_000) : text)) {
    if (sequence.length >= MAX_WORDS) break;
    const f = formsOf(w);
    for (const x of f) forms.add(x);
    sequence.push(f);
  }
  return { forms, sequence };
}

const ruleCache = new Map<string, string[][]>();

/** A rule's words, each as its forms; [] when it folds to nothing ("+++"). Memoized: many chats share rules. */
function ruleWords(rule: string): string[][] {
  let r = ruleCache.get(rule);
  if (!r) {
    r = words(rule)
      .slice(0, PREF_LIMITS.maxPhraseWords)
      .map((w) => formsOf(w));
    if (ruleCache.size > 50_000) ruleCache.clear();
    ruleCache.set(rule, r);
  }
  return r;
}

/** Whether `phrase` (words as forms) appears contiguously in `t`. */
function phraseIn(phrase: string[][], t: AnalyzedText, from = 0): boolean {
  const first = phrase[0];
  if (!first) return false;
  outer: for (let i = from; i + phrase.length <= t.sequence.length; i++) {
    for (let j = 0; j < phrase.length; j++) {
      const at = t.sequence[i + j]!;
      if (!phrase[j]!.some((f) => at.includes(f))) continue outer;
    }
    return true;
  }
  return false;
}

/** One rule: a word (any of its forms in the text) or a phrase (its words in a row). */
type Rule = string[][];

const matches = (rule: Rule, t: AnalyzedText) =>
  rule.length === 1 ? rule[0]!.some((f) => t.forms.has(f)) : rule.every((w) => w.some((f) => t.forms.has(f))) && phraseIn(rule, t);

export interface CompiledRules {
  include: Rule[];
  exclude: Rule[];
}

export function hasRules(r: KeywordRules): boolean {
  return r.include.length + r.exclude.length + r.phrases.length > 0;
}

export function compileRules(rules: KeywordRules): CompiledRules | null {
  if (!hasRules(rules)) return null;
  const list = (xs: string[]) => xs.map(ruleWords).filter((r) => r.length > 0);
  return { include: [...list(rules.include), ...list(rules.phrases)], exclude: list(rules.exclude) };
}

/** No rules: everything passes. Excluded by any exclude; with includes, at least one must match. */
export function matchesRules(c: CompiledRules | null, t: AnalyzedText): boolean {
  if (!c) return true;
  if (c.exclude.some((r) => matches(r, t))) return false;
  return c.include.length === 0 || c.include.some((r) => matches(r, t));
}

/**
 * Every chat's rules in one structure: a story is matched for all of them in
 * one pass over its word forms (postings by form; phrases by their first
 * word, then checked in order). Chats with the same rules share one entry,
 * so a popular filter is checked once per story, not once per chat (10,000
 * chats with keyword rules, 50 stories: 550 → ~40 ms). `passing` agrees with
 * matchesRules for every chat.
 */
export class KeywordIndex {
  private readonly postings = new Map<string, { group: number; rule: Rule; exclude: boolean }[]>();
  private readonly groups: { chats: number[]; includes: boolean }[] = [];
  private readonly chatCount: number;

  constructor(entries: Iterable<readonly [chatId: number, rules: KeywordRules]>) {
    const bySignature = new Map<string, number>();
    let n = 0;
    for (const [chat, rules] of entries) {
      if (!hasRules(rules)) continue;
      n++;
      const sig = JSON.stringify([rules.include, rules.exclude, rules.phrases]);
      const known = bySignature.get(sig);
      if (known !== undefined) {
        this.groups[known]!.chats.push(chat);
        continue;
      }
      const c = compileRules(rules)!;
      const group = this.groups.length;
      bySignature.set(sig, group);
      this.groups.push({ chats: [chat], includes: c.include.length > 0 });
      const add = (rule: Rule, exclude: boolean) => {
        // A rule is filed under its first word's forms; a hit is then checked whole.
        for (const f of rule[0]!) {
          let list = this.postings.get(f);
          if (!list) this.postings.set(f, (list = []));
          list.push({ group, rule, exclude });
        }
      };
      for (const r of c.include) add(r, false);
      for (const r of c.exclude) add(r, true);
    }
    this.chatCount = n;
  }

  /** chats with rules */
  get size(): number {
    return this.chatCount;
  }

  /** The chats with rules whose rules this story passes. */
  passing(t: AnalyzedText): Set<number> {
    const included = new Set<number>();
    const excluded = new Set<number>();
    for (const f of t.forms) {
      const list = this.postings.get(f);
      if (!list) continue;
      for (const p of list) {
        if (excluded.has(p.group) || (!p.exclude && included.has(p.group))) continue;
        if (!matches(p.rule, t)) continue;
        (p.exclude ? excluded : included).add(p.group);
      }
    }
    const out = new Set<number>();
    this.groups.forEach((g, id) => {
      if (excluded.has(id) || (g.includes && !included.has(id))) return;
      for (const c of g.chats) out.add(c);
    });
    return out;
  }
}

export type ParsedFilter = { kind: "show" } | { kind: "clear" } | { kind: "add"; rules: KeywordRules; errors: string[] };

const QUOTES: Record<string, string> = { '"': '"', "“": "”", "„": "“", "«": "»", "”": "”" };

/**
 * `/filter` arguments: nothing → show; "clear" → clear; else `+word` or
 * `word` (include), `-word` (exclude), `"exact phrase"` (include),
 * `-"phrase"` (exclude: stories with the phrase are left out). Each problem
 * is one line naming the token.
 */
export function parseFilter(text: string): ParsedFilter {
  const s = text.trim();
  if (s === "") return { kind: "show" };
  if (/^(clear|reset|off|none)$/i.test(s)) return { kind: "clear" };
  const rules: KeywordRules = { include: [], exclude: [], phrases: [] };
  const errors: string[] = [];
  const show = (t: string) => (t.length > 30 ? `${t.slice(0, 30)}…` : t);
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let sign: "+" | "-" | "" = "";
    if (s[i] === "+" || s[i] === "-") sign = s[i++] as "+" | "-";
    const close = QUOTES[s[i] ?? ""];
    let token: string;
    let phrase = false;
    if (close) {
      const end = s.indexOf(close, i + 1);
      if (end < 0) {
        errors.push(`Unclosed quote: ${show(s.slice(i))}`);
        break;
      }
      token = s.slice(i + 1, end);
      i = end + 1;
      phrase = true;
    } else {
      const start = i;
      while (i < s.length && !/\s/.test(s[i]!)) i++;
      token = s.slice(start, i);
    }
    const t = token.trim().replace(/\s+/g, " ");
    if (!t) {
      errors.push(`Empty ${phrase ? "phrase" : "word"} after ${sign || "quote"}`);
      continue;
    }
    if (t.length > PREF_LIMITS.maxRuleLength) {
      errors.push(`Too long (at most ${PREF_LIMITS.maxRuleLength} characters): ${show(t)}`);
      continue;
    }
    const n = words(t).length;
    if (n === 0) {
      errors.push(`Not a word: ${show(t)}`);
      continue;
    }
    if (phrase && n > PREF_LIMITS.maxPhraseWords) {
      errors.push(`A phrase has at most ${PREF_LIMITS.maxPhraseWords} words: ${show(t)}`);
      continue;
    }
    if (sign === "-") rules.exclude.push(t);
    else if (phrase && n > 1) rules.phrases.push(t);
    else if (!phrase && n > 1) {
      // "U.S.-Iran" and the like: several words typed as one, kept together as a phrase.
      rules.phrases.push(t);
    } else rules.include.push(t);
  }
  return { kind: "add", rules, errors };
}

const keyOf = (rule: string) => words(rule).join(" ");

/**
 * Adds rules, one per folded form ("Bakı" when "baki" is there adds
 * nothing); a word moved between include and exclude leaves the other list;
 * past PREF_LIMITS.maxRules the rest are rejected, each with a reason.
 */
export function addRules(current: KeywordRules, added: KeywordRules): { rules: KeywordRules; rejected: string[] } {
  const rules: KeywordRules = { include: [...current.include], exclude: [...current.exclude], phrases: [...current.phrases] };
  const rejected: string[] = [];
  const drop = (list: string[], k: string) => {
    const at = list.findIndex((r) => keyOf(r) === k);
    if (at >= 0) list.splice(at, 1);
  };
  const put = (into: "include" | "exclude" | "phrases", rule: string) => {
    const k = keyOf(rule);
    if (!k) return;
    if (rules[into].some((r) => keyOf(r) === k)) return;
    for (const other of ["include", "exclude", "phrases"] as const) if (other !== into) drop(rules[other], k);
    if (rules.include.length + rules.exclude.length + rules.phrases.length >= PREF_LIMITS.maxRules) {
      rejected.push(`Not added, at most ${PREF_LIMITS.maxRules} rules: ${rule}`);
      return;
    }
    rules[into].push(rule);
  };
  for (const r of added.include) put("include", r);
  for (const r of added.exclude) put("exclude", r);
  for (const r of added.phrases) put("phrases", r);
  return { rules, rejected };
}

export function removeRule(rules: KeywordRules, kind: "include" | "exclude" | "phrases", index: number): KeywordRules {
  if (!Number.isInteger(index) || index < 0 || index >= rules[kind].length) return rules;
  const next = { include: [...rules.include], exclude: [...rules.exclude], phrases: [...rules.phrases] };
  next[kind].splice(index, 1);
  return next;
}

/** The rule's folded form, for removing it by what it says rather than by position. */
export const ruleKeyOf = keyOf;
