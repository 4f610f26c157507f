/**
 * Pure: whether a story passes a chat's preferences — its sources, its
 * languages (each source's `lang`) and its keyword rules.
 */
import type { Item } from "../news/item.js";
import { type AnalyzedText, type CompiledRules, compileRules, matchesRules } from "./keywords.js";
import type { ChatPrefs, StoryFacts } from "./types.js";

/** "en-GB" → "en"; none → "und". */
export function normalizeLang(lang: string | undefined): string {
  const base = (lang ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return /^[a-z]{2,3}$/.test(base) ? base : "und";
}

export function storyFacts(item: Pick<Item, "key" | "sourceId" | "title" | "summary">, lang: string | undefined): StoryFacts {
  return { key: item.key, sourceId: item.sourceId, lang: normalizeLang(lang), text: `${item.title}\n${item.summary}` };
}

export function passesSources(prefs: Pick<ChatPrefs, "sources" | "langs">, facts: Pick<StoryFacts, "sourceId" | "lang">): boolean {
  if (prefs.sources !== "all" && !prefs.sources.includes(facts.sourceId)) return false;
  return prefs.langs === "all" || prefs.langs.includes(facts.lang);
}

export function passes(prefs: ChatPrefs, facts: StoryFacts, text: AnalyzedText, compiled?: CompiledRules | null): boolean {
  if (!passesSources(prefs, facts)) return false;
  return matchesRules(compiled === undefined ? compileRules(prefs.keywords) : compiled, text);
}

/** source id → its normalized lang. */
export function sourceLangs(sources: readonly { id: string; lang?: string }[]): Map<string, string> {
  return new Map(sources.map((s) => [s.id, normalizeLang(s.lang)]));
}
