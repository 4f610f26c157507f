import { Composer } from "grammy";
import { type CommandDeps, type CommandInfo, isAdmin, type BotContext } from "../src/bot/context.js";

export type HelpDeps = Pick<CommandDeps, "config">;

const ABOUT =
  "This bot sends you every new story from its news sources as it is published: headline, a short summary, " +
  "a link to the article and related coverage from other outlets.";

/** The command lines of /help: the public commands, then the admin ones for admins. */
export function commandHelp(commands: readonly CommandInfo[], admin: boolean): string {
  const line = (c: CommandInfo) => `/${c.name} — ${c.description}`;
  const lines = commands.filter((c) => !c.admin).map(line);
  if (admin) lines.push("", "Admin:", ...commands.filter((c) => c.admin).map(line));
  return lines.join("\n");
}

/** /help — what the bot does and its commands (admins also see theirs), from the command list. */
export function helpCommand(deps: HelpDeps, commands: readonly CommandInfo[]) {
  const c = new Composer<BotContext>();
  c.command("help", async (ctx) => {
    const footer = ctx.from ? [`Your Telegram user id is ${ctx.from.id} (/whoami).`] : [];
    await ctx.reply([ABOUT, "", commandHelp(commands, isAdmin(deps, ctx)), "", ...footer].join("\n").trim());
  });
  return c;
}
