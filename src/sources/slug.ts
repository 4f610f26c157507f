/**
 * Ids for sources added from the chat: a readable slug from the feed's title
 * (or its host when the title has no Latin letters or digits), made unique
 * with -2, -3, … The ids match SOURCES_FILE's rule: lowercase, digits and
 * single dashes.
 */

/** Leaves room for a "-NNN" suffix inside the schema's 64 characters. */
export const SLUG_MAX = 40;

export function slugify(text: string, max = SLUG_MAX): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const dash = cut.lastIndexOf("-");
  return (dash > max / 2 ? cut.slice(0, dash) : cut.slice(0, max)).replace(/-+$/, "");
}

/** "feeds.bbci.co.uk" → "bbci-co-uk": the usual feed-host prefixes say nothing. */
export function hostSlug(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return "";
  }
  return slugify(host.replace(/^(?:www|feeds?|rss|m)\d*\./, ""));
}

/** The slug a new source would get, before uniqueness: the title's, else the host's, else "source". */
export function baseId(title: string | undefined, url: string): string {
  return slugify(title ?? "") || hostSlug(url) || "source";
}

/** `base`, `base-2`, `base-3`, … without the taken ones, `n` of them, in order. */
export function idCandidates(base: string, taken: ReadonlySet<string>, n = 20): string[] {
  const out: string[] = [];
  for (let i = 1; out.length < n && i < 10_000; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    if (!taken.has(id)) out.push(id);
  }
  return out;
}
