import { RelatedIndex, type RelatedOptions } from "./ranker.js";
import type { LabelledDoc } from "./jsonl.js";

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
  for (const d of docs) {
    const links = index.related(d, limit);
    const same = links.map((l) => storyOf.get(l.id) === d.story_id);
    shown += links.length;
    correct += same.filter(Boolean).length;
    if (links.length === 0) empty++;
    if ((storySize.get(d.story_id) ?? 0) < 2) continue;
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
    indexMs: t1 - t0,
    msPerItem: docs.length ? (t2 - t1) / docs.length : 0,
  };
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
    `ms per item    ${r.msPerItem.toFixed(3)} (index built in ${Math.round(r.indexMs)} ms)`,
  ].join("\n");
}
