import { Composer } from "grammy";
import { commandHelp } from "../src/bot/command-list.js";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";
import { escapeHtml } from "../src/news/html.js";
import { composeHeadlines } from "../src/news/compose.js";

/** /start — subscribe (idempotent) and greet with the top headlines. */
export function startCommand(deps: CommandDeps) {
  const c = new Composer();
  c.command("start", async (ctx) => {
    const added = await deps.stores.subscribers.add({ chatId: ctx.chat.id, kind: ctx.chat.type, since: deps.clock() });
    const sources = deps.news.sources().length;
    const top = await deps.news.latest(3);
    const lead = added
      ? `👋 <b>Welcome to the news!</b> You are subscribed: new stories from ${sources} source${sources === 1 ? "" : "s"} will arrive here as they are published, each with a short summary and related coverage.`
      : "You are already subscribed — new stories will keep arriving here.";
    const parts = [lead, "", escapeHtml(commandHelp(isAdmin(deps, ctx)))];
    const headlines = composeHeadlines(top.map((e) => e.item));
    if (headlines) parts.push("", "<b>Top headlines now</b>", headlines);
    await ctx.reply(parts.join("\n"), { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  });
  return c;
}
