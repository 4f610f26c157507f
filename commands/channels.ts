import { Composer, InlineKeyboard } from "grammy";
import { accessFor } from "../src/bot/access.js";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import { truncateText } from "../src/news/html.js";
import type { Settings } from "../src/prefs/settings.js";
import { subKey } from "../src/store/sub-key.js";
import { sendSettingsMenu } from "./settings.js";

export type ChannelsDeps = Pick<CommandDeps, "stores" | "logger" | "access"> & { config?: CommandDeps["config"] };

/** callback data "ch:-1001234567890": ≤ 24 bytes */
const PREFIX = "ch:";
const CHANNEL_ID = /^ch:(-\d{1,20})$/;
/** a reader manages a handful of channels; the bot may post in many more, each checked with getChatMember */
const LIST_MAX = 50;

/**
 * /channels (private chat) — the channels the bot posts in that the sender
 * administers (asked of Telegram, cached a minute), each a button that
 * opens its settings here: sources, languages, keywords, delivery, and the
 * language of its posts. Each press is checked again.
 */
export function channelsCommand(deps: ChannelsDeps, settings: Settings) {
  const c = new Composer<BotContext>();
  const access = accessFor(deps);

  c.command("channels", async (ctx) => {
    if (ctx.chat.type !== "private" || !ctx.from) {
      await ctx.reply(ctx.t("channels-private-only"));
      return;
    }
    const userId = ctx.from.id;
    const all = await deps.stores.places.channels();
    const mine = [];
    for (const ch of all) {
      if (mine.length >= LIST_MAX) break;
      if ((await access.isChatAdmin(ctx.api, ch.id, userId)) === true) mine.push(ch);
    }
    if (mine.length === 0) {
      await ctx.reply(ctx.t("channels-none"));
      return;
    }
    const kb = new InlineKeyboard();
    for (const ch of mine) kb.text(`📢 ${truncateText(ch.title, 48)}`, `${PREFIX}${ch.id}`).row();
    await ctx.reply(ctx.t("channels-list"), { reply_markup: kb });
  });

  c.callbackQuery(/^ch:/, async (ctx) => {
    const m = CHANNEL_ID.exec(ctx.callbackQuery.data);
    const id = m ? Number(m[1]) : Number.NaN;
    if (!Number.isSafeInteger(id) || ctx.chat?.type !== "private") {
      await ctx.answerCallbackQuery({ text: ctx.t("fallback-stale-button") });
      return;
    }
    const record = await deps.stores.places.channel(id);
    if (!record || !(await deps.stores.subscribers.has(id))) {
      await ctx.answerCallbackQuery({ text: ctx.t("channels-gone"), show_alert: true });
      return;
    }
    const may = await access.isChatAdmin(ctx.api, id, ctx.from.id);
    if (may !== true) {
      await ctx.answerCallbackQuery({ text: ctx.t(may === false ? "channels-not-admin" : "access-check-failed"), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    // The menu speaks the reader's language; the channel's own posts follow its language setting.
    await sendSettingsMenu(ctx, settings, subKey(id), access, record.title, deps.config?.publicUrl);
  });
  return c;
}
