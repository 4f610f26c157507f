import type { Context, MiddlewareFn } from "grammy";
import type { Config, Source } from "../config.js";
import type { BroadcastDelivery } from "../delivery/broadcast-delivery.js";
import type { DeliveryStats } from "../delivery/index.js";
import type { Logger } from "../log.js";
import type { NewsService } from "../news/service.js";
import type { Settings } from "../prefs/settings.js";
import type { SourceAdmin } from "../sources/admin.js";
import type { Stores } from "../store/index.js";

/**
 * Everything the commands may be given: the stores and services, never Redis
 * or HTTP. Each command takes only the part it uses (a Pick of this).
 */
export interface CommandDeps {
  config: Pick<Config, "adminIds" | "timezone">;
  stores: Stores;
  news: Pick<NewsService, "latest" | "sources">;
  broadcasts: Pick<BroadcastDelivery, "start" | "cancel">;
  /** queue depth, today's counts, dead letters, running broadcasts — for /stats */
  deliveryStats?: () => Promise<DeliveryStats>;
  logger: Logger;
  clock: () => number;
  /** sources managed from the chat (/addsource, /rmsource, /enablesource, /opml, health in /sources) */
  sourceAdmin?: SourceAdmin;
  /** each chat's preferences (/settings, /filter; /latest and /sources honour them) */
  settings?: Settings;
}

/** What the admin check needs. */
export type AdminDeps = Pick<CommandDeps, "config">;

/** A command as /help and the command menus show it. */
export interface CommandInfo {
  name: string;
  description: string;
  /** for the bot's admins (ADMIN_IDS) only */
  admin: boolean;
}

export function isAdmin(deps: AdminDeps, ctx: Context): boolean {
  return ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
}

/** The one answer a non-admin gets from every admin command and button. */
export const ADMIN_ONLY_TEXT = "Sorry, only the bot's admins can do that.";

/**
 * Lets admins through to the next handler; anyone else gets ADMIN_ONLY_TEXT
 * (an alert for a button press, a reply otherwise) and nothing more happens.
 * Put it in front of every admin handler: `c.command("stats", adminOnly(deps), …)`.
 */
export function adminOnly(deps: AdminDeps): MiddlewareFn<Context> {
  return async (ctx, next) => {
    if (isAdmin(deps, ctx)) return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ADMIN_ONLY_TEXT, show_alert: true });
    else await ctx.reply(ADMIN_ONLY_TEXT);
  };
}

export type { Source };
