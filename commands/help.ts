import { Composer } from "grammy";
import { type BotContext, type CommandDeps, type CommandInfo, isAdmin } from "../src/bot/context.js";
import type { Translate } from "../src/i18n/translator.js";

export type HelpDeps = Pick<CommandDeps, "config">;

/** The command lines of /help in one language: the public commands, then the admin ones for admins. */
export function commandHelp(commands: readonly CommandInfo[], admin: boolean, t: Translate): string {
  const line = (c: CommandInfo) => `/${c.name} — ${t(c.key)}`;
  const lines = commands.filter((c) => !c.admin).map(line);
  if (admin) lines.push("", t("help-admin"), ...commands.filter((c) => c.admin).map(line));
  return lines.join("\n");
}

/** /help — what the bot does and its commands (admins also see theirs), from the command list, in the chat's language. */
export function helpCommand(deps: HelpDeps, commands: readonly CommandInfo[]) {
  const c = new Composer<BotContext>();
  c.command("help", async (ctx) => {
    const footer = ctx.from ? [ctx.t("help-your-id", { id: String(ctx.from.id) })] : [];
    const text = [ctx.t("help-about"), "", commandHelp(commands, isAdmin(deps, ctx), ctx.t), "", ctx.t("help-groups"), "", ...footer];
    await ctx.reply(text.join("\n").trim());
  });
  return c;
}
