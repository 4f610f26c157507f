import { normalizeFeed } from "../news/normalize.js";
import { readFeed } from "./read-feed.js";

/**
 * What the bot would make of one feed, without Redis or Telegram: the logic
 * behind `npm run preview -- <url>`, kept apart from the CLI wiring so tests
 * can call it.
 */

export const PREVIEW_SOURCE_ID = "preview";

export interface PreviewOptions {
  /** defaults match FETCH_TIMEOUT_MS and FETCH_MAX_BYTES */
  timeoutMs?: number;
  maxBytes?: number;
  now?: number;
  signal?: AbortSignal;
}

/** One JSON object per item, in feed order: {"key","title","link","summary","published"}. Throws FeedError. */
export async function previewFeed(url: string, opts: PreviewOptions = {}): Promise<string[]> {
  const res = await readFeed(
    { id: PREVIEW_SOURCE_ID, url },
    { timeoutMs: opts.timeoutMs ?? 20_000, maxBytes: opts.maxBytes ?? 10 * 1024 * 1024, signal: opts.signal },
  );
  // No validators are sent, so a well-behaved server never answers 304 here.
  if (res.status === "not-modified") return [];
  const name = res.feed.title?.trim() || new URL(res.finalUrl).host;
  const { items } = normalizeFeed(res.feed, { id: PREVIEW_SOURCE_ID, name, url: res.finalUrl }, opts.now ?? Date.now());
  return items.map(({ key, title, link, summary, published }) => JSON.stringify({ key, title, link, summary, published }));
}
