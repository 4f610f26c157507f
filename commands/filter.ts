import { Composer } from "grammy";
import { accessFor } from "../src/bot/access.js";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import type { Translate } from "../src/i18n/translator.js";
import { escapeHtml, truncateText } from "../src/news/html.js";
import { type FilterProblem, hasRules, parseFilter } from "../src/prefs/keywords.js";
import { filterProblemText } from "../src/prefs/problem-text.js";
import type { Settings } from "../src/prefs/settings.js";
import { filterHelp, rulesLines } from "../src/prefs/settings-view.js";
import type { KeywordRules } from "../src/prefs/types.js";
import { mayChangeOrReply } from "./settings.js";

export { filterProblemText };

export type FilterDeps = Pick<CommandDeps, "logger" | "stores" | "access">;

/** Problem lines shown at most: the reply stays one message whatever was typed. */
const PROBLEMS_SHOWN = 10;
const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/** An error or rejection line as shown (HTML); the lines are about the reader's own input. */
const problemLine = (t: Translate, p: FilterProblem) => `⚠️ ${escapeHtml(truncateText(filterProblemText(t, p), 200))}`;

function inForce(t: Translate, rules: KeywordRules): string {
  return [t("set-filter-now-title"), ...rulesLines(rules, t)].join("\n");
}

/**
 * /filter — keyword filters of this chat (or of the forum topic it is sent
 * in): `/filter` shows them, `/filter +word -word "phrase"` adds, `/filter
 * clear` removes them all. In groups only the chat's admins may change them.
 */
export function filterCommand(deps: FilterDeps, settings: Settings) {
  const c = new Composer<BotContext>();
  const access = accessFor(deps);
  c.command("filter", async (ctx) => {
    const t = ctx.t;
    const target = await access.targetFor(ctx);
    if (target === undefined) return;
    const prefs = await settings.get(target);
    if (!prefs) {
      await ctx.reply(t("set-filter-not-subscribed"));
      return;
    }
    const none = () => escapeHtml(t("set-filter-none"));
    const meaning = () => escapeHtml(t("set-filter-meaning"));
    const parsed = parseFilter(ctx.match);
    if (parsed.kind === "show") {
      if (!hasRules(prefs.keywords)) {
        await ctx.reply(`${none()}\n${meaning()}`, HTML);
        return;
      }
      await ctx.reply(`${inForce(t, prefs.keywords)}\n\n${filterHelp(t)}\n${escapeHtml(t("set-filter-or-tap"))}`, HTML);
      return;
    }
    if (!(await mayChangeOrReply(ctx, target, access))) return;
    if (parsed.kind === "clear") {
      const r = await settings.clearRules(target);
      await ctx.reply(r.ok ? (r.changed ? t("set-filter-cleared") : t("set-filter-nothing-to-clear")) : t("set-filter-not-subscribed"));
      return;
    }
    const r = await settings.addRules(target, parsed.rules);
    if (!r.ok) {
      await ctx.reply(r.reason === "not-subscribed" ? t("set-filter-not-subscribed") : t("set-filter-none"));
      return;
    }
    const all = [...parsed.errors, ...r.rejected];
    const problems = all.slice(0, PROBLEMS_SHOWN).map((p) => problemLine(t, p));
    if (all.length > PROBLEMS_SHOWN) problems.push(escapeHtml(t("set-filter-more", { count: all.length - PROBLEMS_SHOWN })));
    const lines = hasRules(r.prefs.keywords) ? [inForce(t, r.prefs.keywords)] : [none()];
    if (!r.changed) lines.unshift(escapeHtml(t("set-filter-nothing-new")));
    if (problems.length) lines.push("", ...problems);
    if (!r.changed && !problems.length) lines.push("", meaning());
    await ctx.reply(lines.join("\n"), HTML);
  });
  return c;
}
