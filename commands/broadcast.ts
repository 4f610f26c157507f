import { randomBytes } from "node:crypto";
import { Composer, InlineKeyboard } from "grammy";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";
import { clip, TELEGRAM_TEXT_LIMIT } from "../src/bot/text.js";
import { broadcastTargets } from "../src/delivery/outbox.js";
import type { Translate } from "../src/i18n/translator.js";
import { escapeHtml, visibleLength } from "../src/news/html.js";

export const BROADCAST_MAX = 3500;

export type BroadcastDeps = Pick<CommandDeps, "config" | "stores" | "broadcasts" | "logger" | "clock">;

/** The preview's HTML, in the admin's language: the header, then the text, cut if need be so the whole stays one Telegram message. */
export function composeBroadcastPreview(text: string, subscribers: number, t: Translate): string {
  // HTML from broadcast.ftl.
  const head = `${t("bc-preview-header", { count: subscribers })}\n\n`;
  return head + escapeHtml(clip(text, TELEGRAM_TEXT_LIMIT - visibleLength(head)));
}

/**
 * /broadcast — admins only: preview with Send / Cancel buttons, then delivery
 * to every subscriber with a progress message (/cancel stops it) and a report. Send is a compare-and-set in Redis, so a
 * double press or a redelivered update starts it once.
 */
export function broadcastCommand(deps: BroadcastDeps) {
  const c = new Composer<BotContext>();
  const admins = adminOnly(deps);

  c.command("broadcast", admins, async (ctx) => {
    const reply = ctx.msg.reply_to_message;
    const text = (ctx.match.trim() || reply?.text || reply?.caption || "").trim();
    if (!text) {
      // HTML: the usage shows "<text>".
      await ctx.reply(ctx.t("bc-usage"), { parse_mode: "HTML" });
      return;
    }
    if (text.length > BROADCAST_MAX) {
      await ctx.reply(ctx.t("bc-too-long", { length: text.length, max: BROADCAST_MAX }));
      return;
    }
    const id = randomBytes(6).toString("hex");
    await deps.stores.broadcasts.create({ id, adminId: ctx.from!.id, adminChatId: ctx.chat.id, text, createdAt: deps.clock() });
    // Chats, not subscriptions: a forum with two subscribed topics gets a broadcast once.
    const n = broadcastTargets(await deps.stores.subscribers.all()).length;
    const preview = await ctx.reply(composeBroadcastPreview(text, n, ctx.t), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: new InlineKeyboard().text(ctx.t("bc-button-send"), `bc:send:${id}`).text(ctx.t("bc-button-cancel"), `bc:cancel:${id}`),
    });
    await deps.stores.broadcasts.setPreviewMessage(id, preview.message_id);
  });

  c.callbackQuery(/^bc:(send|cancel):([0-9a-f]{12})$/, admins, async (ctx) => {
    const [, action, id] = ctx.match;
    const b = await deps.stores.broadcasts.transition(id!, "pending", action === "send" ? "sending" : "cancelled");
    if (!b) {
      const now = await deps.stores.broadcasts.get(id!);
      const why = !now ? ctx.t("bc-expired") : now.status === "cancelled" ? ctx.t("bc-was-cancelled") : ctx.t("bc-on-its-way");
      await ctx.answerCallbackQuery({ text: why });
      return;
    }
    if (action === "cancel") {
      await ctx.answerCallbackQuery({ text: ctx.t("bc-cancelled-answer") });
      await ctx.editMessageText(ctx.t("bc-cancelled-preview")).catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("bc-sending-answer") });
    // The preview becomes the progress message (sent / total, failed, blocked, ETA); a report follows at the end.
    void deps.broadcasts.start(b).catch((err) => deps.logger.error({ err: (err as Error).message, broadcast: id }, "broadcast failed"));
  });

  return c;
}
