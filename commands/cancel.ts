import { Composer } from "grammy";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";

/** /cancel — admins only: stops the broadcast being sent; who has it keeps it, nobody else gets it. */
export function cancelCommand(deps: CommandDeps) {
  const c = new Composer();
  c.command("cancel", async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.reply("Sorry, only the bot's admins can stop a broadcast.");
      return;
    }
    const stopped = await deps.broadcasts.cancel();
    if (stopped.length === 0) {
      await ctx.reply("Nothing to cancel: no broadcast is being sent.");
      return;
    }
    const lines = stopped.map(
      (s) => `✖️ Broadcast stopped: it reached ${s.sent.toLocaleString("en-US")} of ${s.total.toLocaleString("en-US")} subscribers; the rest will not get it.`,
    );
    await ctx.reply(lines.join("\n"));
  });
  return c;
}
