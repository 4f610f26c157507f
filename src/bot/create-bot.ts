import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotError, type RawApi, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { installCommands } from "../../commands/index.js";
import { membershipComposer } from "../../commands/membership.js";
import { createMembership } from "../chats/membership.js";
import { defaultTranslator } from "../i18n/translator.js";
import type { BotContext, CommandDeps } from "./context.js";
import { localeMiddleware } from "./locale.js";

export interface CreateBotDeps extends CommandDeps {
  token: string;
  apiRoot: string;
  /** given in tests, so no getMe call is needed */
  botInfo?: UserFromGetMe;
}

/**
 * auto-retry for every Bot API method but getUpdates: a reply waits out a
 * 429 (a few tries, a minute at most) and a network error surfaces at once,
 * while polling keeps its own short loop instead of backing off for up to an
 * hour after an outage.
 */
export function retryExceptPolling(options: Parameters<typeof autoRetry>[0] = {}): Transformer<RawApi> {
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true, ...options });
  return (prev, method, payload, signal) =>
    method === "getUpdates" ? prev(method, payload, signal) : retry(prev, method, payload, signal);
}

export interface BareBotDeps {
  token: string;
  apiRoot: string;
  /** known already (tests, or a getMe done at startup), so no getMe call is needed */
  botInfo?: UserFromGetMe;
  /** transformers that see every attempt, inside the retries (a meter counts each 429 that auto-retry then waits out) */
  inner?: Transformer<RawApi>[];
}

/** The bot with its API client set up (retries), no handlers yet. */
export function createBareBot(deps: BareBotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    botInfo: deps.botInfo,
    client: { apiRoot: deps.apiRoot },
  });
  // grammY runs the transformer installed last first: these go in before the retries, so they sit inside them.
  for (const t of deps.inner ?? []) bot.api.config.use(t);
  bot.api.config.use(retryExceptPolling());
  return bot;
}

/**
 * Installs the middleware and every command (the list in commands/index.ts)
 * on a bot; nothing is started.
 */
export function installHandlers(bot: Bot<BotContext>, deps: CommandDeps): void {
  // The runner handles updates side by side; one chat's (and one user's
  // button presses) stay in order, so a /start and the /stop after it never swap.
  bot.use(sequentialize((ctx) => [ctx.chat?.id, ctx.from?.id].filter((id) => id !== undefined).map(String)));
  // Telegram redelivers updates a crashed process did not confirm: handle each once.
  bot.use(async (ctx, next) => {
    if (await deps.stores.updates.firstTime(ctx.update.update_id)) await next();
    else deps.logger.debug({ updateId: ctx.update.update_id }, "skipping an update already handled");
  });

  // A failing handler (Telegram refusing a reply, a Redis blip) is logged and
  // the bot goes on, however the update arrived (polling, webhook, tests).
  // Every reply in the chat's language: ctx.t, ctx.locale.
  const translator = deps.translator ?? defaultTranslator();
  bot.use(localeMiddleware(translator, deps.stores.subscribers, deps.logger));
  const membership =
    deps.membership ??
    createMembership({
      stores: deps.stores,
      api: bot.api,
      translator,
      logger: deps.logger,
      timezone: deps.config.timezone,
      clock: deps.clock,
    });

  const logError = (err: BotError<BotContext>) => {
    deps.logger.error(
      {
        err: err.error instanceof Error ? { message: err.error.message, name: err.error.name } : String(err.error),
        updateId: err.ctx.update.update_id,
      },
      "bot: handler failed (the bot keeps running)",
    );
  };
  const guarded = bot.errorBoundary(logError);
  guarded.use(membershipComposer({ membership, logger: deps.logger }));
  installCommands(guarded, deps);
  bot.catch(logError);
}

/** createBareBot + installHandlers: the whole bot, nothing started. Tests call bot.handleUpdate directly. */
export function createBot(deps: CreateBotDeps): Bot<BotContext> {
  const bot = createBareBot(deps);
  installHandlers(bot, deps);
  return bot;
}
