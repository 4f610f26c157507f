import { Composer, InlineKeyboard } from "grammy";
import { accessFor } from "../src/bot/access.js";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import { topicOf } from "../src/bot/target.js";
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from "../src/i18n/locales.js";
import { defaultPrefs } from "../src/prefs/preferences.js";
import { subKey } from "../src/store/sub-key.js";

export type LanguageDeps = Pick<CommandDeps, "stores" | "logger" | "access">;

/** callback data "lang:ru": 7 bytes, the language code checked against LOCALES when pressed */
const PREFIX = "lang:";

export function languageKeyboard(current: Locale): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const l of LOCALES) kb.text(`${l === current ? "✅ " : ""}${LOCALE_NAMES[l]}`, `${PREFIX}${l}`);
  return kb;
}

/**
 * /language — the bot's language in this chat (or forum topic): three
 * buttons, each in its own language. Stored with the chat's preferences
 * whether or not it is subscribed (a reader may pick it before /start); in a
 * group only its admins may change it. The answer comes in the new language.
 */
export function languageCommand(deps: LanguageDeps) {
  const c = new Composer<BotContext>();
  c.command("language", async (ctx) => {
    await ctx.reply(ctx.t("language-choose"), { reply_markup: languageKeyboard(ctx.locale) });
  });
  c.callbackQuery(/^lang:/, async (ctx) => {
    const code = ctx.callbackQuery.data.slice(PREFIX.length);
    const chat = ctx.chat;
    if (!isLocale(code) || !chat) {
      await ctx.answerCallbackQuery({ text: ctx.t("fallback-stale-button") });
      return;
    }
    const thread = topicOf(ctx);
    const key = subKey(chat.id, thread);
    const may = await accessFor(deps).mayChange(ctx, key);
    if (may !== true) {
      await ctx.answerCallbackQuery({ text: ctx.t(may === false ? "language-only-admins" : "access-check-failed"), show_alert: true });
      return;
    }
    const subs = deps.stores.subscribers;
    const prefs = (await subs.prefsOf(key)) ?? defaultPrefs();
    const changed = prefs.locale !== code;
    if (changed) {
      const next = { ...prefs, locale: code };
      // A subscribed chat keeps its record's other fields; one not subscribed gets a record that only remembers the choice.
      if (!(await subs.setPrefs(key, next))) await subs.remember({ chatId: chat.id, thread, kind: chat.type }, next);
    }
    ctx.useLocale(code);
    await ctx.answerCallbackQuery();
    await ctx
      .editMessageText(ctx.t(changed ? "language-set" : "language-unchanged"), { reply_markup: languageKeyboard(code) })
      .catch((err: unknown) =>
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, "language: editing the menu failed"),
      );
  });
  return c;
}
