import { Composer, InputFile } from "grammy";
import type { Document } from "grammy/types";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";
import { clip, TELEGRAM_TEXT_LIMIT } from "../src/bot/text.js";
import { feedErrorText, sizeText } from "../src/feeds/errors.js";
import type { Translate } from "../src/i18n/translator.js";
import type { OpmlImportResult, SourceAdmin } from "../src/sources/admin.js";
import type { OpmlSkip } from "../src/sources/opml.js";

export const OPML_FILE_NAME = "newsbot-sources.opml";
const CAPTION = /^\/opml(?:@\w+)?(?:\s+import)?\s*$/i;
/** Lists in the import report stop here; the counts are always complete. */
const LIST_MAX = 15;

export type OpmlDeps = Pick<CommandDeps, "config" | "clock">;

const UNREADABLE_KEYS = { "not-opml": "src-opml-not-opml", entities: "src-opml-entities" } as const;

/** Source fields an outline can get wrong → their words; any other field is named as it is. */
const FIELD_KEYS: Record<string, string> = {
  url: "src-opml-skip-url",
  id: "src-opml-skip-id",
  name: "src-opml-skip-name",
};

function skipText(t: Translate, s: OpmlSkip): string {
  if (s.problem === "refused") return t("src-opml-skip-refused", { label: s.label, error: feedErrorText(t, s.error.kind, s.error.params) });
  const key = FIELD_KEYS[s.field];
  return key ? t(key, { label: s.label }) : t("src-opml-skip-field", { label: s.label, field: s.field });
}

/** The import report (plain text), from what the import did, in the language `t` speaks. Pure. */
export function composeOpmlImport(t: Translate, fileName: string | undefined, r: OpmlImportResult): string {
  const file = clip(fileName ?? t("src-opml-the-file"), 100);
  switch (r.status) {
    case "too-big":
      return t("src-opml-too-big", { file, limit: sizeText(t, r.maxBytes) });
    case "download-failed":
      return t("src-opml-download-failed", { file, error: feedErrorText(t, r.error.kind, r.error.params) });
    case "unreadable":
      return t("src-opml-unreadable", { file, problem: t(UNREADABLE_KEYS[r.problem]) });
    case "empty":
      return t("src-opml-empty", { file });
    case "imported": {
      const ids = r.added.map((s) => s.id);
      const listed = ids.length ? ` (${ids.slice(0, LIST_MAX).join(", ")}${ids.length > LIST_MAX ? ", …" : ""})` : "";
      const lines = [t("src-opml-added", { count: ids.length, listed })];
      if (r.duplicates) lines.push(t("src-opml-duplicates", { count: r.duplicates }));
      if (r.full) lines.push(t("src-opml-full", { count: r.full }));
      if (r.truncated) lines.push(t("src-opml-truncated", { max: r.read, count: r.truncated }));
      if (r.skipped.length) {
        lines.push(
          t("src-opml-skipped", { count: r.skipped.length }),
          ...r.skipped.slice(0, LIST_MAX).map((s) => `• ${clip(skipText(t, s))}`),
        );
        if (r.skipped.length > LIST_MAX) lines.push(`• ${t("src-opml-skipped-more", { count: r.skipped.length - LIST_MAX })}`);
      }
      if (ids.length) lines.push(t("src-opml-polled"));
      return clip(lines.join("\n"), TELEGRAM_TEXT_LIMIT);
    }
  }
}

/**
 * /opml — admins only: exports the source list as an OPML document, and
 * imports one sent as a document (caption "/opml import", or /opml as a
 * reply to it). Imported feeds are not fetched here; like every chat-added
 * source they are polled through the SSRF guard.
 */
export function opmlCommand(deps: OpmlDeps, admin: SourceAdmin) {
  const c = new Composer<BotContext>();
  const admins = adminOnly(deps);

  async function exportList(ctx: BotContext) {
    const opml = await admin.exportOpml();
    if (!opml) {
      await ctx.reply(ctx.t("src-opml-nothing"));
      return;
    }
    await ctx.replyWithDocument(new InputFile(Buffer.from(opml.xml, "utf8"), OPML_FILE_NAME), {
      caption: ctx.t("src-opml-caption", { count: opml.count }),
    });
  }

  function importFile(ctx: BotContext, doc: Document) {
    admin.detach("/opml import", async () => {
      const r = await admin.importOpml(ctx.api, doc, { by: ctx.from!.id, at: deps.clock() });
      await ctx.reply(composeOpmlImport(ctx.t, doc.file_name, r), { link_preview_options: { is_disabled: true } });
    });
  }

  c.command("opml", admins, async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    const doc = ctx.msg.reply_to_message?.document;
    if (doc && (arg === "" || arg === "import")) return importFile(ctx, doc);
    if (arg === "" || arg === "export") return exportList(ctx);
    await ctx.reply(ctx.t("src-opml-usage"));
  });

  // Commands are not matched in captions, so the document itself is looked at.
  c.on("message:document")
    .filter((ctx) => CAPTION.test(ctx.msg.caption ?? ""))
    .use(admins, (ctx) => importFile(ctx, ctx.msg.document));

  return c;
}
