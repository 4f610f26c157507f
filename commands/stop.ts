import { Composer } from "grammy";
import { accessFor } from "../src/bot/access.js";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import { targetOf } from "../src/bot/target.js";

export type StopDeps = Pick<CommandDeps, "stores" | "access">;

/**
 * /stop — unsubscribe this chat (or, inside a forum topic, that topic) and
 * confirm; its settings are kept. In a group only its admins may.
 */
export function stopCommand(deps: StopDeps) {
  const c = new Composer<BotContext>();
  c.command("stop", async (ctx) => {
    const target = targetOf(ctx);
    if (target === undefined) return;
    const group = ctx.chat.type !== "private";
    if (group) {
      const may = await accessFor(deps).mayChange(ctx, target);
      if (may !== true) {
        await ctx.reply(ctx.t(may === false ? "stop-only-admins" : "access-check-failed"));
        return;
      }
    }
    const removed = await deps.stores.subscribers.stop(target);
    await ctx.reply(ctx.t(removed ? (group ? "stop-done-group" : "stop-done") : "stop-not-subscribed"));
  });
  return c;
}
