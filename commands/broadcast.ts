import { randomBytes } from "node:crypto";
import { Composer, InlineKeyboard } from "grammy";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";
import { escapeHtml } from "../src/news/html.js";

export const BROADCAST_MAX = 3500;
const USAGE = "Usage: /broadcast <text> — or reply /broadcast to the message you want to send to every subscriber.";

/**
 * /broadcast — admins only: preview with Send / Cancel buttons, then delivery
 * to every subscriber with a progress message (/cancel stops it) and a report. Send is a compare-and-set in Redis, so a
 * double press or a redelivered update starts it once.
 */
export function broadcastCommand(deps: CommandDeps) {
  const c = new Composer();

  c.command("broadcast", async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.reply("Sorry, only the bot's admins can send broadcasts.");
      return;
    }
    const reply = ctx.msg.reply_to_message;
    const text = (ctx.match.trim() || reply?.text || reply?.caption || "").trim();
    if (!text) {
      await ctx.reply(USAGE);
      return;
    }
    if (text.length > BROADCAST_MAX) {
      await ctx.reply(`That is ${text.length} characters; a broadcast can have at most ${BROADCAST_MAX}.`);
      return;
    }
    const id = randomBytes(6).toString("hex");
    await deps.stores.broadcasts.create({ id, adminId: ctx.from!.id, adminChatId: ctx.chat.id, text, createdAt: deps.clock() });
    const n = await deps.stores.subscribers.count();
    const preview = await ctx.reply(
      `📢 <b>Broadcast preview</b> — goes to ${n} subscriber${n === 1 ? "" : "s"} when you press Send (expires in 15 minutes):\n\n${escapeHtml(text)}`,
      {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_markup: new InlineKeyboard().text("✅ Send", `bc:send:${id}`).text("✖️ Cancel", `bc:cancel:${id}`),
      },
    );
    await deps.stores.broadcasts.setPreviewMessage(id, preview.message_id);
  });

  c.callbackQuery(/^bc:(send|cancel):([0-9a-f]{12})$/, async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.answerCallbackQuery({ text: "Only admins can do that.", show_alert: true });
      return;
    }
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
