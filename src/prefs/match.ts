/**
 * Whether a story passes a chat's preferences: its source, its language
 * (the source's `lang`, as configured in sources.json) and the keyword
 * rules. Pure. A story's facts and text are built once and shared by every
 * chat; the cheap source and language checks come first.
 */
import type { Item } from "../news/item.js";
import { type AnalyzedText, type CompiledRules, compileRules, matchesRules } from "./keywords.js";
import type { ChatPrefs, StoryFacts } from "./types.js";

const BASE_LANG = /^[a-z]{2,3}$/;

/** A language tag as preferences count it: lower-case base subtag ("en-GB" → "en"); none or not a tag → "und". */
export function normalizeLang(lang: string | undefined): string {
  const base = (lang ?? "").trim().toLowerCase().split(/[-_]/, 1)[0] ?? "";
  return BASE_LANG.test(base) ? base : "und";
}

/** What matching needs of a story; `lang` is its source's. */
export function storyFacts(item: Pick<Item, "key" | "sourceId" | "title" | "summary">, lang: string | undefined): StoryFacts {
  return { key: item.key, sourceId: item.sourceId, lang: normalizeLang(lang), text: `${item.title}\n${item.summary}` };
}

/** The source and language choices only (no keywords). */
export function passesSources(prefs: Pick<ChatPrefs, "sources" | "langs">, facts: Pick<StoryFacts, "sourceId" | "lang">): boolean {
  if (prefs.sources !== "all" && !prefs.sources.includes(facts.sourceId)) return false;
  return prefs.langs === "all" || prefs.langs.includes(facts.lang);
}

/**
 * Sources, languages and keywords. `text` is analyzeText(facts.text);
 * `compiled` is compileRules(prefs.keywords), computed here when not given
 * (pass it when matching many stories for one chat).
 */
export function passes(prefs: ChatPrefs, facts: StoryFacts, text: AnalyzedText, compiled?: CompiledRules | null): boolean {
  if (!passesSources(prefs, facts)) return false;
  return matchesRules(compiled === undefined ? compileRules(prefs.keywords) : compiled, text);
}

/** Source id → its normalized language ("und" for a source without one). */
export function sourceLangs(sources: readonly { id: string; lang?: string }[]): Map<string, string> {
  return new Map(sources.map((s) => [s.id, normalizeLang(s.lang)]));
}
