import { Composer } from "grammy";
import { type CommandDeps, isAdmin } from "../src/bot/context.js";
import { composeSources } from "../src/news/compose.js";
import { composeSourcesHealth } from "../src/sources/messages.js";

export type SourcesDeps = Pick<CommandDeps, "config" | "news" | "clock" | "sourceAdmin">;

/**
 * /sources — where the news comes from. Admins see every source, switched
 * off ones included, with its health: last success, failures in a row, the
 * last error, stories per day.
 */
export function sourcesCommand(deps: SourcesDeps) {
  const c = new Composer();
  c.command("sources", async (ctx) => {
    const admin = deps.sourceAdmin;
    if (admin && isAdmin(deps, ctx)) {
      const sources = await admin.registry.list();
      const health = await admin.health.healthOf(sources.map((s) => s.id));
      for (const text of composeSourcesHealth(sources, health, { timezone: deps.config.timezone, now: deps.clock() })) {
        await ctx.reply(text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
      }
      return;
    }
    const { text, ...other } = composeSources(deps.news.sources());
    await ctx.reply(text, other);
  });
  return c;
}
