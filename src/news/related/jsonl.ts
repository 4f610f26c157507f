import { z } from "zod";
import { htmlToLine } from "../html-text.js";
import type { RelatedDoc } from "./doc.js";

/** Optional fields may be absent or null (exports from other tools write null). */
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/**
 * A headline or summary as the bot would hold it: markup and entities an
 * export left in ("<em>Bachelor</em>", "Beyonc&#233;", "<p>…</p>") become
 * plain text, as normalize makes a feed's, so that "em", "nbsp" or "href"
 * are no words to match on.
 */
const plain = (v: string) => (/[<&]/.test(v) ? htmlToLine(v) : v);
const plainText = z.string().transform(plain);
const optionalPlainText = optionalText.transform((v) => (v === undefined ? v : plain(v)));

/** An id as other tools write it: a non-empty string, or a number (ids from a database export). */
export const inputIdSchema = z.union([z.string().min(1, "id must not be empty"), z.number().finite()]);

export const relatedDocSchema = z.object({
  id: inputIdSchema.transform(String),
  title: plainText,
  description: optionalPlainText,
  source: optionalText,
  url: optionalText,
  /** the story's language as its source declares it (see RelatedDoc.lang) */
  lang: optionalText,
  published: z
    .union([z.string(), z.number().finite()])
    .nullish()
    .transform((v) => v ?? undefined),
});

export const labelledDocSchema = relatedDocSchema.extend({
  story_id: z.union([z.string().min(1), z.number()]).transform(String),
});

export type LabelledDoc = RelatedDoc & { story_id: string };

export type JsonlResult<T> = { ok: true; rows: T[] } | { ok: false; error: string };

/**
 * One JSON object per line; blank lines are skipped. Stops at the first bad
 * line with "line N: what is wrong", because a half-read file would give
 * numbers that look real.
 */
export function parseJsonl<T>(text: string, schema: z.ZodType<T>): JsonlResult<T> {
  const rows: T[] = [];
  const lines = text.split("\n");
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      return { ok: false, error: `line ${i + 1}: not valid JSON (${(err as Error).message})` };
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.map(String).join(".")}: ` : "";
      return { ok: false, error: `line ${i + 1}: ${where}${issue.message}` };
    }
    const raw = (r.data as { id?: unknown }).id;
    if (typeof raw === "string" || typeof raw === "number") {
      // 7 and "7" are one story to the index.
      const id = String(raw);
      const first = seen.get(id);
      if (first !== undefined) return { ok: false, error: `line ${i + 1}: duplicate id "${id}" (also line ${first})` };
      seen.set(id, i + 1);
    }
    rows.push(r.data);
  }
  return { ok: true, rows };
}
