import type { ParsedFeed } from "../news/item.js";
import { decodeBody } from "./decode.js";
import { FeedError } from "./errors.js";
import { fetchFeed, type HttpCache } from "./fetch.js";
import { parseFeedText } from "./parse.js";
import { refuseBytes } from "./sniff.js";

export type { HttpCache };

export interface ReadFeedOptions {
  timeoutMs: number;
  maxBytes: number;
  /** validators from the previous poll, for a conditional GET */
  cache?: HttpCache;
  signal?: AbortSignal;
}

export type ReadFeedResult =
  | { status: "ok"; feed: ParsedFeed; cache: HttpCache; finalUrl: string }
  | { status: "not-modified" };

/** fetch → refuse the obvious non-feeds → decode → parse. Every failure is a FeedError. */
export async function readFeed(source: { id: string; url: string }, opts: ReadFeedOptions): Promise<ReadFeedResult> {
  const res = await fetchFeed(source.id, source.url, opts);
  if (res.status === "not-modified") return res;

  const refusal = refuseBytes(res.body, res.contentType);
  if (refusal) throw new FeedError(source.id, refusal.kind, refusal.reason);

  const feed = await parseFeedText(decodeBody(res.body, res.contentType), source.id);
  return { status: "ok", feed, cache: res.cache, finalUrl: res.finalUrl };
}
