import { Composer, type Context, InputFile } from "grammy";
import type { Document } from "grammy/types";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import { clip, TELEGRAM_TEXT_LIMIT } from "../src/bot/text.js";
import { formatBytes } from "../src/feeds/errors.js";
import type { OpmlImportResult, SourceAdmin } from "../src/sources/admin.js";
import { plural } from "../src/text/numbers.js";

export const OPML_FILE_NAME = "newsbot-sources.opml";
const USAGE =
  "Usage: /opml — the source list as an OPML file. To import one, send the .opml file with the caption /opml import, or reply /opml to it.";
const CAPTION = /^\/opml(?:@\w+)?(?:\s+import)?\s*$/i;
/** Lists in the import report stop here; the counts are always complete. */
const LIST_MAX = 15;

export type OpmlDeps = Pick<CommandDeps, "config" | "clock">;

/** The import report (plain text), from what the import did. Pure. */
export function composeOpmlImport(fileName: string | undefined, r: OpmlImportResult): string {
  const file = clip(fileName ?? "the file", 100);
  switch (r.status) {
    case "too-big":
      return `Could not import ${file}: it is over ${formatBytes(r.maxBytes)}.`;
    case "download-failed":
      return `Could not download ${file}: ${r.reason}`;
    case "unreadable":
      return `Could not import ${file}: ${r.reason}.`;
    case "empty":
      return `Could not import ${file}: it lists no feeds (no <outline> with an xmlUrl).`;
    case "imported": {
      const ids = r.added.map((s) => s.id);
      const listed = ids.length ? ` (${ids.slice(0, LIST_MAX).join(", ")}${ids.length > LIST_MAX ? ", …" : ""})` : "";
      const lines = [`📥 OPML import: ${plural(ids.length, "source")} added${listed}.`];
      if (r.duplicates) lines.push(`Already in the list: ${r.duplicates}.`);
      if (r.full) lines.push(`Not added, the list is full: ${r.full}.`);
      if (r.truncated) lines.push(`Not read, over ${r.read} feeds in one file: ${r.truncated}.`);
      if (r.skipped.length) {
        lines.push(`Skipped ${r.skipped.length}:`, ...r.skipped.slice(0, LIST_MAX).map((s) => `• ${clip(s)}`));
        if (r.skipped.length > LIST_MAX) lines.push(`• …and ${r.skipped.length - LIST_MAX} more`);
      }
      if (ids.length) lines.push("They are polled from the next tick on.");
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

  async function exportList(ctx: Context) {
    const opml = await admin.exportOpml();
    if (!opml) {
      await ctx.reply("There are no sources to export yet.");
      return;
    }
    await ctx.replyWithDocument(new InputFile(Buffer.from(opml.xml, "utf8"), OPML_FILE_NAME), {
      caption: `${plural(opml.count, "source")} as OPML. To import it into a bot, send the file with the caption /opml import.`,
    });
  }

  function importFile(ctx: Context, doc: Document) {
    admin.detach("/opml import", async () => {
      const r = await admin.importOpml(ctx.api, doc, { by: ctx.from!.id, at: deps.clock() });
      await ctx.reply(composeOpmlImport(doc.file_name, r), { link_preview_options: { is_disabled: true } });
    });
  }

  c.command("opml", admins, async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    const doc = ctx.msg.reply_to_message?.document;
    if (doc && (arg === "" || arg === "import")) return importFile(ctx, doc);
    if (arg === "" || arg === "export") return exportList(ctx);
    await ctx.reply(USAGE);
  });

  // Commands are not matched in captions, so the document itself is looked at.
  c.on("message:document")
    .filter((ctx) => CAPTION.test(ctx.msg.caption ?? ""))
    .use(admins, (ctx) => importFile(ctx, ctx.msg.document));

  return c;
}
