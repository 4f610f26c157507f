/**
 * The form of a feed URL used to notice the same feed added twice:
 * "HTTPS://Example.com:443/feed#top" and "https://example.com/feed" are one
 * feed. Path, query and scheme stay: servers may treat them as different.
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
