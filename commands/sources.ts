import { Composer } from "grammy";
import { type BotContext, type CommandDeps, isAdmin } from "../src/bot/context.js";
import { targetOf } from "../src/bot/target.js";
import { INTL_LOCALE } from "../src/i18n/locales.js";
import { composeSources } from "../src/news/compose.js";
import { TELEGRAM_TEXT_LIMIT, visibleLength } from "../src/news/html.js";
import { chatChoiceText } from "../src/prefs/settings-view.js";
import { composeSourcesHealth } from "../src/sources/messages.js";

export type SourcesDeps = Pick<CommandDeps, "config" | "news" | "clock" | "sourceAdmin" | "settings">;

/** The key of the line for a chat not subscribed, when the bot has preferences. */
export const SOURCES_NOT_SUBSCRIBED = "src-sources-not-subscribed";

const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/**
 * /sources — where the news comes from, and which of it this chat gets (all,
 * or the sources and languages it chose, and whether keyword filters apply).
 * Admins see every source, switched off ones included, with its health: last
 * success, failures in a row, the last error, stories per day; below it, this
 * chat's choice when it is subscribed.
 */
export function sourcesCommand(deps: SourcesDeps) {
  const c = new Composer<BotContext>();
  c.command("sources", async (ctx) => {
    const settings = deps.settings;
    const target = targetOf(ctx);
    const prefs = settings && target ? await settings.get(target) : null;
    const locale = INTL_LOCALE[ctx.locale];
    const choice = settings && prefs ? chatChoiceText(prefs, settings.sources(), ctx.t, locale) : null;
    const admin = deps.sourceAdmin;
    if (admin && isAdmin(deps, ctx)) {
      const sources = await admin.registry.list();
      const health = await admin.health.healthOf(sources.map((s) => s.id));
      const fmt = { timezone: deps.config.timezone, now: deps.clock(), locale };
      for (const text of composeSourcesHealth(ctx.t, sources, health, fmt)) {
        await ctx.reply(text, HTML);
      }
      if (choice) await ctx.reply(choice, HTML);
      return;
    }
    const { text, ...other } = composeSources(deps.news.sources(), { t: ctx.t });
    const below = choice ?? (settings ? ctx.t(SOURCES_NOT_SUBSCRIBED) : null);
    if (below === null) {
      await ctx.reply(text, other);
    } else if (visibleLength(text) + 2 + visibleLength(below) <= TELEGRAM_TEXT_LIMIT) {
      await ctx.reply(`${text}\n\n${below}`, other);
    } else {
      await ctx.reply(text, other);
      await ctx.reply(below, HTML);
    }
  });
  return c;
}
