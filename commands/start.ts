import { Composer } from "grammy";
import type { CommandDeps, BotContext } from "../src/bot/context.js";
import { composeHeadlines } from "../src/news/compose.js";
import { plural } from "../src/text/numbers.js";
import { subscribeChat } from "../src/timeline/subscriptions.js";

export type StartDeps = Pick<CommandDeps, "stores" | "news" | "clock" | "config">;

/** The first /start: what to expect and the commands worth knowing, in one line. */
const FIRST_STEPS = "Send /latest for the newest stories, /sources for where they come from, /stop to unsubscribe, /help for everything.";
/** Every later /start: short, the list is one /help away. */
export const ALREADY_SUBSCRIBED =
  "You are already subscribed — new stories will keep arriving here. /latest for the newest, /help for everything.";

/** /start — subscribe (idempotent); the first time, a welcome with the top headlines. */
export function startCommand(deps: StartDeps) {
  const c = new Composer<BotContext>();
  c.command("start", async (ctx) => {
    const added = await subscribeChat(
      deps.stores,
      { chatId: ctx.chat.id, kind: ctx.chat.type },
      { timezone: deps.config.timezone, now: deps.clock() },
    );
    if (!added) {
      await ctx.reply(ALREADY_SUBSCRIBED);
      return;
    }
    const sources = deps.news.sources().length;
    const top = await deps.news.latest(3);
    const parts = [
      `👋 <b>Welcome to the news!</b> You are subscribed: new stories from ${plural(sources, "source")} ` +
        "will arrive here as they are published, " +
        "each with a short summary and related coverage.",
      "",
      FIRST_STEPS,
    ];
    const headlines = composeHeadlines(top.map((e) => e.item));
    if (headlines) parts.push("", "<b>Top headlines now</b>", headlines);
    await ctx.reply(parts.join("\n"), { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  });
  return c;
}
