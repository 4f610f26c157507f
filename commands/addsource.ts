import { Composer, type Context, InlineKeyboard } from "grammy";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import { type Fulltext, fulltextOf } from "../src/config.js";
import { feedErrorText } from "../src/feeds/errors.js";
import { INTL_LOCALE } from "../src/i18n/locales.js";
import type { Translate } from "../src/i18n/translator.js";
import { escapeHtml } from "../src/news/html.js";
import { type FindOrPreviewResult, type KnownFulltext, parseAddSourceArgs, type SourceAdmin } from "../src/sources/admin.js";
import { composeSourcePreview, type TimeFormat } from "../src/sources/messages.js";
import type { RegisteredSource } from "../src/sources/registry.js";

export type AddSourceDeps = Pick<CommandDeps, "config" | "logger" | "clock">;

/** A source as the replies name it (HTML): <b>name</b> (<code>id</code>). */
export const namedSource = (s: Pick<RegisteredSource, "name" | "id">) => `<b>${escapeHtml(s.name)}</b> (<code>${escapeHtml(s.id)}</code>)`;
const NO_PREVIEW = { link_preview_options: { is_disabled: true } };

/**
 * A preview of a source added with `fulltext=always|never`: a line saying
 * so, above the closing question (the preview's last paragraph). "auto" is
 * what every source does, and goes unsaid.
 */
function withFulltextNote(t: Translate, preview: string, mode: Fulltext | undefined): string {
  if (!mode || mode === "auto") return preview;
  const note = t("src-add-fulltext", { mode });
  const cut = preview.lastIndexOf("\n\n");
  return cut < 0 ? `${preview}\n\n${note}` : `${preview.slice(0, cut)}\n\n${note}${preview.slice(cut)}`;
}

/** What /addsource <a known source's url> fulltext=… did, in words (HTML). */
function knownFulltextText(t: Translate, source: Pick<RegisteredSource, "fulltext">, r: KnownFulltext): string {
  if (r.status === "file") return t("src-add-fulltext-file");
  const now = t("src-add-fulltext", { mode: fulltextOf(source) });
  return r.status === "changed" ? `${now} ${t("src-add-fulltext-was", { mode: r.was })}` : `${now} ${t("src-add-fulltext-same")}`;
}

/** The reply to /addsource <input>: text and options, from what the use case found, in the language `t` speaks. Pure. */
export function composeAddSourceReply(
  t: Translate,
  input: string,
  r: FindOrPreviewResult,
  fmt: TimeFormat,
): { text: string; other: Parameters<Context["reply"]>[1] } {
  switch (r.status) {
    case "invalid":
      // Plain text: the input is echoed as it is.
      return { text: t("src-add-invalid", { input: clip(input, 100) }), other: {} };
    case "known": {
      const known = r.feedUrl
        ? t("src-add-known-behind", { source: namedSource(r.source), url: escapeHtml(clip(r.feedUrl)) })
        : t("src-add-known", { source: namedSource(r.source) });
      return {
        text: r.fulltext ? `${known}\n\n${knownFulltextText(t, r.source, r.fulltext)}` : known,
        other: { parse_mode: "HTML", ...NO_PREVIEW },
      };
    }
    case "failed":
      // The pasted address is echoed cut short: a 4,000-character URL must not make the reply too long to send.
      return {
        text: t("src-add-failed", { url: clip(r.url), error: clip(feedErrorText(t, r.error.kind, r.error.params), 500) }),
        other: NO_PREVIEW,
      };
    case "preview":
      return {
        // Shown cut short if it is very long (the proposal keeps the whole address).
        text: withFulltextNote(
          t,
          composeSourcePreview(t, { ...r.preview, source: { ...r.preview.source, url: clip(r.preview.source.url) } }, fmt),
          r.preview.source.fulltext,
        ),
        other: {
          parse_mode: "HTML",
          ...NO_PREVIEW,
          reply_markup: new InlineKeyboard()
            .text(t("src-add-button-add"), `src:add:${r.token}`)
            .text(t("src-add-button-cancel"), `src:cancel:${r.token}`),
        },
      };
  }
}

/**
 * /addsource — admins only: finds the feed behind a pasted address, shows its
 * title and three stories with Add / Cancel, and stores it on Add.
 * `fulltext=auto|always|never` after the address sets when its new stories
 * get the lead of their article page (src/leads/); after a source's address
 * that is already there, it changes that source's (a chat source's: a
 * SOURCES_FILE source's is the file's). Add is a
 * compare-and-set on the stored proposal, so a double press adds it once.
 * Discovery may take several requests, so it runs detached: other chats'
 * updates are not kept waiting behind a slow site.
 */
export function addSourceCommand(deps: AddSourceDeps, admin: SourceAdmin) {
  const c = new Composer<BotContext>();
  const admins = adminOnly(deps);

  c.command("addsource", admins, async (ctx) => {
    const args = parseAddSourceArgs(ctx.match);
    if (!args.ok) {
      // Plain text: the word is echoed as it is.
      await ctx.reply(ctx.t("src-add-bad-option", { option: clip(args.option, 100) }));
      return;
    }
    const { input, options } = args;
    if (!input) {
      await ctx.reply(ctx.t("src-add-usage"));
      return;
    }
    const meta = { by: ctx.from!.id, at: deps.clock() };
    admin.detach("/addsource", async () => {
      const typing = { discovering: () => ctx.replyWithChatAction("typing").catch(() => undefined) };
      const r = await admin.findOrPreview(input, meta, typing, options);
      const fmt = { timezone: deps.config.timezone, now: deps.clock(), locale: INTL_LOCALE[ctx.locale] };
      const { text, other } = composeAddSourceReply(ctx.t, input, r, fmt);
      await ctx.reply(text, other);
    });
  });

  c.callbackQuery(/^src:(add|cancel):([0-9a-f]{12})$/, admins, async (ctx) => {
    const [, action, token] = ctx.match;
    if (action === "cancel") {
      if (!(await admin.registry.cancel(token!))) {
        await ctx.answerCallbackQuery({ text: ctx.t("src-add-expired") });
        return;
      }
      await ctx.answerCallbackQuery({ text: ctx.t("src-add-cancelled") });
      await ctx.editMessageText(ctx.t("src-add-not-added")).catch(() => undefined);
      return;
    }
    const r = await admin.registry.confirm(token!);
    if (r.status === "gone") {
      await ctx.answerCallbackQuery({ text: ctx.t("src-add-expired") });
      return;
    }
    if (r.status === "full") {
      await ctx.answerCallbackQuery({ text: ctx.t("src-add-full"), show_alert: true });
      return;
    }
    if (r.status === "duplicate") {
      await ctx.answerCallbackQuery({ text: ctx.t("src-add-duplicate") });
      await ctx.editMessageText(ctx.t("src-add-known", { source: namedSource(r.existing) }), { parse_mode: "HTML" }).catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("src-add-added") });
    deps.logger.info({ source: r.source.id, url: r.source.url, by: ctx.from.id }, "sources: added from the chat");
    await ctx
      .editMessageText(ctx.t("src-add-done", { source: namedSource(r.source) }), {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      })
      .catch(() => undefined);
  });

  return c;
}
