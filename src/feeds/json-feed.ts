import { z } from "zod";
import type { ParsedFeed, RawEntry } from "../news/item.js";

/**
 * JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1). Items are checked one
 * by one so a single malformed item is skipped rather than failing the feed.
 */

/** A wrongly typed optional field is dropped, not fatal. */
const text = z.string().optional().catch(undefined);

const feedSchema = z.object({
  version: z.string().startsWith("https://jsonfeed.org/version/"),
  title: text,
  home_page_url: text,
  items: z.array(z.unknown()),
});

const itemSchema = z.object({
  id: z.union([z.string(), z.number()]).optional().catch(undefined),
  url: text,
  external_url: text,
  title: text,
  content_html: text,
  content_text: text,
  summary: text,
  date_published: text,
  date_modified: text,
});

/** `detail`: what the refusal is, for feedErrorText ("invalid-json", "json"); `reason` in English. */
export type JsonFeedResult = { ok: true; feed: ParsedFeed } | { ok: false; reason: string; detail: "invalid-json" | "json" };

export function parseJsonFeed(source: string): JsonFeedResult {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    return { ok: false, reason: "not a feed (invalid JSON)", detail: "invalid-json" };
  }
  const r = feedSchema.safeParse(json);
  if (!r.success) return { ok: false, reason: "not a feed (JSON that is not a JSON Feed)", detail: "json" };

  const entries: RawEntry[] = [];
  for (const raw of r.data.items) {
    const it = itemSchema.safeParse(raw);
    if (!it.success) continue;
    const i = it.data;
    const entry: RawEntry = {};
    if (i.id !== undefined && String(i.id) !== "") entry.guid = String(i.id);
    const link = i.url ?? i.external_url;
    if (link) entry.link = link;
    if (i.title) entry.title = i.title;
    const content = i.content_html ?? i.content_text;
    if (content) entry.content = content;
    if (i.summary) entry.summary = i.summary;
    const date = i.date_published ?? i.date_modified;
    if (date) entry.date = date;
    entries.push(entry);
  }
  const feed: ParsedFeed = { entries };
  if (r.data.title) feed.title = r.data.title;
  if (r.data.home_page_url) feed.link = r.data.home_page_url;
  return { ok: true, feed };
}
