import { Composer } from "grammy";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import { escapeHtml } from "../src/news/html.js";
import type { SourceAdmin } from "../src/sources/admin.js";
import { namedSource } from "./addsource.js";

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
      await ctx.reply(ctx.t("src-rm-usage"));
      return;
    }
    const r = await admin.registry.remove(id);
    const html = { parse_mode: "HTML" as const };
    if (r.status === "not-found") {
      // Plain text: the id is echoed as it was sent.
      await ctx.reply(ctx.t("src-rm-not-found", { id: clip(id, 64) }));
      return;
    }
    const args = { source: namedSource(r.source), id: escapeHtml(r.source.id) };
    if (r.status === "removed") {
      deps.logger.info({ source: r.source.id, by: ctx.from?.id }, "sources: removed from the chat");
      await ctx.reply(ctx.t("src-rm-removed", args), html);
    } else if (r.status === "disabled") {
      deps.logger.info({ source: r.source.id, by: ctx.from?.id }, "sources: file source switched off from the chat");
      await ctx.reply(ctx.t("src-rm-switched-off", args), html);
    } else {
      await ctx.reply(ctx.t("src-rm-already-off", args), html);
    }
  });
  return c;
}
