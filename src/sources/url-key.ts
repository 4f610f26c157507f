/** Moved to ../news/url.js; this path stays for the importers not yet switched. */
export { feedUrlKey } from "../news/url.js";
