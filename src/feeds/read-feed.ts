import type { ParsedFeed } from "../news/item.js";
import { decodeBody } from "./decode.js";
import { FeedError } from "./errors.js";
import { type FetchOptions, type FetchResult, fetchFeed, type HttpCache } from "./fetch.js";
import { feedTtlMs } from "./hints.js";
import { type ReadOptions, readFeedText } from "./parse.js";
import { refuseBytes } from "./sniff.js";

export type { HttpCache };

export interface ReadFeedOptions {
  timeoutMs: number;
  maxBytes: number;
  /** validators from the previous poll, for a conditional GET */
  cache?: HttpCache;
  signal?: AbortSignal;
  /** SSRF guard for sources added from the chat (see ssrf.ts) */
  guard?: FetchOptions["guard"];
}

/**
 * maxAgeMs: Cache-Control max-age; ttlMs: the feed's <ttl> — each present only when the server or feed gave one.
 * entriesOverCap: entries the feed listed past FEED_ENTRY_CAP, counted and not read — present only when some were.
 */
export type ReadFeedResult =
  | {
      status: "ok";
      feed: ParsedFeed;
      cache: HttpCache;
      finalUrl: string;
      maxAgeMs?: number;
      ttlMs?: number;
      entriesOverCap?: number;
    }
  | { status: "not-modified"; maxAgeMs?: number };

/** fetch → refuse the obvious non-feeds → decode → parse. Every failure is a FeedError. */
export async function readFeed(source: { id: string; url: string }, opts: ReadFeedOptions): Promise<ReadFeedResult> {
  const res = await fetchFeed(source.id, source.url, opts);
  return res.status === "not-modified" ? res : parseFetched(source.id, res);
}

/** A fetched body → refuse the obvious non-feeds → decode → parse (the newest FEED_ENTRY_CAP entries). Every failure is a FeedError. */
export async function parseFetched(
  sourceId: string,
  res: Extract<FetchResult, { status: "ok" }>,
  opts: ReadOptions = {},
): Promise<ReadFeedResult & { status: "ok" }> {
  const refusal = refuseBytes(res.body, res.contentType);
  if (refusal) throw new FeedError(sourceId, refusal.kind, refusal.reason, refusal.params);

  const text = decodeBody(res.body, res.contentType);
  const ttlMs = feedTtlMs(text);
  const { feed, entriesOverCap } = await readFeedText(text, sourceId, opts);
  return {
    status: "ok",
    feed,
    cache: res.cache,
    finalUrl: res.finalUrl,
    ...(res.maxAgeMs ? { maxAgeMs: res.maxAgeMs } : {}),
    ...(ttlMs ? { ttlMs } : {}),
    ...(entriesOverCap ? { entriesOverCap } : {}),
  };
}
