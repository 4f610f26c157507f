import type { MiddlewareFn } from "grammy";
import { pickLocale } from "../i18n/locales.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { SubscriberStore } from "../store/types.js";
import type { BotContext } from "./context.js";
import { targetOf } from "./target.js";

/**
 * Gives each update `ctx.locale` and `ctx.t`: the language stored with the
 * chat (or forum topic) — kept across /stop — else the sender's Telegram
 * language_code. A Redis blip while looking it up falls back to
 * language_code: the reply still comes, in the sender's own language.
 */
export function localeMiddleware(
  translator: Translator,
  subscribers: Pick<SubscriberStore, "prefsOf">,
  logger: Pick<Logger, "warn">,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const fallback = pickLocale(ctx.from?.language_code);
    const target = targetOf(ctx);
    let locale = fallback;
    if (target !== undefined) {
      try {
        locale = (await subscribers.prefsOf(target))?.locale ?? fallback;
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, "i18n: the chat's language could not be read");
      }
    }
    const use = (l: typeof locale) => {
      ctx.locale = l;
      ctx.t = translator.forLocale(l);
    };
    use(locale);
    ctx.useLocale = use;
    await next();
  };
}
