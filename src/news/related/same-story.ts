import { analyze, docTime, type RelatedDoc } from "./doc.js";
import type { RelatedIndex } from "./ranker.js";

/**
 * Thresholds for "the same story", used by delivery to merge two messages
 * into one. A wrong merge hides a story, so this is much stricter than the
 * related floor: on the dev set, pairs at similarity ≥ 0.5 were the same
 * story ~94% of the time (the rest mostly stories the labels split), against
 * ~86% at 0.3.
 */
export const SAME_STORY_MIN = 0.5;
/** Re-reports of one story come within a day or so; the same words a week later are a new development. */
export const SAME_STORY_MAX_GAP_MS = 36 * 3600_000;

/**
 * Same URL → same story. Otherwise: published at most SAME_STORY_MAX_GAP_MS
 * apart (a missing date does not count against it), and similarity at least
 * SAME_STORY_MIN — under `index`'s IDF when given (better: common words count
 * less), else with every term weighted alike.
 */
export function isSameStory(a: RelatedDoc, b: RelatedDoc, index?: RelatedIndex): boolean {
  const aa = analyze(a);
  const ab = analyze(b);
  if (aa.urlKey && aa.urlKey === ab.urlKey) return true;
  const ta = docTime(a.published);
  const tb = docTime(b.published);
  if (ta !== undefined && tb !== undefined && Math.abs(ta - tb) > SAME_STORY_MAX_GAP_MS) return false;
  if (aa.copyKey && aa.copyKey === ab.copyKey) return true;
  return (index ? index.similarity(a, b) : plainCosine(aa.terms, ab.terms)) >= SAME_STORY_MIN;
}

/** Cosine of raw term weights, for when there is no index to take IDF from. */
export function plainCosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    na += w * w;
    const wb = b.get(t);
    if (wb !== undefined) dot += w * wb;
  }
  for (const w of b.values()) nb += w * w;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
