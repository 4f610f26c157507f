import type { Item } from "../news/item.js";
import { type AnalyzedText, analyzeText } from "../prefs/keywords.js";
import { storyFacts } from "../prefs/match.js";
import type { StoryFacts } from "../prefs/types.js";
import type { StoryRecord, StoryStore } from "../store/story-store.js";
import type { ItemStore } from "../store/types.js";

/** A planned story as every chat's delivery reads it: its number, body, facts for matching and the planner's decisions. */
export interface TimelineStory {
  seq: number;
  item: Item;
  facts: StoryFacts;
  text: AnalyzedText;
  record: StoryRecord;
}

/**
 * The timeline as this process's deliveries read it. Every chat reads the
 * same few new stories after its own cursor: their bodies, analysed text and
 * story records are loaded and analysed once per process, not once per chat
 * (an item is ~1–2 KB of JSON; 3,000 chats × 20 stories each would be
 * ~100 MB read from Redis). Only the list of numbers after a cursor is asked
 * of Redis per delivery. Bounded: the newest MAX_CACHED stories and items.
 */
const MAX_CACHED = 20_000;

export function createTimelineCache(deps: {
  items: Pick<ItemStore, "timelineBetween" | "getItems">;
  stories: Pick<StoryStore, "records">;
  langOf: (sourceId: string) => string;
}) {
  const stories = new Map<string, TimelineStory>();
  const items = new Map<string, Item>();

  const remember = <V>(m: Map<string, V>, key: string, v: V) => {
    m.set(key, v);
    if (m.size > MAX_CACHED) m.delete(m.keys().next().value!);
  };

  /** Items by key (related stories, roots, merged reports), from the cache or Redis; missing ones (expired) left out. */
  async function itemsByKey(keys: readonly string[]): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const hit = items.get(key) ?? stories.get(key)?.item;
      if (hit) out.set(key, hit);
      else missing.push(key);
    }
    if (missing.length) {
      const loaded = await deps.items.getItems(missing);
      loaded.forEach((item, i) => {
        if (!item) return;
        out.set(missing[i]!, item);
        remember(items, item.key, item);
      });
    }
    return out;
  }

  /**
   * The planned stories numbered after `after` up to `upto`, oldest first:
   * the newest `max` of them when there are more (`skipped` says how many
   * older ones were left out). Stories whose body expired are left out.
   */
  async function range(after: number, upto: number, max: number): Promise<{ stories: TimelineStory[]; skipped: number; from: number }> {
    if (upto <= after) return { stories: [], skipped: 0, from: after };
    const { entries, total } = await deps.items.timelineBetween(after, upto, max);
    const missing = entries.filter((e) => !stories.has(e.key));
    if (missing.length) {
      const [bodies, records] = await Promise.all([
        deps.items.getItems(missing.map((e) => e.key)),
        deps.stories.records(missing.map((e) => e.key)),
      ]);
      missing.forEach((e, i) => {
        const item = bodies[i];
        if (!item) return;
        remember(stories, e.key, {
          seq: e.seq,
          item,
          facts: storyFacts(item, deps.langOf(item.sourceId)),
          text: analyzeText(`${item.title}\n${item.summary}`),
          record: records.get(e.key) ?? {},
        });
      });
    }
    const out = entries.map((e) => stories.get(e.key)).filter((s): s is TimelineStory => s !== undefined);
    const skipped = total - entries.length;
    // Read from just before the first entry when older ones were left out.
    const from = skipped > 0 && entries.length ? entries[0]!.seq - 1 : after;
    return { stories: out, skipped, from };
  }

  /** The number of a story this process has seen on the timeline; undefined when not cached. */
  const seqOf = (key: string): number | undefined => stories.get(key)?.seq;

  return { range, itemsByKey, seqOf, story: (key: string) => stories.get(key) };
}

export type TimelineCache = ReturnType<typeof createTimelineCache>;
