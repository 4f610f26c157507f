/**
 * Every way the bot reads, resolves and compares URLs, in one place, with one
 * list of tracking parameters. Pure.
 *
 * - resolveHttpUrl / absoluteHttpUrl: a link as a feed gives it → an absolute http(s) URL, or null.
 * - storyUrl: the exact form item keys are hashed from (stored: must never change).
 * - sameStoryUrl: a looser form, for telling that two links are one page (in memory only).
 * - feedUrlKey: the form of a feed URL that notices the same feed added twice.
 * - hostOf: the host a URL's requests go to.
 */

/**
 * Query parameters that track the reader, not the page: the one list.
 *
 * `key: true` names are also dropped by storyUrl, whose result item keys are
 * hashed from. That set is frozen: adding a name to it would give stories
 * already stored a new key, and subscribers would get them again. New names
 * go in with `key: false`; they still count when comparing links (sameStoryUrl).
 * A name ending in "_" is a prefix (`utm_` matches `utm_source`).
 */
export const TRACKING_PARAMS: ReadonlyArray<{ readonly name: string; readonly key: boolean }> = [
  { name: "utm_", key: true },
  { name: "fbclid", key: true },
  { name: "gclid", key: true },
  { name: "yclid", key: true },
  { name: "mc_cid", key: true },
  { name: "mc_eid", key: true },
  { name: "ref", key: true },
  { name: "_ga", key: true },
  { name: "cmpid", key: true },
  { name: "ocid", key: true },
  { name: "ref_src", key: false },
  { name: "src", key: false },
  { name: "rss", key: false },
  { name: "at_medium", key: false },
  { name: "at_campaign", key: false },
  { name: "track", key: false },
  { name: "from", key: false },
];

function trackingMatcher(entries: ReadonlyArray<{ name: string }>): (param: string) => boolean {
  const exact = new Set(entries.filter((e) => !e.name.endsWith("_")).map((e) => e.name));
  const prefixes = entries.filter((e) => e.name.endsWith("_")).map((e) => e.name);
  return (param) => {
    const n = param.toLowerCase();
    return exact.has(n) || prefixes.some((p) => n.startsWith(p));
  };
}

/** True for a tracking parameter that item keys ignore. */
const isKeyTracking = trackingMatcher(TRACKING_PARAMS.filter((e) => e.key));
/** True for any tracking parameter. */
const isTracking = trackingMatcher(TRACKING_PARAMS);

const byName = ([a]: [string, string], [b]: [string, string]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An absolute http(s) URL for a link found in a feed, or null.
 * Relative (`/a`, `a`, `../a`) and protocol-relative (`//host/a`) links are
 * resolved against `base` (the feed's final URL). Any other scheme —
 * `javascript:`, `data:`, `mailto:`, `tel:` — is refused: it is not a story.
 */
export function resolveHttpUrl(raw: string | undefined | null, base?: string): string | null {
  // A link escaped twice in the XML arrives with "&amp;" between its parameters.
  const text = raw?.trim().replace(/&(?:amp|#0*38|#x0*26);/gi, "&");
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    try {
      url = new URL(text); // base itself unusable, but the link may be absolute
    } catch {
      return null;
    }
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
  return url.href;
}

/** The URL when `text` is already an absolute http(s) URL (nothing resolved), else null. */
export function absoluteHttpUrl(text: string | undefined | null): string | null {
  if (!text || !/^\s*https?:\/\//i.test(text)) return null;
  return resolveHttpUrl(text);
}

/**
 * A link from a web page (already entity-decoded) → absolute http(s) URL
 * without its fragment, or null. Unlike resolveHttpUrl, "&amp;" is left alone:
 * the page's parser has decoded the one layer there is.
 */
export function resolvePageLink(href: string, base: string): string | null {
  try {
    const u = new URL(href.trim(), base);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    u.hash = "";
    return u.href;
  } catch {
    return null;
  }
}

/**
 * The form of a story's URL that item keys are made from: tracking
 * parameters (the `key: true` ones of TRACKING_PARAMS) and the fragment
 * removed, host lowercased, default port dropped, remaining query parameters
 * sorted by name (stable, so repeated names keep their order). Path and
 * scheme are kept: servers may treat them as different pages. Text that is
 * not a URL comes back trimmed, unchanged.
 *
 * Stored keys depend on every detail of this function: do not change it.
 */
export function storyUrl(url: string): string {
  const text = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return text;
  }
  // URL already lowercases the host and drops the scheme's default port.
  parsed.hash = "";
  if (parsed.search) {
    const kept = [...parsed.searchParams].filter(([name]) => !isKeyTracking(name));
    kept.sort(byName);
    parsed.search = new URLSearchParams(kept).toString();
  }
  // Some servers answer "/a?" and "/a" alike, and URL keeps a lone "?".
  return parsed.href.replace(/\?$/, "");
}

/**
 * Two links to one page give the same string even when feeds decorate them
 * differently: scheme, "www." (or "m.", "amp."), every tracking parameter,
 * fragments, a trailing slash. "" for anything that is not an http(s) URL,
 * so a missing or broken link never equals another one. Not a URL itself
 * (no scheme): only for comparing.
 */
export function sameStoryUrl(raw: string | undefined | null): string {
  if (!raw) return "";
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return "";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "";
  const host = u.hostname.toLowerCase().replace(/^(?:www\d?|m|amp)\./, "");
  const params = [...u.searchParams].filter(([k]) => !isTracking(k)).sort(byName);
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : "";
  const path = u.pathname.replace(/\/+$/, "") || "/";
  const port = u.port && u.port !== "80" && u.port !== "443" ? `:${u.port}` : "";
  return `${host}${port}${path}${query}`;
}

/**
 * The form of a feed URL used to notice the same feed added twice:
 * "HTTPS://Example.com:443/feed#top" and "https://example.com/feed" are one
 * feed. Path, query and scheme stay: servers may treat them as different.
 * Tracking parameters stay too: a feed URL is what the admin chose.
 */
export function feedUrlKey(url: string): string {
  try {
    const u = new URL(url.trim());
    u.hash = "";
    return u.href;
  } catch {
    return url.trim();
  }
}

/** "https://Feeds.BBCI.co.uk:443/news/rss.xml" → "feeds.bbci.co.uk"; an unparsable URL is its own host. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
}
