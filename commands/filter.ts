import { Composer } from "grammy";
import type { CommandDeps, BotContext } from "../src/bot/context.js";
import { escapeHtml, truncateText } from "../src/news/html.js";
import { hasRules, parseFilter } from "../src/prefs/keywords.js";
import type { Settings } from "../src/prefs/settings.js";
import { FILTER_HELP, rulesLines } from "../src/prefs/settings-view.js";
import type { KeywordRules } from "../src/prefs/types.js";
import { mayChangeOrReply } from "./settings.js";

export type FilterDeps = Pick<CommandDeps, "logger">;

export const FILTER_NOT_SUBSCRIBED = "Send /start first to subscribe, then /filter.";
export const NO_FILTERS = 'No keyword filters: you get every story of your sources. Add some: /filter +word -word "exact phrase"';
/** What +word, -word and "…" mean, in one plain line. */
export const FILTER_MEANING = '+word = only stories with it, -word = never stories with it, "…" = an exact phrase.';
export const FILTERS_CLEARED = "Keyword filters cleared: you get every story of your sources.";

/** Problem lines shown at most: the reply stays one message whatever was typed. */
const PROBLEMS_SHOWN = 10;
const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;
/** An error or rejection line as shown; the lines are the parser's, about the reader's own input. */
const problem = (s: string) => `⚠️ ${escapeHtml(truncateText(s, 200))}`;

function inForce(rules: KeywordRules): string {
  return ["<b>🔎 Keyword filters now</b>", ...rulesLines(rules)].join("\n");
}

/**
 * /filter — keyword filters: `/filter` shows them, `/filter +word -word
 * "phrase"` adds, `/filter clear` removes them all. In groups only the
 * chat's admins may change them.
 */
export function filterCommand(_deps: FilterDeps, settings: Settings) {
  const c = new Composer<BotContext>();
  c.command("filter", async (ctx) => {
    const chatId = ctx.chat.id;
    const prefs = await settings.get(chatId);
    if (!prefs) {
      await ctx.reply(FILTER_NOT_SUBSCRIBED);
      return;
    }
    const parsed = parseFilter(ctx.match);
    if (parsed.kind === "show") {
      if (!hasRules(prefs.keywords)) {
        await ctx.reply(`${escapeHtml(NO_FILTERS)}\n${escapeHtml(FILTER_MEANING)}`, HTML);
        return;
      }
      await ctx.reply(`${inForce(prefs.keywords)}\n\n${FILTER_HELP}\nOr tap ✖ in /settings → Keywords.`, HTML);
      return;
    }
    if (!(await mayChangeOrReply(ctx))) return;
    if (parsed.kind === "clear") {
      const r = await settings.clearRules(chatId);
      await ctx.reply(r.ok ? (r.changed ? FILTERS_CLEARED : "There were no keyword filters to clear.") : FILTER_NOT_SUBSCRIBED);
      return;
    }
    const r = await settings.addRules(chatId, parsed.rules);
    if (!r.ok) {
      await ctx.reply(r.reason === "not-subscribed" ? FILTER_NOT_SUBSCRIBED : r.reason === "unknown" ? NO_FILTERS : r.message);
      return;
    }
    const all = [...parsed.errors, ...r.rejected];
    const problems = all.slice(0, PROBLEMS_SHOWN).map(problem);
    if (all.length > PROBLEMS_SHOWN) problems.push(`…and ${all.length - PROBLEMS_SHOWN} more`);
    const lines = hasRules(r.prefs.keywords) ? [inForce(r.prefs.keywords)] : [escapeHtml(NO_FILTERS)];
    if (!r.changed) lines.unshift("Nothing new added.");
    if (problems.length) lines.push("", ...problems);
    if (!r.changed && !problems.length) lines.push("", escapeHtml(FILTER_MEANING));
    await ctx.reply(lines.join("\n"), HTML);
  });
  return c;
}
