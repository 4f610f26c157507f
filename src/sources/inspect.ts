import { type Source, sourceSchema } from "../config.js";
import { DISCOVER_ID, type DiscoveredFeed, type DiscoverOptions, discoverFeed } from "../feeds/discover.js";
import { FeedError } from "../feeds/errors.js";
import { htmlToLine } from "../news/html-text.js";
import type { Item } from "../news/item.js";
import { normalizeFeed } from "../news/normalize.js";
import { baseId, idCandidates } from "./slug.js";

/**
 * What /addsource shows before anything is stored: the feed found behind the
 * pasted address, the source it would become, and a few of its stories.
 */

export const SAMPLE_ITEMS = 3;
const NAME_MAX = 100;

export interface SourcePreview {
  source: Source;
  /** the first stories, as subscribers would get them */
  samples: Item[];
  /** stories in the feed right now */
  itemCount: number;
  via: DiscoveredFeed["via"];
}

/**
 * The pasted text as an http(s) URL, or null. A bare "example.com/news" gets
 * https://, since that is what people paste from an address bar.
 */
export function parseSourceInput(text: string): string | null {
  const t = text.trim().replace(/^<(.*)>$/, "$1");
  if (!t || /\s/.test(t)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(t) ? t : `https://${t.replace(/^\/\//, "")}`;
  try {
    const u = new URL(withScheme);
    if ((u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname) return null;
    if (u.username || u.password) return null;
    return u.href;
  } catch {
    return null;
  }
}

export interface PreviewOptions extends DiscoverOptions {
  now: number;
  /** ids already in use */
  taken: ReadonlySet<string>;
}

/** Throws FeedError (its kind and params say why, in any language: feedErrorText). */
export async function previewSource(url: string, opts: PreviewOptions): Promise<SourcePreview> {
  const found = await discoverFeed(url, opts);
  const host = new URL(found.url).hostname;
  const title = htmlToLine(found.feed.title ?? "")
    .slice(0, NAME_MAX)
    .trim();
  const name = title || host;
  const id = idCandidates(baseId(title, found.url), opts.taken, 1)[0]!;
  const parsed = sourceSchema.safeParse({ id, name, url: found.url, enabled: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]?.message ?? "invalid";
    throw new FeedError(DISCOVER_ID, "not-a-feed", `cannot make a source of ${found.url}: ${issue}`, {
      detail: "bad-source",
      url: found.url,
      issue,
    });
  }
  const { items } = normalizeFeed(found.feed, { id, name, url: found.url }, opts.now);
  return { source: parsed.data, samples: items.slice(0, SAMPLE_ITEMS), itemCount: items.length, via: found.via };
}
