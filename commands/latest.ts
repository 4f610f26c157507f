import { Composer } from "grammy";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import { targetOf } from "../src/bot/target.js";
import { INTL_LOCALE } from "../src/i18n/locales.js";
import { composeLatest } from "../src/news/compose.js";
import type { Item } from "../src/news/item.js";
import { analyzeText, compileRules, hasRules } from "../src/prefs/keywords.js";
import { passes, sourceLangs, storyFacts } from "../src/prefs/match.js";
import type { ChatPrefs } from "../src/prefs/types.js";

export const LATEST_DEFAULT = 5;
export const LATEST_MAX = 10;
/** Filters left nothing among the recent stories: one line (locales/<lang>/cards.ftl). */
export const NOTHING_PASSES_KEY = "latest-nothing-passes";

export type LatestDeps = Pick<CommandDeps, "news" | "config" | "clock" | "settings">;

/** Reads the optional count; null when it is not a positive whole number. */
export function parseLatestArg(arg: string): number | null {
  const s = arg.trim();
  if (s === "") return LATEST_DEFAULT;
  if (!/^\d{1,6}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 ? Math.min(n, LATEST_MAX) : null;
}

/** "[n]", "all [n]" or "[n] all"; null for anything else. `all`: ignore the chat's filters. */
export function parseLatestArgs(arg: string): { n: number; all: boolean } | null {
  const words = arg.trim().split(/\s+/).filter(Boolean);
  const all = words.filter((w) => w.toLowerCase() === "all").length;
  if (all > 1) return null;
  const rest = words.filter((w) => w.toLowerCase() !== "all");
  if (rest.length > 1) return null;
  const n = parseLatestArg(rest[0] ?? "");
  return n === null ? null : { n, all: all === 1 };
}

/** Whether the chat narrowed what it gets (sources, languages or keywords). */
export function narrowed(prefs: ChatPrefs): boolean {
  return prefs.sources !== "all" || prefs.langs !== "all" || hasRules(prefs.keywords);
}

/** The items a chat's preferences let through, as the timeline would (passes). */
export function chatFilter(prefs: ChatPrefs, sources: Parameters<typeof sourceLangs>[0]): (item: Item) => boolean {
  const langs = sourceLangs(sources);
  const compiled = compileRules(prefs.keywords);
  return (item) =>
    passes(prefs, storyFacts(item, langs.get(item.sourceId) ?? "und"), analyzeText(`${item.title}\n${item.summary}`), compiled);
}

/**
 * /latest [n] — the newest stories, for anyone, subscribed or not; a
 * subscribed chat that narrowed its sources, languages or keywords gets the
 * newest of what passes them, `/latest all` everything.
 */
export function latestCommand(deps: LatestDeps) {
  const c = new Composer<BotContext>();
  c.command("latest", async (ctx) => {
    const args = parseLatestArgs(ctx.match);
    if (args === null) {
      await ctx.reply(ctx.t("latest-usage", { max: LATEST_MAX, default: LATEST_DEFAULT }));
      return;
    }
    const target = targetOf(ctx);
    const prefs = args.all || !deps.settings || !target ? null : await deps.settings.get(target);
    const keep = prefs && narrowed(prefs) ? chatFilter(prefs, deps.news.sources()) : undefined;
    const stories = await deps.news.latest(args.n, keep);
    if (keep && stories.length === 0) {
      await ctx.reply(ctx.t(NOTHING_PASSES_KEY));
      return;
    }
    const fmt = { timezone: prefs?.timezone ?? deps.config.timezone, now: deps.clock(), locale: INTL_LOCALE[ctx.locale], t: ctx.t };
    for (const msg of composeLatest(stories, fmt)) {
      const { text, ...other } = msg;
      await ctx.reply(text, other);
    }
  });
  return c;
}
