import { Composer } from "grammy";
import type { CommandDeps, BotContext } from "../src/bot/context.js";

export type FallbackDeps = Pick<CommandDeps, "stores">;

/** An unknown command: one line, the list is one /help away. */
export const UNKNOWN_COMMAND = "I don't know that command. /help lists what I can do.";
/** Plain text from someone not subscribed, often a first message: what the bot is for. */
export const ABOUT_NEW = "I send news as it is published. /start to subscribe, /latest for the newest stories, /help for everything.";
/** Plain text from a subscriber. */
export const ABOUT_SUBSCRIBED =
  "You are subscribed: news arrives here as it is published. /latest for the newest stories, /help for everything.";
export const STALE_BUTTON = "This button is no longer active.";

/**
 * What no command took: in a private chat an unknown command or plain text
 * gets a short pointer; in groups nothing is answered (the bot does not
 * chatter in groups). A button of an old message says it is no longer active.
 * Installed after every command.
 */
export function fallbackComposer(deps: FallbackDeps) {
  const c = new Composer<BotContext>();
  const dm = c.chatType("private");
  dm.on("message:entities:bot_command", (ctx) => ctx.reply(UNKNOWN_COMMAND));
  dm.on("message:text", async (ctx) => {
    await ctx.reply((await deps.stores.subscribers.has(ctx.chat.id)) ? ABOUT_SUBSCRIBED : ABOUT_NEW);
  });
  c.on("callback_query:data", (ctx) => ctx.answerCallbackQuery({ text: STALE_BUTTON }));
  return c;
}
