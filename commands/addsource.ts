import { Composer, InlineKeyboard } from "grammy";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";
import { FeedError } from "../src/feeds/errors.js";
import { escapeHtml } from "../src/news/html.js";
import type { SourceAdmin } from "../src/sources/admin.js";
import { parseSourceInput } from "../src/sources/inspect.js";
import { composeSourcePreview } from "../src/sources/messages.js";
import type { RegisteredSource } from "../src/sources/registry.js";

const USAGE = "Usage: /addsource <url> — a feed's address, or a news site's page (its feed is found for you).";

const named = (s: RegisteredSource) => `<b>${escapeHtml(s.name)}</b> (<code>${escapeHtml(s.id)}</code>)`;

/**
 * /addsource — admins only: finds the feed behind a pasted address, shows its
 * title and three stories with Add / Cancel, and stores it on Add. Add is a
 * compare-and-set on the stored proposal, so a double press adds it once.
 * Discovery may take several requests, so it runs detached: other chats'
 * updates are not kept waiting behind a slow site.
 */
export function addSourceCommand(deps: CommandDeps, admin: SourceAdmin) {
  const c = new Composer();

  c.command("addsource", async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.reply("Sorry, only the bot's admins can add sources.");
      return;
    }
    const arg = ctx.match.trim();
    if (!arg) {
      await ctx.reply(USAGE);
      return;
    }
    const url = parseSourceInput(arg);
    if (!url) {
      await ctx.reply(`"${arg.slice(0, 100)}" is not a web address. ${USAGE}`);
      return;
    }
    await admin.registry.refresh();
    const known = admin.registry.findByUrl(url);
    if (known) {
      await ctx.reply(`Already a source: ${named(known)}.`, { parse_mode: "HTML" });
      return;
    }
    await ctx.replyWithChatAction("typing").catch(() => undefined);
    const by = ctx.from!.id;
    admin.detach("/addsource", async () => {
      let preview;
      try {
        preview = await admin.preview(url);
      } catch (err) {
        const why = err instanceof FeedError ? err.reason : "internal error (logged)";
        await ctx.reply(`Could not add ${url}: ${why}`, { link_preview_options: { is_disabled: true } });
        if (!(err instanceof FeedError)) throw err;
        return;
      }
      const found = admin.registry.findByUrl(preview.source.url);
      if (found) {
        await ctx.reply(`Already a source: ${named(found)} (${escapeHtml(preview.source.url)}).`, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
        });
        return;
      }
      const token = await admin.registry.propose(preview.source, { by, at: deps.clock() });
      await ctx.reply(composeSourcePreview(preview, { timezone: deps.config.timezone, now: deps.clock() }), {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_markup: new InlineKeyboard().text("✅ Add", `src:add:${token}`).text("✖️ Cancel", `src:cancel:${token}`),
      });
    });
  });

  c.callbackQuery(/^src:(add|cancel):([0-9a-f]{12})$/, async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.answerCallbackQuery({ text: "Only admins can do that.", show_alert: true });
      return;
    }
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
        `✅ Added ${named(r.source)}.\nIt is polled from the next tick on. The stories in its feed now count as already seen: subscribers get only new ones.`,
        { parse_mode: "HTML", link_preview_options: { is_disabled: true } },
      )
      .catch(() => undefined);
  });

  return c;
}
