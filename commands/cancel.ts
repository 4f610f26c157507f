import { Composer } from "grammy";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import { formatNumber } from "../src/text/numbers.js";

export type CancelDeps = Pick<CommandDeps, "config" | "broadcasts">;

/** /cancel — admins only: stops the broadcast being sent; who has it keeps it, nobody else gets it. */
export function cancelCommand(deps: CancelDeps) {
  const c = new Composer<BotContext>();
  c.command("cancel", adminOnly(deps), async (ctx) => {
    const stopped = await deps.broadcasts.cancel();
    if (stopped.length === 0) {
      await ctx.reply("Nothing to cancel: no broadcast is being sent.");
      return;
    }
    const lines = stopped.map(
      (s) => `✖️ Broadcast stopped: it reached ${formatNumber(s.sent)} of ${formatNumber(s.total)} subscribers; the rest will not get it.`,
    );
    await ctx.reply(lines.join("\n"));
  });
  return c;
}
