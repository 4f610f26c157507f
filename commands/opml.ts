import { Composer, InputFile, type Context } from "grammy";
import type { Document } from "grammy/types";
import { isAdmin, type CommandDeps } from "../src/bot/context.js";
import { decodeBody } from "../src/feeds/decode.js";
import { FeedError, formatBytes } from "../src/feeds/errors.js";
import { refuseAddressLiteral } from "../src/feeds/ssrf.js";
import { OPML_MAX_BYTES, type SourceAdmin } from "../src/sources/admin.js";
import { buildOpml, parseOpml, sourcesFromOutlines } from "../src/sources/opml.js";
import { feedUrlKey } from "../src/sources/url-key.js";

export const OPML_FILE_NAME = "newsbot-sources.opml";
const USAGE =
  "Usage: /opml — the source list as an OPML file. To import one, send the .opml file with the caption /opml import, or reply /opml to it.";
const CAPTION = /^\/opml(?:@\w+)?(?:\s+import)?\s*$/i;
/** Lists in the import report stop here; the counts are always complete. */
const LIST_MAX = 15;

/**
 * /opml — admins only: exports the source list as an OPML document, and
 * imports one sent as a document (caption "/opml import", or /opml as a
 * reply to it). Imported feeds are not fetched here; like every chat-added
 * source they are polled through the SSRF guard.
 */
export function opmlCommand(deps: CommandDeps, admin: SourceAdmin) {
  const c = new Composer();

  async function exportList(ctx: Context) {
    const sources = await admin.registry.list();
    if (sources.length === 0) {
      await ctx.reply("There are no sources to export yet.");
      return;
    }
    const xml = buildOpml(sources, { title: "newsbot sources", now: deps.clock() });
    await ctx.replyWithDocument(new InputFile(Buffer.from(xml, "utf8"), OPML_FILE_NAME), {
      caption: `${sources.length} source${sources.length === 1 ? "" : "s"} as OPML. To import it into a bot, send the file with the caption /opml import.`,
    });
  }

  async function importFile(ctx: Context, doc: Document) {
    const file = doc.file_name ?? "the file";
    if (doc.file_size !== undefined && doc.file_size > OPML_MAX_BYTES) {
      await ctx.reply(`Could not import ${file}: it is over ${formatBytes(OPML_MAX_BYTES)}.`);
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await admin.download(ctx.api, doc.file_id);
    } catch (err) {
      if (!(err instanceof FeedError)) throw err;
      await ctx.reply(`Could not download ${file}: ${err.reason}`);
      return;
    }
    const parsed = parseOpml(decodeBody(bytes, doc.mime_type));
    if (!parsed.ok) {
      await ctx.reply(`Could not import ${file}: ${parsed.reason}.`);
      return;
    }
    if (parsed.outlines.length === 0) {
      await ctx.reply(`Could not import ${file}: it lists no feeds (no <outline> with an xmlUrl).`);
      return;
    }
    await admin.registry.refresh();
    const known = new Set(admin.registry.cached().map((s) => feedUrlKey(s.url)));
    const r = sourcesFromOutlines(parsed.outlines, admin.registry.takenIds(), known);
    const accepted = r.sources.filter((s) => {
      const refusal = admin.allowPrivate ? null : refuseAddressLiteral(new URL(s.url));
      if (refusal) r.skipped.push(`${s.name}: ${refusal.message}`);
      return !refusal;
    });
    const done = await admin.registry.addMany(accepted, { by: ctx.from!.id, at: deps.clock() });
    deps.logger.info({ added: done.added.length, by: ctx.from?.id }, "sources: OPML import");

    const ids = done.added.map((s) => s.id);
    const lines = [
      `📥 OPML import: ${ids.length} source${ids.length === 1 ? "" : "s"} added${ids.length ? ` (${ids.slice(0, LIST_MAX).join(", ")}${ids.length > LIST_MAX ? ", …" : ""})` : ""}.`,
    ];
    if (r.duplicates.length) lines.push(`Already in the list: ${r.duplicates.length}.`);
    if (done.full.length) lines.push(`Not added, the list is full: ${done.full.length}.`);
    if (parsed.truncated) lines.push(`Not read, over ${parsed.outlines.length} feeds in one file: ${parsed.truncated}.`);
    if (r.skipped.length) {
      lines.push(`Skipped ${r.skipped.length}:`, ...r.skipped.slice(0, LIST_MAX).map((s) => `• ${s}`));
      if (r.skipped.length > LIST_MAX) lines.push(`• …and ${r.skipped.length - LIST_MAX} more`);
    }
    if (ids.length) lines.push("They are polled from the next tick on.");
    await ctx.reply(lines.join("\n"), { link_preview_options: { is_disabled: true } });
  }

  c.command("opml", async (ctx) => {
    if (!isAdmin(deps, ctx)) {
      await ctx.reply("Sorry, only the bot's admins can export or import sources.");
      return;
    }
    const arg = ctx.match.trim().toLowerCase();
    const doc = ctx.msg.reply_to_message?.document;
    if (doc && (arg === "" || arg === "import")) return admin.detach("/opml import", () => importFile(ctx, doc));
    if (arg === "" || arg === "export") return exportList(ctx);
    await ctx.reply(USAGE);
  });

  // Commands are not matched in captions, so the document itself is looked at.
  c.on("message:document", async (ctx, next) => {
    if (!CAPTION.test(ctx.msg.caption ?? "")) return next();
    if (!isAdmin(deps, ctx)) {
      await ctx.reply("Sorry, only the bot's admins can import sources.");
      return;
    }
    const doc = ctx.msg.document;
    admin.detach("/opml import", () => importFile(ctx, doc));
  });

  return c;
}
