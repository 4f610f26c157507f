import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { sameStoryUrl } from "../news/url.js";
import { BOUNDS, type Keys } from "../store/keys.js";

/**
 * Article leads by canonical URL, in Redis: what a page gave (its lead) or
 * why it gave none, so a page linked from two feeds — a site's main feed and
 * its section feed — is fetched once, and a broken one is not asked again
 * for an hour. The one owner of `lead:<hash>`.
 */

export type LeadRecord =
  /** the page's first sentences */
  | { lead: string; at: number }
  /** why there is none: a FeedErrorKind ("timeout", "http"…), "no-text", "not-html", "extract-timeout", "extract-crashed"… */
  | { failed: string; at: number };

export interface LeadStore {
  /** the records of these article URLs, by the URL as given; one round trip */
  get(urls: readonly string[]): Promise<Map<string, LeadRecord>>;
  /** a lead is kept BOUNDS.leadTtlS, a failure BOUNDS.leadFailureTtlS */
  put(url: string, record: LeadRecord): Promise<void>;
}

/**
 * The key of an article: a hash of sameStoryUrl — scheme, "www.", tracking
 * parameters and the fragment do not make another page — so a key is short
 * whatever the URL's length.
 */
export function leadKeyOf(url: string): string {
  const canonical = sameStoryUrl(url) || url.trim();
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

function decode(raw: string | null): LeadRecord | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<{ lead: unknown; failed: unknown; at: unknown }>;
    const at = typeof v.at === "number" ? v.at : 0;
    if (typeof v.lead === "string") return { lead: v.lead, at };
    if (typeof v.failed === "string") return { failed: v.failed, at };
  } catch {
    // a record this version cannot read is no record
  }
  return null;
}

export function createLeadStore(redis: Redis, k: Keys): LeadStore {
  return {
    async get(urls) {
      const out = new Map<string, LeadRecord>();
      if (urls.length === 0) return out;
      const raw = await redis.mget(urls.map((u) => k.lead(leadKeyOf(u))));
      urls.forEach((u, i) => {
        const r = decode(raw[i] ?? null);
        if (r) out.set(u, r);
      });
      return out;
    },
    async put(url, record) {
      const ttl = "lead" in record ? BOUNDS.leadTtlS : BOUNDS.leadFailureTtlS;
      await redis.set(k.lead(leadKeyOf(url)), JSON.stringify(record), "EX", ttl);
    },
  };
}
