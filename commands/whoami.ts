import type { BotContext } from "../src/bot/context.js";
import { Composer, type Context } from "grammy";

/** The ids of whoever asks, and of the chat: what an operator puts in ADMIN_IDS. */
export function composeWhoami(ctx: Context): string {
  const lines: string[] = [];
  if (ctx.from) lines.push(`Your Telegram user id: ${ctx.from.id}`);
  if (ctx.chat) lines.push(`This chat's id: ${ctx.chat.id}`);
  lines.push("To make someone an admin of this bot, put their user id in ADMIN_IDS (comma-separated) and restart it.");
  return lines.join("\n");
}

/** /whoami — your Telegram user id and the chat's id, for ADMIN_IDS. */
export function whoamiCommand() {
  const c = new Composer<BotContext>();
  c.command("whoami", (ctx) => ctx.reply(composeWhoami(ctx)));
  return c;
}
