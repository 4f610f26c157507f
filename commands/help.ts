import { Composer } from "grammy";
import { commandHelp } from "../src/bot/command-list.js";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";

/** /help — what the bot does and its commands (admins also see theirs). */
export function helpCommand(deps: CommandDeps) {
  const c = new Composer();
  c.command("help", async (ctx) => {
    await ctx.reply(
      [
        "This bot sends you every new story from its news sources as it is published: headline, a short summary, a link to the article and related coverage from other outlets.",
        "",
        commandHelp(isAdmin(deps, ctx)),
      ].join("\n"),
    );
  });
  return c;
}
