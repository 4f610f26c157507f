import { Composer, type Context, InlineKeyboard } from "grammy";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import { escapeHtml } from "../src/news/html.js";
import type { FindOrPreviewResult, SourceAdmin } from "../src/sources/admin.js";
import { composeSourcePreview, type TimeFormat } from "../src/sources/messages.js";
import type { RegisteredSource } from "../src/sources/registry.js";

const USAGE = "Usage: /addsource <url> — a feed's address, or a news site's page (its feed is found for you).";

export type AddSourceDeps = Pick<CommandDeps, "config" | "logger" | "clock">;

const named = (s: RegisteredSource) => `<b>${escapeHtml(s.name)}</b> (<code>${escapeHtml(s.id)}</code>)`;
const NO_PREVIEW = { link_preview_options: { is_disabled: true } };

/** The reply to /addsource <input>: text and options, from what the use case found. Pure. */
export function composeAddSourceReply(
  input: string,
  r: FindOrPreviewResult,
  fmt: TimeFormat,
): { text: string; other: Parameters<Context["reply"]>[1] } {
  switch (r.status) {
    case "invalid":
      return { text: `"${clip(input, 100)}" is not a web address. ${USAGE}`, other: {} };
    case "known":
      return {
        text: r.feedUrl
          ? `Already a source: ${named(r.source)} (${escapeHtml(clip(r.feedUrl))}).`
          : `Already a source: ${named(r.source)}.`,
        other: { parse_mode: "HTML", ...NO_PREVIEW },
      };
    case "failed":
      // The pasted address is echoed cut short: a 4,000-character URL must not make the reply too long to send.
      return { text: `Could not add ${clip(r.url)}: ${clip(r.reason, 500)}`, other: NO_PREVIEW };
    case "preview":
      return {
        // Shown cut short if it is very long (the proposal keeps the whole address).
        text: composeSourcePreview({ ...r.preview, source: { ...r.preview.source, url: clip(r.preview.source.url) } }, fmt),
        other: {
          parse_mode: "HTML",
          ...NO_PREVIEW,
          reply_markup: new InlineKeyboard().text("✅ Add", `src:add:${r.token}`).text("✖️ Cancel", `src:cancel:${r.token}`),
        },
      };
  }
}

/**
 * /addsource — admins only: finds the feed behind a pasted address, shows its
 * title and three stories with Add / Cancel, and stores it on Add. Add is a
 * compare-and-set on the stored proposal, so a double press adds it once.
 * Discovery may take several requests, so it runs detached: other chats'
 * updates are not kept waiting behind a slow site.
 */
export function addSourceCommand(deps: AddSourceDeps, admin: SourceAdmin) {
  const c = new Composer<BotContext>();
  const admins = adminOnly(deps);

  c.command("addsource", admins, async (ctx) => {
    const input = ctx.match.trim();
    if (!input) {
      await ctx.reply(USAGE);
      return;
    }
    const meta = { by: ctx.from!.id, at: deps.clock() };
    admin.detach("/addsource", async () => {
      const r = await admin.findOrPreview(input, meta, { discovering: () => ctx.replyWithChatAction("typing").catch(() => undefined) });
      const { text, other } = composeAddSourceReply(input, r, { timezone: deps.config.timezone, now: deps.clock() });
      await ctx.reply(text, other);
    });
  });

  c.callbackQuery(/^src:(add|cancel):([0-9a-f]{12})$/, admins, async (ctx) => {
    const [, action, token] = ctx.match;
    const used = "This preview has expired or was already answered. Send /addsource again.";
    if (action === "cancel") {
      if (!(await admin.registry.cancel(token!))) {
        await ctx.answerCallbackQuery({ text: used });
        return;
      }
      await ctx.answerCallbackQuery({ text: "Cancelled." });
      await ctx.editMessageText("✖️ Not added.").catch(() => undefined);
      return;
    }
    const r = await admin.registry.confirm(token!);
    if (r.status === "gone") {
      await ctx.answerCallbackQuery({ text: used });
      return;
    }
    if (r.status === "full") {
      await ctx.answerCallbackQuery({ text: "The source list is full: remove a source first.", show_alert: true });
      return;
    }
    if (r.status === "duplicate") {
      await ctx.answerCallbackQuery({ text: "It is already a source." });
      await ctx.editMessageText(`Already a source: ${named(r.existing)}.`, { parse_mode: "HTML" }).catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: "Added." });
    deps.logger.info({ source: r.source.id, url: r.source.url, by: ctx.from.id }, "sources: added from the chat");
    await ctx
      .editMessageText(
        `✅ Added ${named(r.source)}.\nIt is polled from the next tick on. ` +
          "The stories in its feed now count as already seen: subscribers get only new ones.",
        { parse_mode: "HTML", link_preview_options: { is_disabled: true } },
      )
      .catch(() => undefined);
  });

  return c;
}
