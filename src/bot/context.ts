import type { Context, MiddlewareFn } from "grammy";
import type { Membership } from "../chats/membership.js";
import type { Config, Source } from "../config.js";
import type { BroadcastDelivery } from "../delivery/broadcast-delivery.js";
import type { DeliveryStats } from "../delivery/index.js";
import type { Locale } from "../i18n/locales.js";
import type { Translate, Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { NewsService } from "../news/service.js";
import type { Settings } from "../prefs/settings.js";
import type { SourceAdmin } from "../sources/admin.js";
import type { Stores } from "../store/index.js";
import type { Access } from "./access.js";

/**
 * Everything the commands may be given: the stores and services, never Redis
 * or HTTP. Each command takes only the part it uses (a Pick of this).
 */
export interface CommandDeps {
  /** publicUrl: the settings Mini App's address, when PUBLIC_URL is set */
  config: Pick<Config, "adminIds" | "timezone"> & Partial<Pick<Config, "publicUrl">>;
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
  /** who may change which subscription (group admins, channel admins from a private chat); default: from stores.places */
  access?: Access;
  /** channels, groups and topics the bot joins and leaves (default: one made from the stores and the bot's api) */
  membership?: Membership;
  /** the texts in every language (default: locales/ beside the package) */
  translator?: Translator;
}

/** What the language middleware (src/bot/locale.ts) adds to every update. */
export interface LocaleFlavor {
  /** the chat's language: its stored choice; before one is stored, Telegram's language_code */
  locale: Locale;
  /** a text in `locale` (Fluent, locales/<locale>/*.ftl) */
  t: Translate;
  /** switch this update's language (after /language changed it) */
  useLocale(locale: Locale): void;
}

/** What every handler gets: grammY's context with `ctx.t(key, args)` in the chat's language. */
export type BotContext = Context & LocaleFlavor;

/** What the admin check needs. */
export type AdminDeps = Pick<CommandDeps, "config">;

/** A command as /help and the command menus show it. */
export interface CommandInfo {
  name: string;
  /** its description's text key ("cmd-<name>" in locales/<lang>/bot.ftl): /help and the menus show it in the reader's language */
  key: string;
  /** for the bot's admins (ADMIN_IDS) only */
  admin: boolean;
}

export function isAdmin(deps: AdminDeps, ctx: Context): boolean {
  return ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
}

/** The key of the one answer a non-admin gets from every admin command and button. */
export const ADMIN_ONLY = "admin-only";

/**
 * Lets admins through to the next handler; anyone else gets ADMIN_ONLY
 * (an alert for a button press, a reply otherwise) and nothing more happens.
 * Put it in front of every admin handler: `c.command("stats", adminOnly(deps), …)`.
 */
export function adminOnly(deps: AdminDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (isAdmin(deps, ctx)) return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(ADMIN_ONLY), show_alert: true });
    else await ctx.reply(ctx.t(ADMIN_ONLY));
  };
}

export type { Source };
