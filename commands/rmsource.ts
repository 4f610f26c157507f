import { Composer } from "grammy";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import { escapeHtml } from "../src/news/html.js";
import type { SourceAdmin } from "../src/sources/admin.js";

const USAGE = "Usage: /rmsource <id> — the ids are in /sources.";

export type RmSourceDeps = Pick<CommandDeps, "config" | "logger">;

/**
 * /rmsource — admins only. A source added in the chat is deleted; one from
 * SOURCES_FILE, which the bot cannot edit, is switched off instead, and the
 * reply says so.
 */
export function rmSourceCommand(deps: RmSourceDeps, admin: SourceAdmin) {
  const c = new Composer<BotContext>();
  c.command("rmsource", adminOnly(deps), async (ctx) => {
    const id = ctx.match.trim().toLowerCase();
    if (!id || /\s/.test(id)) {
      await ctx.reply(USAGE);
      return;
    }
    const r = await admin.registry.remove(id);
    const html = { parse_mode: "HTML" as const };
    if (r.status === "not-found") {
      await ctx.reply(`There is no source with the id "${clip(id, 64)}". ${USAGE}`);
      return;
    }
    const name = `<b>${escapeHtml(r.source.name)}</b> (<code>${escapeHtml(r.source.id)}</code>)`;
    const again = `/enablesource ${escapeHtml(r.source.id)} turns it back on.`;
    if (r.status === "removed") {
      deps.logger.info({ source: r.source.id, by: ctx.from?.id }, "sources: removed from the chat");
      await ctx.reply(`🗑 Removed ${name}. Nothing more is fetched from it.`, html);
    } else if (r.status === "disabled") {
      deps.logger.info({ source: r.source.id, by: ctx.from?.id }, "sources: file source switched off from the chat");
      await ctx.reply(
        `⏸ ${name} comes from the sources file, which the bot cannot change, so it is switched off instead: ` +
          `it is no longer polled. ${again}`,
        html,
      );
    } else {
      await ctx.reply(`${name} is already switched off. ${again}`, html);
    }
  });
  return c;
}
