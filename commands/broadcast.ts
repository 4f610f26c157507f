import { randomBytes } from "node:crypto";
import { Composer, InlineKeyboard } from "grammy";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import { clip, TELEGRAM_TEXT_LIMIT } from "../src/bot/text.js";
import { escapeHtml, visibleLength } from "../src/news/html.js";
import { formatNumber, plural } from "../src/text/numbers.js";

export const BROADCAST_MAX = 3500;
const USAGE = "Usage: /broadcast <text> — or reply /broadcast to the message you want to send to every subscriber.";

export type BroadcastDeps = Pick<CommandDeps, "config" | "stores" | "broadcasts" | "logger" | "clock">;

/** The preview's HTML: the header, then the text, cut if need be so the whole stays one Telegram message. */
export function composeBroadcastPreview(text: string, subscribers: number): string {
  const head = `📢 <b>Broadcast preview</b> — goes to ${plural(subscribers, "subscriber")} when you press Send (expires in 15 minutes):\n\n`;
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
      await ctx.reply(USAGE);
      return;
    }
    if (text.length > BROADCAST_MAX) {
      await ctx.reply(`That is ${plural(text.length, "character")}; a broadcast can have at most ${formatNumber(BROADCAST_MAX)}.`);
      return;
    }
    const id = randomBytes(6).toString("hex");
    await deps.stores.broadcasts.create({ id, adminId: ctx.from!.id, adminChatId: ctx.chat.id, text, createdAt: deps.clock() });
    const n = await deps.stores.subscribers.count();
    const preview = await ctx.reply(composeBroadcastPreview(text, n), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: new InlineKeyboard().text("✅ Send", `bc:send:${id}`).text("✖️ Cancel", `bc:cancel:${id}`),
    });
    await deps.stores.broadcasts.setPreviewMessage(id, preview.message_id);
  });

  c.callbackQuery(/^bc:(send|cancel):([0-9a-f]{12})$/, admins, async (ctx) => {
    const [, action, id] = ctx.match;
    const b = await deps.stores.broadcasts.transition(id!, "pending", action === "send" ? "sending" : "cancelled");
    if (!b) {
      const now = await deps.stores.broadcasts.get(id!);
      const why = !now
        ? "This broadcast has expired. Send /broadcast again."
        : now.status === "cancelled"
          ? "This broadcast was cancelled."
          : "This broadcast is already on its way.";
      await ctx.answerCallbackQuery({ text: why });
      return;
    }
    if (action === "cancel") {
      await ctx.answerCallbackQuery({ text: "Cancelled." });
      await ctx.editMessageText("✖️ Broadcast cancelled. Nothing was sent.").catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: "Sending…" });
    // The preview becomes the progress message (sent / total, failed, blocked, ETA); a report follows at the end.
    void deps.broadcasts.start(b).catch((err) => deps.logger.error({ err: (err as Error).message, broadcast: id }, "broadcast failed"));
  });

  return c;
}
