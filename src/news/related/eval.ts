import { seededRandom } from "../../infra/seeded-random.js";
import { docTime, type RelatedDoc } from "./doc.js";
import type { LabelledDoc } from "./jsonl.js";
import { RelatedIndex, type RelatedOptions } from "./ranker.js";
import { chooseRoot, resemblesRoot, sameStoryMatches } from "./same-story.js";

export interface EvalResult {
  items: number;
  /** Items with at least one other item of their story in the set: the denominator of hit@1 and coverage. */
  withPartner: number;
  /** Share of `withPartner` items whose first shown link is from the same story. */
  hitAt1: number;
  /** Share of `withPartner` items with at least one same-story link shown. */
  coverage: number;
  /** Share of all shown links, over all items, that are same-story. */
  shownPrecision: number;
  /** Links shown in total (≤ limit per item). */
  shown: number;
  /** Items shown nothing at all. */
  empty: number;
  /**
   * Items with no other item of their story, and how many of them were shown
   * a link anyway (every such link is wrong): "nothing shown rather than a
   * weak link".
   */
  withoutPartner: number;
  withoutPartnerShown: number;
  /** Time to build the index, and per related() call. */
  indexMs: number;
  msPerItem: number;
}

/**
 * Ranks every item against all the others exactly as the bot would: one
 * index holding the whole set, and `related()` for each item in turn.
 */
export interface EvalOptions extends RelatedOptions {
  /** Links per item (3 in the bot). */
  limit?: number;
  /**
   * Drop every date first, so only the text decides. The UCI dev set's dates
   * are crawl times, identical within a story, so with them the time factor
   * separates stories the text cannot; this shows the text-only numbers.
   */
  ignoreTime?: boolean;
}

export function evaluate(input: readonly LabelledDoc[], opts: EvalOptions = {}): EvalResult {
  const limit = opts.limit ?? 3;
  const docs = opts.ignoreTime ? input.map(({ published: _, ...d }) => d) : input;
  const storyOf = new Map<string, string>();
  const storySize = new Map<string, number>();
  for (const d of docs) {
    storyOf.set(d.id, d.story_id);
    storySize.set(d.story_id, (storySize.get(d.story_id) ?? 0) + 1);
  }

  const t0 = performance.now();
  const index = new RelatedIndex({ floor: opts.floor, windowMs: opts.windowMs });
  for (const d of docs) index.add(d);
  const t1 = performance.now();

  let withPartner = 0;
  let hits = 0;
  let covered = 0;
  let shown = 0;
  let correct = 0;
  let empty = 0;
  let aloneShown = 0;
  for (const d of docs) {
    const links = index.related(d, limit);
    const same = links.map((l) => storyOf.get(l.id) === d.story_id);
    shown += links.length;
    correct += same.filter(Boolean).length;
    if (links.length === 0) empty++;
    if ((storySize.get(d.story_id) ?? 0) < 2) {
      if (links.length > 0) aloneShown++;
      continue;
    }
    withPartner++;
    if (same[0]) hits++;
    if (same.some(Boolean)) covered++;
  }
  const t2 = performance.now();

  return {
    items: docs.length,
    withPartner,
    hitAt1: ratio(hits, withPartner),
    coverage: ratio(covered, withPartner),
    shownPrecision: ratio(correct, shown),
    shown,
    empty,
    withoutPartner: docs.length - withPartner,
    withoutPartnerShown: aloneShown,
    indexMs: t1 - t0,
    msPerItem: docs.length ? (t2 - t1) / docs.length : 0,
  };
}

/**
 * `input` with `count` of its stories (of two or more items) cut down to one
 * item each, chosen by `seed`: items that have no partner, for the "nothing
 * shown rather than a weak link" figure on a set whose every item has one
 * (the dev set). The rest keep their order. Deterministic for one seed.
 */
export function withSingletons(input: readonly LabelledDoc[], count: number, seed: number): LabelledDoc[] {
  const byStory = new Map<string, LabelledDoc[]>();
  for (const d of input) {
    const list = byStory.get(d.story_id);
    if (list) list.push(d);
    else byStory.set(d.story_id, [d]);
  }
  const stories = [...byStory].filter(([, list]) => list.length >= 2).map(([id]) => id);
  stories.sort();
  if (count > stories.length) throw new RangeError(`only ${stories.length} stories have two or more items, asked for ${count}`);
  const random = seededRandom(seed);
  // A partial Fisher–Yates shuffle: the first `count` are the chosen ones.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (stories.length - i));
    [stories[i], stories[j]] = [stories[j]!, stories[i]!];
  }
  const kept = new Set<LabelledDoc>();
  for (const id of stories.slice(0, count)) {
    const list = byStory.get(id)!;
    kept.add(list[Math.floor(random() * list.length)]!);
  }
  const chosen = new Set(stories.slice(0, count));
  return input.filter((d) => !chosen.has(d.story_id) || kept.has(d));
}

/** 0/0 is reported as 0: nothing shown is not a perfect score. */
function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

export function formatEval(r: EvalResult): string {
  const p = (x: number) => x.toFixed(3);
  return [
    `items          ${r.items} (${r.withPartner} with a same-story partner)`,
    `hit@1          ${p(r.hitAt1)}`,
    `coverage       ${p(r.coverage)}`,
    `shown prec.    ${p(r.shownPrecision)} (${r.shown} links shown, ${r.empty} items with none)`,
    `no partner     ${r.withoutPartnerShown} of ${r.withoutPartner} shown a link (each one wrong)`,
    `ms per item    ${r.msPerItem.toFixed(3)} (index built in ${Math.round(r.indexMs)} ms)`,
  ].join("\n");
}

/** The bot's merge window (SAME_STORY_MERGE_HOURS' default). */
export const DEFAULT_MERGE_WINDOW_MS = 6 * 3600_000;

export interface MergeOptions extends RelatedOptions {
  /** A later report joins a story's first report seen at most this long before it (DEFAULT_MERGE_WINDOW_MS). */
  mergeWindowMs?: number;
  /** Drop every date: items arrive in file order, similarity has no time factor, and the window is unlimited. */
  ignoreTime?: boolean;
}

export interface MergeResult {
  items: number;
  /** Distinct story_ids. */
  stories: number;
  /** Items sent as a message of their own (roots). */
  messages: number;
  /** Items merged into an earlier report instead of being sent. */
  merges: number;
  /** Merges whose root has the item's story_id. */
  correctMerges: number;
  /** correctMerges / merges: a wrong merge hides a story, so this is the figure that matters. */
  mergePrecision: number;
  /** Items that arrived while a root of their story (by label) was within the window: they could have been merged. */
  mergeable: number;
  /** correctMerges / mergeable (every correct merge is into such a root). */
  mergeRecall: number;
}

interface Arrival {
  doc: RelatedDoc;
  /** ms; 0 for all under ignoreTime */
  at: number;
  /** position in arrival order */
  pos: number;
}

/**
 * Items in the order the bot would see them: by date, ties and undated items
 * in file order — an undated item arrives with the dated item before it in
 * the file (or the first dated one), since nothing says it came later.
 */
function arrivals(input: readonly LabelledDoc[], ignoreTime: boolean): Arrival[] {
  const docs: readonly RelatedDoc[] = ignoreTime ? input.map(({ published: _, ...d }) => d) : input;
  const times = docs.map((d) => (ignoreTime ? undefined : docTime(d.published)));
  let last = times.find((t) => t !== undefined) ?? 0;
  const at = times.map((t) => (last = t ?? last));
  return docs
    .map((doc, i) => ({ doc, at: at[i]!, pos: i }))
    .sort((a, b) => a.at - b.at || a.pos - b.pos)
    .map((a, pos) => ({ ...a, pos }));
}

/**
 * Same-story merging as delivery does it (src/delivery/news-fanout.ts,
 * chooseRoots), one item at a time in arrival order: the item enters the
 * related index, its earlier same-story reports within the window are found
 * as sameStoryEarlier finds them, and it joins the oldest of them that went
 * out as a message of its own — else, as chooseRoot allows, the root of the
 * oldest one that joined a root within the window that the item resembles.
 * Returns each item's root id, undefined for an item sent as a message of
 * its own, in arrival order.
 */
export function simulateMerges(input: readonly LabelledDoc[], opts: MergeOptions = {}): Map<string, string | undefined> {
  const ignoreTime = opts.ignoreTime ?? false;
  const windowMs = ignoreTime ? Infinity : (opts.mergeWindowMs ?? DEFAULT_MERGE_WINDOW_MS);
  const index = new RelatedIndex({ floor: opts.floor, windowMs: opts.windowMs });
  const arrived = new Map<string, Arrival>();
  const rootOf = new Map<string, string | undefined>();
  for (const a of arrivals(input, ignoreTime)) {
    index.add(a.doc);
    const earlierDoc = (id: string) => {
      const e = arrived.get(id);
      return e && a.at - e.at <= windowMs ? e.doc : undefined;
    };
    const earlier = sameStoryMatches(index, a.doc, earlierDoc)
      .map((id) => arrived.get(id)!)
      .sort((x, y) => x.pos - y.pos);
    const root = chooseRoot(earlier, (e) => rootOf.get(e.doc.id) === undefined, {
      rootOf: (e) => {
        const r = rootOf.get(e.doc.id);
        return r === undefined ? undefined : earlierDoc(r) && arrived.get(r);
      },
      likeRoot: (r) => resemblesRoot(a.doc, r.doc, index),
    });
    rootOf.set(a.doc.id, root?.doc.id);
    arrived.set(a.doc.id, a);
  }
  return rootOf;
}

/** Scores simulateMerges against the labels. */
export function evaluateMerges(input: readonly LabelledDoc[], opts: MergeOptions = {}): MergeResult {
  const ignoreTime = opts.ignoreTime ?? false;
  const windowMs = ignoreTime ? Infinity : (opts.mergeWindowMs ?? DEFAULT_MERGE_WINDOW_MS);
  const storyOf = new Map(input.map((d) => [d.id, d.story_id]));
  const rootOf = simulateMerges(input, opts);
  const timeOf = new Map(arrivals(input, ignoreTime).map((a) => [a.doc.id, a.at]));
  // Arrival times only grow, so a story's latest root is its nearest one.
  const lastRootAt = new Map<string, number>();
  let merges = 0;
  let correct = 0;
  let mergeable = 0;
  for (const [id, root] of rootOf) {
    const story = storyOf.get(id)!;
    const at = timeOf.get(id)!;
    const rootAt = lastRootAt.get(story);
    if (rootAt !== undefined && at - rootAt <= windowMs) mergeable++;
    if (root === undefined) {
      lastRootAt.set(story, at);
      continue;
    }
    merges++;
    if (storyOf.get(root) === story) correct++;
  }
  return {
    items: input.length,
    stories: new Set(storyOf.values()).size,
    messages: input.length - merges,
    merges,
    correctMerges: correct,
    mergePrecision: ratio(correct, merges),
    mergeable,
    mergeRecall: ratio(correct, mergeable),
  };
}

export function formatMerges(r: MergeResult): string {
  const p = (x: number) => x.toFixed(3);
  return [
    `merges         ${r.merges} (${r.correctMerges} into their own story)`,
    `merge prec.    ${p(r.mergePrecision)}`,
    `merge recall   ${p(r.mergeRecall)} (${r.correctMerges} of ${r.mergeable} that could join a report of their story)`,
    `messages       ${r.messages} for ${r.items} items in ${r.stories} stories`,
  ].join("\n");
}
