import type { Source } from "../config.js";
import type { ItemStore } from "../store/types.js";
import type { StoryEntry } from "./compose.js";
import { itemTime, type Item } from "./item.js";
import { RelatedIndex, type RelatedDoc } from "./related/index.js";

export type { StoryEntry };

/** How far back related stories reach, and how many recent items the index holds. */
export const RELATED_WINDOW_MS = 72 * 3600_000;
export const RELATED_MAX_ITEMS = 20_000;

export function toRelatedDoc(item: Item): RelatedDoc {
  return {
    id: item.key,
    title: item.title,
    description: item.summary,
    source: item.sourceId,
    url: item.link,
    published: itemTime(item),
  };
}

/**
 * The read side of the news: recent items with their related stories. Keeps
 * an in-memory related index over recent items, filled from Redis at start
 * and fed by every poll.
 */
export function createNewsService(deps: { items: ItemStore; sources: () => Source[]; clock?: () => number }) {
  const clock = deps.clock ?? Date.now;
  const index = new RelatedIndex();
  const byKey = new Map<string, Item>();

  function add(items: Item[]) {
    for (const item of items) {
      byKey.set(item.key, item);
      index.add(toRelatedDoc(item));
    }
    prune();
  }

  function prune() {
    const cutoff = clock() - RELATED_WINDOW_MS;
    if (byKey.size <= RELATED_MAX_ITEMS && ![...byKey.values()].some((i) => itemTime(i) < cutoff)) return;
    const keep = [...byKey.values()].sort((a, b) => itemTime(b) - itemTime(a));
    for (const [n, item] of keep.entries()) {
      if (n >= RELATED_MAX_ITEMS || itemTime(item) < cutoff) {
        byKey.delete(item.key);
        index.remove(item.key);
      }
    }
  }

  async function relatedFor(item: Item, limit = 3): Promise<Item[]> {
    if (!byKey.has(item.key)) add([item]);
    return index
      .related(toRelatedDoc(item), limit)
      .map((r) => byKey.get(r.id))
      .filter((i): i is Item => i !== undefined);
  }

  return {
    /** fills the related index from the recent items in Redis */
    async load(): Promise<number> {
      add(await deps.items.recent(clock() - RELATED_WINDOW_MS, RELATED_MAX_ITEMS));
      return byKey.size;
    },
    add,
    relatedFor,
    async latest(n: number): Promise<StoryEntry[]> {
      const items = await deps.items.latest(n);
      return Promise.all(items.map(async (item) => ({ item, related: await relatedFor(item) })));
    },
    sources: () => deps.sources().filter((s) => s.enabled),
  };
}

export type NewsService = ReturnType<typeof createNewsService>;
