import { Composer } from "grammy";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";

export type CancelDeps = Pick<CommandDeps, "config" | "broadcasts">;

/** /cancel — admins only: stops the broadcast being sent; who has it keeps it, nobody else gets it. */
export function cancelCommand(deps: CancelDeps) {
  const c = new Composer<BotContext>();
  c.command("cancel", adminOnly(deps), async (ctx) => {
    const stopped = await deps.broadcasts.cancel();
    if (stopped.length === 0) {
      await ctx.reply(ctx.t("bc-cancel-nothing"));
      return;
    }
    const lines = stopped.map((s) => ctx.t("bc-cancel-stopped", { sent: s.sent, total: s.total }));
    await ctx.reply(lines.join("\n"));
  });
  return c;
}
