import { Composer } from "grammy";
import type { CommandDeps } from "../src/bot/context.js";
import { composeSources } from "../src/news/compose.js";

/** /sources — where the news comes from. */
export function sourcesCommand(deps: CommandDeps) {
  const c = new Composer();
  c.command("sources", async (ctx) => {
    const { text, ...other } = composeSources(deps.news.sources());
    await ctx.reply(text, other);
  });
  return c;
}
