import { Composer } from "grammy";
import type { CommandDeps, BotContext } from "../src/bot/context.js";

export type StopDeps = Pick<CommandDeps, "stores">;

/** /stop — unsubscribe and confirm. */
export function stopCommand(deps: StopDeps) {
  const c = new Composer<BotContext>();
  c.command("stop", async (ctx) => {
    const removed = await deps.stores.subscribers.stop(ctx.chat.id);
    await ctx.reply(
      removed
        ? "You are unsubscribed and will get no more news messages. Send /start any time to come back — your settings are kept."
        : "You were not subscribed. Send /start to get news here.",
    );
  });
  return c;
}
