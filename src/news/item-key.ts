/**
 * Which story an entry is, so that the next poll recognises it.
 */
import { createHash } from "node:crypto";
import { storyUrl } from "./url.js";

export interface IdentityParts {
  guid?: string | undefined;
  /** Atom <id> */
  id?: string | undefined;
  /** resolved absolute link, or null */
  link?: string | null | undefined;
  title?: string | undefined;
  summary?: string | undefined;
}

/**
 * The entry's identity string, from the most stable thing it has: guid,
 * then Atom id, then its canonical link (so `?utm_source=…` added by
 * one poll and not the next is the same story), then title and summary.
 * The kind is written in front so a guid can never equal a link by chance.
 */
export function identityOf(parts: IdentityParts): string {
  const guid = parts.guid?.trim();
  if (guid) return `guid:${guid}`;
  const id = parts.id?.trim();
  if (id) return `id:${id}`;
  if (parts.link) return `url:${storyUrl(parts.link)}`;
  return `text:${parts.title ?? ""}\n${parts.summary ?? ""}`;
}

/** `${sourceId}:` + the first 16 hex digits of the identity's SHA-256. */
export function itemKey(sourceId: string, identity: string): string {
  return `${sourceId}:${createHash("sha256").update(identity, "utf8").digest("hex").slice(0, 16)}`;
}

export interface Keyed {
  identity: string;
  link: string;
  title: string;
}

/**
 * Makes identities unique within one feed document, in place of the order
 * the feed lists them:
 * - an exact repeat (same identity, same link, same title) is one story
 *   listed twice and is removed;
 * - when different stories share an identity (a feed that gives every
 *   entry the same guid), every one of them is told apart by its link, or
 *   by link and title when the links match too.
 *
 * Telling them apart by content rather than numbering them #2, #3 in
 * document order keeps keys stable from poll to poll: with numbering, a new
 * entry added at the top of such a feed would take the key of the entry
 * that used to be first and never be delivered.
 */
export function uniqueIdentities<T extends Keyed>(entries: T[]): T[] {
  interface Group {
    seen: Set<string>;
    links: Map<string, number>;
  }
  const groups = new Map<string, Group>();
  const kept: { entry: T; url: string }[] = [];
  for (const entry of entries) {
    const url = storyUrl(entry.link);
    const exact = `${url}\n${entry.title}`;
    let group = groups.get(entry.identity);
    if (!group) {
      group = { seen: new Set(), links: new Map() };
      groups.set(entry.identity, group);
    }
    if (group.seen.has(exact)) continue;
    group.seen.add(exact);
    group.links.set(url, (group.links.get(url) ?? 0) + 1);
    kept.push({ entry, url });
  }
  return kept.map(({ entry, url }) => {
    const group = groups.get(entry.identity);
    if (!group || group.seen.size < 2) return entry;
    const qualifier = group.links.get(url) === 1 ? url : `${url}\n${entry.title}`;
    return { ...entry, identity: `${entry.identity}#${qualifier}` };
  });
}
