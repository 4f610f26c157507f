/**
 * Links as feeds give them → links we can show and compare.
 */

/** Query parameters that track the reader, not the page. */
const TRACKING_EXACT = new Set(["fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "ref", "_ga", "cmpid", "ocid"]);

function isTracking(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith("utm_") || TRACKING_EXACT.has(n);
}

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
 * The form of a URL used to recognise the same page: tracking parameters
 * (`utm_*`, `fbclid`, `gclid`, `yclid`, `mc_cid`, `mc_eid`, `ref`, `_ga`,
 * `cmpid`, `ocid`) and the fragment removed, host lowercased, default port
 * dropped, remaining query parameters sorted by name (stable, so repeated
 * names keep their order). Path and scheme are kept: servers may treat them
 * as different pages. Text that is not a URL comes back trimmed, unchanged.
 */
export function canonicalUrl(url: string): string {
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
    const kept = [...parsed.searchParams].filter(([name]) => !isTracking(name));
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    parsed.search = new URLSearchParams(kept).toString();
  }
  // Some servers answer "/a?" and "/a" alike, and URL keeps a lone "?".
  return parsed.href.replace(/\?$/, "");
}
