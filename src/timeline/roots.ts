import type { Item } from "../news/item.js";
import { chooseRoot } from "../news/related/index.js";
import type { StoryStore } from "../store/story-store.js";
import type { ItemStore } from "../store/types.js";

export interface MergeDeps {
  /** a later report is merged into the first one at most this long after it was seen (ms) */
  windowMs: number;
  /** reports of the same story seen before `item`, within the window, oldest first */
  earlier(item: Item): Item[] | Promise<Item[]>;
  /**
   * whether `item` is like enough to `root`, a story's first report, to join
   * it through a later report of the story (resemblesRoot); absent = never
   */
  resembles?(item: Item, root: Item): boolean;
}

/**
 * For each item being planned that is a later report of a story planned
 * before (or earlier in `queue`), the story's first report — its root; and
 * records every decision (roots with their related stories, merges) in the
 * story store before any chat can read them, so a re-run after a crash
 * decides the same (the store keeps the first decision).
 */
export async function chooseRoots(
  deps: { items: Pick<ItemStore, "getItems">; stories: StoryStore },
  merge: MergeDeps,
  queue: Item[],
  related: Map<string, string[]>,
): Promise<Map<string, Item>> {
  const { items, stories } = deps;
  const earlier = new Map<string, Item[]>();
  for (const item of queue) {
    earlier.set(
      item.key,
      (await merge.earlier(item)).filter((e) => item.seenAt - e.seenAt <= merge.windowMs),
    );
  }
  const candidates = new Set([...earlier.values()].flat().map((i) => i.key));
  const records = await stories.records([...new Set([...candidates, ...queue.map((i) => i.key)])]);
  // Roots decided before: a re-run's own, and those earlier reports joined
  // (perhaps no longer in the index).
  const decided = new Set([...records.values()].flatMap((r) => (r.into ? [r.into] : [])));
  const known = new Map((await items.getItems([...decided])).flatMap((i) => (i ? [[i.key, i] as const] : [])));

  const roots = new Map<string, Item>();
  const inRound = new Set<string>();
  // Only a report that went out as a message of its own (before, or in this round) takes others in.
  const isRoot = (e: Item) =>
    inRound.has(e.key) ? !roots.has(e.key) : records.get(e.key)?.related !== undefined && !records.get(e.key)?.into;
  const joined = (e: Item) => {
    if (inRound.has(e.key)) return roots.get(e.key);
    const into = records.get(e.key)?.into;
    return into ? known.get(into) : undefined;
  };
  for (const item of queue) {
    const rec = records.get(item.key);
    const resembles = merge.resembles;
    const via = resembles && {
      rootOf: (e: Item) => {
        const root = joined(e);
        return root && item.seenAt - root.seenAt <= merge.windowMs ? root : undefined;
      },
      likeRoot: (root: Item) => resembles(item, root),
    };
    const root = rec?.into ? known.get(rec.into) : rec ? undefined : chooseRoot(earlier.get(item.key)!, isRoot, via);
    if (root) roots.set(item.key, root);
    inRound.add(item.key);
  }
  await stories.saveRoots(queue.filter((i) => !roots.has(i.key)).map((i) => ({ key: i.key, related: related.get(i.key) ?? [] })));
  await stories.saveMerges(queue.flatMap((i) => (roots.has(i.key) ? [{ key: i.key, into: roots.get(i.key)!.key, seenAt: i.seenAt }] : [])));
  return roots;
}
