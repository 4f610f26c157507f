import { Composer } from "grammy";
import { accessFor } from "../src/bot/access.js";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import { topicOf } from "../src/bot/target.js";
import { offerMenuButton } from "../src/bot/web-app-button.js";
import { composeHeadlines } from "../src/news/compose.js";
import { defaultPrefs } from "../src/prefs/preferences.js";
import { subKey } from "../src/store/sub-key.js";
import { subscribeChat } from "../src/timeline/subscriptions.js";

export type StartDeps = Pick<CommandDeps, "stores" | "news" | "clock" | "config" | "access"> & Partial<Pick<CommandDeps, "logger">>;

/**
 * /start — subscribe this chat, or inside a forum topic that topic
 * (idempotent); the first time, a welcome with the top headlines. In a
 * group only its admins may turn news on. The chat's language is what it
 * chose before (kept across /stop), else the sender's Telegram language.
 */
export function startCommand(deps: StartDeps) {
  const c = new Composer<BotContext>();
  c.command("start", async (ctx) => {
    const chat = ctx.chat;
    const thread = topicOf(ctx);
    const key = subKey(chat.id, thread);
    const group = chat.type !== "private";
    if (group) {
      const may = await accessFor(deps).mayChange(ctx, key);
      if (may !== true) {
        await ctx.reply(ctx.t(may === false ? "start-only-admins" : "access-check-failed"));
        return;
      }
    }
    const added = await subscribeChat(
      deps.stores,
      // A chat's first /start: the language it is greeted in becomes the chat's (a stopped chat keeps its own).
      { chatId: chat.id, kind: chat.type, thread, prefs: { ...defaultPrefs(), locale: ctx.locale } },
      { timezone: deps.config.timezone, now: deps.clock() },
    );
    const menuButton = () => (deps.logger ? offerMenuButton(ctx, deps.config.publicUrl, deps.logger) : Promise.resolve());
    if (!added) {
      await ctx.reply(ctx.t(group ? "start-already-here" : "start-already"));
      await menuButton();
      return;
    }
    const sources = deps.news.sources().length;
    const welcome = thread !== undefined ? "start-welcome-topic" : group ? "start-welcome-group" : "start-welcome";
    const parts = [ctx.t(welcome, { sources })];
    if (!group) parts.push("", ctx.t("start-first-steps"));
    const top = await deps.news.latest(3);
    const headlines = composeHeadlines(
      top.map((e) => e.item),
      { t: ctx.t },
    );
    if (headlines) parts.push("", ctx.t("start-top-headlines"), headlines);
    await ctx.reply(parts.join("\n"), { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    await menuButton();
  });
  return c;
}
