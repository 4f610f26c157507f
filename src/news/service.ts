import type { Source } from "../config.js";
import type { Logger } from "../log.js";
import type { ItemStore } from "../store/types.js";
import type { StoryEntry } from "./compose.js";
import { type Item, itemTime } from "./item.js";
import { type RelatedDoc, RelatedIndex, resemblesRoot, sameStoryMatches } from "./related/index.js";

export type { StoryEntry };

/** How far back related stories reach, and how many recent items the index holds. */
export const RELATED_WINDOW_MS = 72 * 3600_000;
export const RELATED_MAX_ITEMS = 20_000;
/** The index may overshoot RELATED_MAX_ITEMS by this much before it is cut back: one sort per 200 items, not per add. */
const PRUNE_SLACK = 200;
/** Related links per story, as a card shows them. */
export const RELATED_LIMIT = 3;
/** Ingest-log entries read per round trip when catching up. */
export const SYNC_PAGE = 1000;
/** /latest folds a later report into an earlier one of the same story seen at most this long before. */
export const LATEST_STORY_WINDOW_MS = 6 * 3600_000;
/** /latest reads this many times the stories it shows: folded reports must not leave it short. */
export const LATEST_FETCH_FACTOR = 4;
/** With a chat's filters, /latest reads at least this many recent items: a narrow filter still finds its stories. */
export const LATEST_FILTERED_READ = 400;

/**
 * An item with the language its source declares (sources file `lang`, or
 * the language the related index read in its text when the source declares
 * none): what a card needs to mark another language's outlet, "APA (az)".
 */
export type NewsItem = Item & { lang?: string };

/** `lang`: the item's source's declared language, if any (see RelatedDoc.lang). */
export function toRelatedDoc(item: Item, lang?: string): RelatedDoc {
  const doc: RelatedDoc = {
    id: item.key,
    title: item.title,
    description: item.summary,
    source: item.sourceId,
    url: item.link,
    published: itemTime(item),
  };
  if (lang) doc.lang = lang;
  return doc;
}

/** Orders stream ids ("<ms>-<seq>"); "" and "0" are the start. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = (a || "0").split("-").map(Number);
  const [bm = 0, bs = 0] = (b || "0").split("-").map(Number);
  return am - bm || as - bs;
}

/** First seen first; two items seen in the same millisecond by key, so exactly one of them is "earlier". */
export function seenOrder(a: Item, b: Item): number {
  return a.seenAt - b.seenAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The read side of the news: recent items with their related stories. Keeps
 * an in-memory related index over recent items (RELATED_WINDOW_MS, at most
 * RELATED_MAX_ITEMS): filled from Redis at start (`load`), fed directly by
 * this process's polls (`add`) and caught up from the ingest log in Redis
 * (`sync`) with what other processes stored — callers sync before a batch.
 */
export function createNewsService(deps: {
  items: ItemStore;
  sources: () => Source[];
  clock?: () => number;
  logger?: Pick<Logger, "warn">;
}) {
  const clock = deps.clock ?? Date.now;
  const index = new RelatedIndex();
  /** sourceId → declared lang, rebuilt when sources() hands out a new list. */
  let langList: Source[] | undefined;
  let langBySource = new Map<string, string>();
  function sourceLang(sourceId: string): string | undefined {
    const list = deps.sources();
    if (list !== langList) {
      langList = list;
      langBySource = new Map(list.flatMap((s) => (s.lang ? [[s.id, s.lang] as const] : [])));
    }
    return langBySource.get(sourceId);
  }
  const docOf = (item: Item) => toRelatedDoc(item, sourceLang(item.sourceId));

  /**
   * `item` with its language: the source's declared one, else the one its
   * text was read in (RelatedIndex.langOf), else as it is.
   */
  function withLang(item: Item): NewsItem {
    const lang = sourceLang(item.sourceId) ?? index.langOf(item.key);
    return lang ? { ...item, lang } : item;
  }
  const byKey = new Map<string, Item>();
  /** itemTime per indexed key: parsed once, not on every prune. */
  const timeOf = new Map<string, number>();
  /** The oldest itemTime in the index (Infinity when empty): prune() has nothing to do while it is inside the window. */
  let oldest = Infinity;
  /** Ingest-log id up to which everything is in the index. */
  let cursor = "0-0";

  /**
   * Adds the items not indexed yet; returns how many. An item already known
   * stays as it is, as its body in Redis does (written once, when first
   * seen): so adding the same item twice — from this process's poll and
   * again from the ingest log, or every poll that still lists it — is a
   * no-op, and `seenAt` stays the first sighting.
   */
  function add(items: Item[]): number {
    const cutoff = clock() - RELATED_WINDOW_MS;
    let added = 0;
    for (const item of items) {
      if (byKey.has(item.key)) continue;
      const t = itemTime(item);
      // Would be pruned first: out of the window, or older than all of a full index.
      if (t < cutoff || (byKey.size >= RELATED_MAX_ITEMS && t <= oldest)) continue;
      byKey.set(item.key, item);
      timeOf.set(item.key, t);
      index.add(docOf(item));
      oldest = Math.min(oldest, t);
      added++;
    }
    if (added) prune();
    return added;
  }

  function drop(key: string) {
    byKey.delete(key);
    timeOf.delete(key);
    index.remove(key);
  }

  /** Out of the window goes at once (one pass); over the cap, the oldest go once the slack is used up (one sort). */
  function prune() {
    const cutoff = clock() - RELATED_WINDOW_MS;
    if (oldest < cutoff) {
      oldest = Infinity;
      for (const [key, t] of timeOf) {
        if (t < cutoff) drop(key);
        else oldest = Math.min(oldest, t);
      }
    }
    if (byKey.size > RELATED_MAX_ITEMS + PRUNE_SLACK) {
      const newestFirst = [...timeOf].sort((a, b) => b[1] - a[1]);
      for (const [key] of newestFirst.slice(RELATED_MAX_ITEMS)) drop(key);
      oldest = newestFirst[RELATED_MAX_ITEMS - 1]![1];
    }
  }

  async function catchUp(): Promise<number> {
    let added = 0;
    // The log never holds much more than the index does: this bounds a run
    // even while other processes keep appending.
    for (let page = 0; page <= RELATED_MAX_ITEMS / SYNC_PAGE + 1; page++) {
      const from = cursor;
      const next = await deps.items.ingestedSince(from, SYNC_PAGE);
      added += add(next.items);
      if (compareStreamIds(next.cursor, cursor) > 0) cursor = next.cursor;
      if (compareStreamIds(next.cursor, from) <= 0) break;
    }
    return added;
  }

  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;

  /**
   * Catches the index up with everything stored in Redis since the last
   * load or sync, by any process; resolves to how many items were new to it.
   * Rejects when Redis fails (the caller logs; the index stays as it was).
   * Calls while one runs share one follow-up run: the running one may have
   * read the log before the caller's news was stored.
   */
  function sync(): Promise<number> {
    if (!running) {
      running = catchUp().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => 0)
      .then(() => {
        queued = null;
        return sync();
      });
    return queued;
  }

  async function load(): Promise<number> {
    // The cursor first: whatever is stored between the two steps is read
    // again by the next sync, and adding it twice is a no-op.
    const from = await deps.items.ingestCursor();
    add(await deps.items.recent(clock() - RELATED_WINDOW_MS, RELATED_MAX_ITEMS));
    if (compareStreamIds(from, cursor) > 0) cursor = from;
    return byKey.size;
  }

  /**
   * Uses only the index in memory (sync first for other processes' news);
   * `item` is indexed if it was not. Stories in other languages included,
   * each with its `lang` (NewsItem).
   */
  async function relatedFor(item: Item, limit = RELATED_LIMIT): Promise<NewsItem[]> {
    if (!byKey.has(item.key)) add([item]);
    return index
      .related(docOf(item), limit)
      .map((r) => byKey.get(r.id))
      .filter((i): i is Item => i !== undefined)
      .map(withLang);
  }

  /**
   * Earlier reports of `item`'s story in the index (isSameStory): first seen
   * no later than `item` (ties by key, so of two items seen at once only one
   * is earlier) and at most `windowMs` before it; oldest first, never `item`.
   * Candidates as sameStoryMatches finds them. In memory only.
   */
  function sameStoryEarlier(item: Item, windowMs: number): Item[] {
    const earlier = (key: string): RelatedDoc | undefined => {
      const other = byKey.get(key);
      if (!other || other.key === item.key) return undefined;
      if (seenOrder(other, item) > 0 || item.seenAt - other.seenAt > windowMs) return undefined;
      return docOf(other);
    };
    return sameStoryMatches(index, docOf(item), earlier)
      .map((key) => byKey.get(key)!)
      .sort(seenOrder);
  }

  /** Whether `item` may join `root`, a story's first report, through a later report of it (resemblesRoot). */
  function resembles(item: Item, root: Item): boolean {
    return resemblesRoot(docOf(item), docOf(root), index);
  }

  /**
   * Folds reports of one story together: each item joins the group of the
   * earliest-seen item of `items` it is the same story as (within
   * LATEST_STORY_WINDOW_MS), else starts its own. Groups come out lead
   * (earliest seen) first, the rest oldest first.
   */
  function groupByStory(items: Item[]): Item[][] {
    const groupOf = new Map<string, Item[]>();
    const groups: Item[][] = [];
    for (const item of [...items].sort(seenOrder)) {
      const earlier = sameStoryEarlier(item, LATEST_STORY_WINDOW_MS).find((e) => groupOf.has(e.key));
      let group = earlier && groupOf.get(earlier.key);
      if (!group) groups.push((group = []));
      group.push(item);
      groupOf.set(item.key, group);
    }
    return groups;
  }

  /**
   * The newest `n` stories; with `keep`, only of the items it keeps (a
   * chat's filters), applied before reports are folded into stories, out of
   * the newest LATEST_FILTERED_READ items at least.
   */
  async function latest(n: number, keep?: (item: Item) => boolean): Promise<StoryEntry[]> {
    await sync().catch((err: unknown) =>
      deps.logger?.warn({ err: (err as Error).message }, "related: catching up from Redis failed, /latest uses the index as it is"),
    );
    const read = await deps.items.latest(keep ? Math.max(n * LATEST_FETCH_FACTOR, LATEST_FILTERED_READ) : n * LATEST_FETCH_FACTOR);
    add(read);
    const items = keep ? read.filter(keep) : read;
    const newest = (g: Item[]) => Math.max(...g.map(itemTime));
    const groups = groupByStory(items)
      .sort((a, b) => newest(b) - newest(a))
      .slice(0, n);
    return Promise.all(
      groups.map(async ([item, ...also]) => {
        const folded = new Set(also.map((a) => a.key));
        const related = (await relatedFor(item!, RELATED_LIMIT + also.length)).filter((r) => !folded.has(r.key)).slice(0, RELATED_LIMIT);
        const lead = withLang(item!);
        return also.length ? { item: lead, related, also: also.map(withLang) } : { item: lead, related };
      }),
    );
  }

  return {
    /** fills the related index from the recent items in Redis; returns its size */
    load,
    /** catches up with what any process stored since; see above */
    sync,
    add,
    relatedFor,
    sameStoryEarlier,
    resembles,
    /** `item` with its language (NewsItem): for cards built from stored items (the timeline), as latest() gives them */
    withLang,
    /** the newest `n` stories, each once: later reports of a story folded into `also`; `keep` filters the items first */
    latest,
    sources: () => deps.sources().filter((s) => s.enabled),
  };
}

export type NewsService = ReturnType<typeof createNewsService>;
