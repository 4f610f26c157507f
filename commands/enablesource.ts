import { Composer } from "grammy";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import type { SourceAdmin } from "../src/sources/admin.js";
import { namedSource } from "./addsource.js";

export type EnableSourceDeps = Pick<CommandDeps, "config" | "logger">;

/**
 * /enablesource — admins only: turns a source back on, whether it was
 * switched off with /rmsource or disabled after too many failures (that also
 * resets its failure count and backoff, so the next tick polls it).
 */
export function enableSourceCommand(deps: EnableSourceDeps, admin: SourceAdmin) {
  const c = new Composer<BotContext>();
  c.command("enablesource", adminOnly(deps), async (ctx) => {
    const id = ctx.match.trim().toLowerCase();
    if (!id || /\s/.test(id)) {
      await ctx.reply(ctx.t("src-enable-usage"));
      return;
    }
    const r = await admin.enable(id);
    if (r.status === "not-found") {
      // Plain text: the id is echoed as it was sent.
      await ctx.reply(ctx.t("src-enable-not-found", { id: clip(id, 64) }));
      return;
    }
    const source = namedSource(r.source);
    if (r.status === "already-on") {
      await ctx.reply(ctx.t("src-enable-already-on", { source }), { parse_mode: "HTML" });
      return;
    }
    deps.logger.info({ source: id, by: ctx.from?.id, lifted: r.lifted }, "sources: enabled from the chat");
    await ctx.reply(ctx.t(r.lifted ? "src-enable-done-reset" : "src-enable-done", { source }), { parse_mode: "HTML" });
  });
  return c;
}
