/**
 * Two links to one page should compare equal even when feeds decorate them
 * differently: scheme, "www.", tracking parameters, fragments, a trailing
 * slash. Returns "" for anything that does not parse as an http(s) URL, so
 * a missing or broken link never equals another one.
 */
const TRACKING = /^(?:utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|ocid|cmpid|ref|ref_src|src|rss|at_medium|at_campaign|track|from)$/i;

export function canonicalUrl(raw: string | undefined): string {
  if (!raw) return "";
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return "";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "";
  const host = u.hostname.toLowerCase().replace(/^(?:www\d?|m|amp)\./, "");
  const params = [...u.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? "?" + new URLSearchParams(params).toString() : "";
  const path = u.pathname.replace(/\/+$/, "") || "/";
  const port = u.port && u.port !== "80" && u.port !== "443" ? `:${u.port}` : "";
  return `${host}${port}${path}${query}`;
}
