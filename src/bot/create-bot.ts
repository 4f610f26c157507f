import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type BotError, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { addSourceCommand } from "../../commands/addsource.js";
import { broadcastCommand } from "../../commands/broadcast.js";
import { cancelCommand } from "../../commands/cancel.js";
import { enableSourceCommand } from "../../commands/enablesource.js";
import { helpCommand } from "../../commands/help.js";
import { latestCommand } from "../../commands/latest.js";
import { opmlCommand } from "../../commands/opml.js";
import { rmSourceCommand } from "../../commands/rmsource.js";
import { sourcesCommand } from "../../commands/sources.js";
import { startCommand } from "../../commands/start.js";
import { statsCommand } from "../../commands/stats.js";
import { stopCommand } from "../../commands/stop.js";
import { commandHelp } from "./command-list.js";
import { isAdmin, type CommandDeps } from "./context.js";
import type { SourceAdmin } from "../sources/admin.js";

export interface CreateBotDeps extends CommandDeps {
  token: string;
  apiRoot: string;
  /** given in tests, so no getMe call is needed */
  botInfo?: UserFromGetMe;
  /** sources managed from the chat (/addsource, /rmsource, /enablesource, /opml, health in /sources) */
  sourceAdmin?: SourceAdmin;
}

/**
 * Builds the bot: middleware and commands, nothing started. main.ts starts
 * polling; tests call bot.handleUpdate directly.
 */
export function createBot(deps: CreateBotDeps): Bot {
  const bot = new Bot(deps.token, {
    botInfo: deps.botInfo,
    client: { apiRoot: deps.apiRoot },
  });
  // Replies wait out a 429 instead of failing; long waits are not worth it.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: false }));

  // Telegram redelivers updates a crashed process did not confirm: handle each once.
  bot.use(async (ctx, next) => {
    if (await deps.stores.updates.firstTime(ctx.update.update_id)) await next();
    else deps.logger.debug({ updateId: ctx.update.update_id }, "skipping an update already handled");
  });

  // A failing handler (Telegram refusing a reply, a Redis blip) is logged and
  // the bot goes on, however the update arrived (polling, webhook, tests).
  const logError = (err: BotError) => {
    deps.logger.error(
      { err: err.error instanceof Error ? { message: err.error.message, name: err.error.name } : String(err.error), updateId: err.ctx.update.update_id },
      "bot: handler failed (the bot keeps running)",
    );
  };
  const guarded = bot.errorBoundary(logError);
  guarded.use(startCommand(deps));
  guarded.use(stopCommand(deps));
  guarded.use(latestCommand(deps));
  guarded.use(sourcesCommand(deps));
  guarded.use(helpCommand(deps));
  guarded.use(broadcastCommand(deps));
  guarded.use(cancelCommand(deps));
  guarded.use(statsCommand(deps));
  if (deps.sourceAdmin) {
    for (const command of [addSourceCommand, rmSourceCommand, enableSourceCommand, opmlCommand]) guarded.use(command(deps, deps.sourceAdmin));
  }

  // An unknown command in a private chat gets a pointer to /help.
  guarded.chatType("private").on("message:entities:bot_command", async (ctx: Context) => {
    await ctx.reply(`I don't know that command. Here is what I can do:\n\n${commandHelp(isAdmin(deps, ctx))}`);
  });
  guarded.on("callback_query:data", (ctx) => ctx.answerCallbackQuery({ text: "This button is no longer active." }));

  bot.catch(logError);
  return bot;
}
