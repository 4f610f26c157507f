import type { ParsedFeed } from "../news/item.js";
import { resolvePageLink } from "../news/url.js";
import { decodeBody } from "./decode.js";
import { FeedError } from "./errors.js";
import { fetchFeed } from "./fetch.js";
import { parseFeedText } from "./parse.js";
import { afterProlog, mediaType, refuseBytes } from "./sniff.js";
import type { Guard } from "./ssrf.js";
import { scanStartTags } from "./start-tags.js";

/**
 * From whatever an admin pasted to a feed: the URL itself when it is a feed,
 * else the feeds a site's page announces (`<link rel="alternate">`), else the
 * paths sites usually put their feed at. Probes one URL at a time: a site
 * should not see a burst from a bot it has not met yet.
 */

/** Tried in this order when a page announces no feed. */
export const COMMON_FEED_PATHS = ["/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml"] as const;

const FEED_TYPES = new Set(["application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"]);

/** Links announced in the page are few; a page listing hundreds is not worth probing further. */
const MAX_LINK_CANDIDATES = 6;

/** The error a FeedError gets when no source id exists yet. */
export const DISCOVER_ID = "new-source";

export interface DiscoverOptions {
  /** per request */
  timeoutMs: number;
  maxBytes: number;
  /** for the whole discovery; default twice timeoutMs */
  budgetMs?: number;
  guard?: Guard;
}

export interface DiscoveredFeed {
  /** the feed's URL after redirects */
  url: string;
  feed: ParsedFeed;
  /** how it was found: the URL was the feed, the page linked to it, or a common path answered */
  via: "direct" | "link" | "common-path";
}

/**
 * The feed URLs a page announces, absolute, in page order — except that
 * comment feeds (WordPress adds one per article) come last. Pure, and linear
 * in the page's size.
 */
export function feedLinksFromHtml(html: string, pageUrl: string): string[] {
  let base = pageUrl;
  let sawBase = false;
  const main: string[] = [];
  const comments: string[] = [];
  scanStartTags(html, new Set(["link", "base"]), (name, a) => {
    if (name === "base") {
      const href = a.get("href")?.trim();
      const resolved = href ? resolvePageLink(href, pageUrl) : null;
      if (!sawBase && resolved) base = resolved;
      sawBase = true;
      return;
    }
    const rel = (a.get("rel") ?? "").toLowerCase().split(/\s+/);
    const type = (a.get("type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!rel.includes("alternate") || !FEED_TYPES.has(type)) return;
    const href = a.get("href")?.trim();
    const url = href ? resolvePageLink(href, base) : null;
    if (!url) return;
    const title = a.get("title") ?? "";
    (/\bcomments?\b/i.test(title) || /\/comments\/feed\/?$/.test(url) ? comments : main).push(url);
  });
  return [...new Set([...main, ...comments])];
}

/** The common feed locations at the root of the page's site. */
export function commonFeedUrls(pageUrl: string): string[] {
  const origin = new URL(pageUrl).origin;
  return COMMON_FEED_PATHS.map((p) => `${origin}${p}`);
}

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  const media = mediaType(contentType);
  if (media === "text/html" || media === "application/xhtml+xml") return true;
  return /^(?:<!doctype\s+html[\s>]|<html[\s>])/i.test(afterProlog(text));
}

type Fetched = { kind: "feed"; url: string; feed: ParsedFeed } | { kind: "html"; url: string; html: string };

async function fetchOne(url: string, opts: DiscoverOptions, timeoutMs: number): Promise<Fetched> {
  const res = await fetchFeed(DISCOVER_ID, url, { timeoutMs, maxBytes: opts.maxBytes, guard: opts.guard });
  // No validators were sent, so only a broken server answers 304.
  if (res.status === "not-modified") {
    throw new FeedError(
      DISCOVER_ID,
      "http",
      "HTTP 304 to a request without validators",
      { detail: "unexpected-304", status: "304" },
      { status: 304 },
    );
  }
  const refusal = refuseBytes(res.body, res.contentType);
  if (refusal) throw new FeedError(DISCOVER_ID, refusal.kind, refusal.reason, refusal.params);
  const text = decodeBody(res.body, res.contentType);
  if (looksLikeHtml(text, res.contentType)) return { kind: "html", url: res.finalUrl, html: text };
  return { kind: "feed", url: res.finalUrl, feed: await parseFeedText(text, DISCOVER_ID) };
}

/**
 * Finds and reads the feed behind `url`. Throws FeedError with a reason fit
 * for one line to an admin: the URL's own failure (timeout, HTTP 404, SSRF
 * refusal, not a feed) when the URL is not a page, or "no feed found" when
 * it is a page and nothing it leads to is a feed.
 */
export async function discoverFeed(url: string, opts: DiscoverOptions): Promise<DiscoveredFeed> {
  const deadline = Date.now() + (opts.budgetMs ?? 2 * opts.timeoutMs);
  const first = await fetchOne(url, opts, opts.timeoutMs);
  if (first.kind === "feed") return { url: first.url, feed: first.feed, via: "direct" };

  const linked = feedLinksFromHtml(first.html, first.url).slice(0, MAX_LINK_CANDIDATES);
  const guessed = commonFeedUrls(first.url).filter((u) => !linked.includes(u));
  const tried = new Set([url, first.url]);
  const candidates: Array<[string, DiscoveredFeed["via"]]> = [
    ...linked.map((u): [string, DiscoveredFeed["via"]] => [u, "link"]),
    ...guessed.map((u): [string, DiscoveredFeed["via"]] => [u, "common-path"]),
  ];
  let refused: FeedError | undefined;
  for (const [candidate, via] of candidates) {
    if (tried.has(candidate)) continue;
    tried.add(candidate);
    const left = deadline - Date.now();
    if (left < 100) break;
    try {
      const r = await fetchOne(candidate, opts, Math.min(opts.timeoutMs, left));
      if (r.kind === "feed") return { url: r.url, feed: r.feed, via };
    } catch (err) {
      // A 404 at /rss is the normal answer; only a refusal is worth reporting.
      if (err instanceof FeedError && err.kind === "refused") refused ??= err;
      else if (!(err instanceof FeedError)) throw err;
    }
  }
  if (refused) throw refused;
  const paths = COMMON_FEED_PATHS.join(", ");
  throw new FeedError(
    DISCOVER_ID,
    "not-a-feed",
    `no feed found: the page announces ${linked.length === 0 ? "none" : "none that works"} and nothing answers at ${paths}`,
    { detail: linked.length === 0 ? "none-found" : "none-working", paths },
  );
}
