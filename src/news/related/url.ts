/**
 * Moved to ../url.js; this path stays for the importers not yet switched.
 * `canonicalUrl` here is `sameStoryUrl` there (for comparing links, not for keys).
 */
export { sameStoryUrl as canonicalUrl } from "../url.js";
