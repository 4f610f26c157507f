import { Composer } from "grammy";
import { type BotContext, type CommandDeps, isAdmin } from "../src/bot/context.js";
import { targetOf } from "../src/bot/target.js";
import { fulltextOf } from "../src/config.js";
import { INTL_LOCALE } from "../src/i18n/locales.js";
import type { Translate } from "../src/i18n/translator.js";
import { composeSources } from "../src/news/compose.js";
import { escapeHtml, TELEGRAM_TEXT_LIMIT, visibleLength } from "../src/news/html.js";
import { chatChoiceText } from "../src/prefs/settings-view.js";
import { composeSourcesHealth } from "../src/sources/messages.js";
import type { RegisteredSource } from "../src/sources/registry.js";
import type { SourceHealth } from "../src/store/source-health.js";
import { packMessages } from "../src/text/pack.js";

export type SourcesDeps = Pick<CommandDeps, "config" | "news" | "clock" | "sourceAdmin" | "settings">;

/** The key of the line for a chat not subscribed, when the bot has preferences. */
export const SOURCES_NOT_SUBSCRIBED = "src-sources-not-subscribed";

const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/**
 * The admin's view of article leads (src/leads/), under /sources' health:
 * per source that had any in the last 7 days, or that is set to `always` or
 * `never`, how many new stories got their article's lead and how many found
 * none. Nothing (no message) when no source has either. Pure, Telegram HTML.
 */
export function composeLeadCounts(
  t: Translate,
  sources: readonly Pick<RegisteredSource, "id" | "fulltext">[],
  health: ReadonlyMap<string, Pick<SourceHealth, "leadsLast7Days">>,
): string[] {
  const lines: string[] = [];
  for (const s of sources) {
    const counts = health.get(s.id)?.leadsLast7Days ?? { fetched: 0, failed: 0 };
    const mode = fulltextOf(s);
    if (counts.fetched + counts.failed === 0 && mode === "auto") continue;
    const id = escapeHtml(s.id);
    const facts = [t("src-leads-counts", { fetched: counts.fetched, failed: counts.failed })];
    // The option as it is written in /addsource and the sources file: no word to translate.
    if (mode !== "auto") facts.push(`<code>fulltext=${mode}</code>`);
    lines.push(`• <code>${id}</code>: ${facts.join(" · ")}`);
  }
  if (lines.length === 0) return [];
  return packMessages(lines, { title: t("src-leads-title"), separator: "\n", limit: TELEGRAM_TEXT_LIMIT - 16 }).map((m) => m.text);
}

/**
 * /sources — where the news comes from, and which of it this chat gets (all,
 * or the sources and languages it chose, and whether keyword filters apply).
 * Admins see every source, switched off ones included, with its health: last
 * success, failures in a row, the last error, stories per day, then the
 * article leads of the last 7 days; below it, this chat's choice when it is
 * subscribed.
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
      const texts = composeSourcesHealth(ctx.t, sources, health, fmt);
      const leads = composeLeadCounts(ctx.t, sources, health);
      const last = texts.length - 1;
      // The leads go under the last part when they fit there, else after it.
      if (leads.length && visibleLength(texts[last]!) + 2 + visibleLength(leads[0]!) <= TELEGRAM_TEXT_LIMIT) {
        texts[last] = `${texts[last]}\n\n${leads.shift()}`;
      }
      for (const text of [...texts, ...leads]) await ctx.reply(text, HTML);
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
