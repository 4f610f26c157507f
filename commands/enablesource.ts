import { Composer } from "grammy";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import { escapeHtml } from "../src/news/html.js";
import type { SourceAdmin } from "../src/sources/admin.js";

const USAGE = "Usage: /enablesource <id> — the ids are in /sources.";

export type EnableSourceDeps = Pick<CommandDeps, "config" | "logger">;

/**
 * /enablesource — admins only: turns a source back on, whether it was
 * switched off with /rmsource or disabled after too many failures (that also
 * resets its failure count and backoff, so the next tick polls it).
 */
export function enableSourceCommand(deps: EnableSourceDeps, admin: SourceAdmin) {
  const c = new Composer<BotContext>();
  c.command("enablesource", adminOnly(deps), async (ctx) => {
    const id = ctx.match.trim().toLowerCase();
    if (!id || /\s/.test(id)) {
      await ctx.reply(USAGE);
      return;
    }
    const r = await admin.enable(id);
    if (r.status === "not-found") {
      await ctx.reply(`There is no source with the id "${clip(id, 64)}". ${USAGE}`);
      return;
    }
    const name = `<b>${escapeHtml(r.source.name)}</b> (<code>${escapeHtml(r.source.id)}</code>)`;
    if (r.status === "already-on") {
      await ctx.reply(`${name} is already on.`, { parse_mode: "HTML" });
      return;
    }
    deps.logger.info({ source: id, by: ctx.from?.id, lifted: r.lifted }, "sources: enabled from the chat");
    await ctx.reply(`▶️ ${name} is on again${r.lifted ? ", its failure count reset" : ""}: it is polled at the next tick.`, {
      parse_mode: "HTML",
    });
  });
  return c;
}
