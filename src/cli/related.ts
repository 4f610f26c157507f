/**
 * related FILE.jsonl — prints, for each story in FILE, the stories the bot
 * would show as related, exactly as the bot ranks them.
 *
 * Input: one JSON object per line, {id, title, description?, source?, url?, published?, lang?}
 * (`lang`: the source's language, "en", "ru", "az"; guessed from the text when absent).
 * Output: one line per input line, in input order: {"id":"…","related":["…",…]}
 * (best first, at most 3, possibly empty; ids as the file wrote them, a
 * number staying a number). A bad line → one line on stderr
 * ("related: line 7: …") and exit code 1.
 */

import type { RelatedDoc } from "../news/related/doc.js";
import { inputIdSchema, parseJsonl, relatedDocSchema } from "../news/related/jsonl.js";
import { RelatedIndex } from "../news/related/ranker.js";
import { isEntryPoint, parseCliArgs, readTextFile } from "./cli-util.js";

const USAGE = "usage: related FILE.jsonl   (one {id,title,description?,source?,url?,published?,lang?} per line)";

/** A line's story, and its id as the file wrote it (a number stays a number in the output). */
const lineSchema = relatedDocSchema
  .extend({ id: inputIdSchema })
  .transform((row): { doc: RelatedDoc; id: string | number } => ({ doc: { ...row, id: String(row.id) }, id: row.id }));

/** The whole run as a value: lines for stdout, or the message for stderr. */
export function relatedLines(text: string): { ok: true; lines: string[] } | { ok: false; error: string } {
  const parsed = parseJsonl(text, lineSchema);
  if (!parsed.ok) return parsed;
  const index = new RelatedIndex();
  const written = new Map<string, string | number>();
  for (const { doc, id } of parsed.rows) {
    index.add(doc);
    written.set(doc.id, id);
  }
  const lines = parsed.rows.map(({ doc, id }) =>
    JSON.stringify({ id, related: index.related(doc, 3).map((h) => written.get(h.id) ?? h.id) }),
  );
  return { ok: true, lines };
}

export async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  if (!args.ok) {
    process.stderr.write(`related: ${args.error}; ${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args.parsed;
  if (values.help || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const file = positionals[0]!;
  const read = await readTextFile(file);
  if (!read.ok) {
    process.stderr.write(`related: ${read.error}\n`);
    return 1;
  }
  const text = read.text;
  const r = relatedLines(text);
  if (!r.ok) {
    process.stderr.write(`related: ${r.error}\n`);
    return 1;
  }
  process.stdout.write(r.lines.length ? `${r.lines.join("\n")}\n` : "");
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  // `related FILE | head` closes the pipe early; that is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`related: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
