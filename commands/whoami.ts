import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { topicOf } from "../src/bot/target.js";

/** The ids of whoever asks, of the chat and of the forum topic: what an operator puts in ADMIN_IDS. */
export function composeWhoami(ctx: BotContext): string {
  const lines: string[] = [];
  if (ctx.from) lines.push(ctx.t("whoami-user", { id: String(ctx.from.id) }));
  if (ctx.chat) lines.push(ctx.t("whoami-chat", { id: String(ctx.chat.id) }));
  const topic = topicOf(ctx);
  if (topic !== undefined) lines.push(ctx.t("whoami-topic", { id: String(topic) }));
  lines.push(ctx.t("whoami-hint"));
  return lines.join("\n");
}

/** /whoami — your Telegram user id and the chat's id, for ADMIN_IDS. */
export function whoamiCommand() {
  const c = new Composer<BotContext>();
  c.command("whoami", (ctx) => ctx.reply(composeWhoami(ctx)));
  return c;
}
