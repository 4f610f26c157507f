import { Composer } from "grammy";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";
import { escapeHtml } from "../src/news/html.js";
import type { SourceAdmin } from "../src/sources/admin.js";

const USAGE = "Usage: /enablesource <id> — the ids are in /sources.";

/**
 * /enablesource — admins only: turns a source back on, whether it was
 * switched off with /rmsource or disabled after too many failures (that also
 * resets its failure count and backoff, so the next tick polls it).
 */
export function enableSourceCommand(deps: CommandDeps, admin: SourceAdmin) {
  const c = new Composer();
  c.command("enablesource", async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.reply("Sorry, only the bot's admins can enable sources.");
      return;
    }
    const id = ctx.match.trim().toLowerCase();
    if (!id || /\s/.test(id)) {
      await ctx.reply(USAGE);
      return;
    }
    const r = await admin.registry.enable(id);
    if (r.status === "not-found") {
      await ctx.reply(`There is no source with the id "${id.slice(0, 64)}". ${USAGE}`);
      return;
    }
    const lifted = await admin.health.enableSource(id);
    const name = `<b>${escapeHtml(r.source.name)}</b> (<code>${escapeHtml(r.source.id)}</code>)`;
    if (r.status === "already-enabled" && !lifted) {
      await ctx.reply(`${name} is already on.`, { parse_mode: "HTML" });
      return;
    }
    deps.logger.info({ source: id, by: ctx.from?.id, lifted }, "sources: enabled from the chat");
    await ctx.reply(`▶️ ${name} is on again${lifted ? ", its failure count reset" : ""}: it is polled at the next tick.`, { parse_mode: "HTML" });
  });
  return c;
}
