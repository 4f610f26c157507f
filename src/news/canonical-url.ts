/**
 * Moved to ./url.js; this path stays for the importers not yet switched.
 * `canonicalUrl` is `storyUrl` there (the form item keys are hashed from).
 */
export { absoluteHttpUrl, resolveHttpUrl, storyUrl as canonicalUrl } from "./url.js";
