import { afterProlog } from "./sniff.js";

/**
 * What a server or a feed says about how often it wants to be asked:
 * Cache-Control max-age, Retry-After, and RSS <ttl>. Values are returned as
 * stated (in ms); capping them is the poller's policy, not a parsing matter.
 */

/** "public, max-age=600" → 600000. null when absent, zero, or the response may not be reused (no-store, no-cache). */
export function maxAgeMs(cacheControl: string | string[] | undefined): number | null {
  const value = Array.isArray(cacheControl) ? cacheControl.join(",") : cacheControl;
  if (!value) return null;
  let maxAge: number | null = null;
  for (const part of value.split(",")) {
    const [rawName, rawArg] = part.split("=", 2);
    const name = rawName?.trim().toLowerCase();
    if (name === "no-store" || name === "no-cache") return null;
    if (name === "max-age" && rawArg !== undefined) {
      const n = Number(rawArg.trim().replace(/^"(.*)"$/, "$1"));
      if (Number.isInteger(n) && n > 0) maxAge = n * 1000;
    }
  }
  return maxAge;
}

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns the delay from `now` in ms; null when absent, unreadable or past.
 */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) {
    const s = Number(v);
    return s > 0 ? s * 1000 : null;
  }
  const at = Date.parse(v);
  if (!Number.isFinite(at) || at <= now) return null;
  return at - now;
}

/** Only the channel's own <ttl> counts, so the search stops at the first item. */
const FIRST_ITEM = /<(?:[\w.-]+:)?(?:item|entry)[\s>/]/;
const TTL = /<(?:[\w.-]+:)?ttl\s*>\s*(\d{1,7})\s*<\//;

/** RSS 2.0 <ttl> (minutes the channel may be cached) in ms; null when the feed has none. */
export function feedTtlMs(text: string): number | null {
  const head = afterProlog(text).slice(0, 64 * 1024);
  const end = head.search(FIRST_ITEM);
  const m = TTL.exec(end < 0 ? head : head.slice(0, end));
  const minutes = m ? Number(m[1]) : 0;
  return minutes > 0 ? minutes * 60_000 : null;
}
