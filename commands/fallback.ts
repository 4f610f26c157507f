import { Composer } from "grammy";
import type { BotContext, CommandDeps } from "../src/bot/context.js";

export type FallbackDeps = Pick<CommandDeps, "stores">;

/**
 * What no command took: in a private chat an unknown command or plain text
 * gets a short pointer; in groups nothing is answered (the bot does not
 * chatter in groups). A button of an old message says it is no longer active.
 * Installed after every command.
 */
export function fallbackComposer(deps: FallbackDeps) {
  const c = new Composer<BotContext>();
  const dm = c.chatType("private");
  dm.on("message:entities:bot_command", (ctx) => ctx.reply(ctx.t("fallback-unknown")));
  dm.on("message:text", async (ctx) => {
    const subscribed = await deps.stores.subscribers.has(ctx.chat.id);
    await ctx.reply(ctx.t(subscribed ? "fallback-about-subscribed" : "fallback-about-new"));
  });
  c.on("callback_query:data", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("fallback-stale-button") }));
  return c;
}
