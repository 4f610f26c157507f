import { type Analyzed, analyze, type RelatedDoc, timeFactor } from "./doc.js";
import { CROSS_WEIGHT, DEFAULT_WINDOW_MS, type RelatedIndex, SAME_SOURCE_FACTOR, type SignatureMatch, signatureMatch } from "./ranker.js";
import { signatureConflict, topicConflict } from "./signature.js";

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

/*
 * Two reports in different languages share no words to speak of, only
 * signature keys (signature.ts). A wrong merge hides a story, so a merge
 * across languages asks for more than a related link does: at least
 * CROSS_SAME_MIN_SHARED shared keys, among them a name (person,
 * organisation, place, other name) with a second name or a number (number,
 * date) — or a country with a number ("Azerbaijan", "7.25", rate) —, one
 * of them in a headline (the headline says what happened; descriptions of
 * two events share their background); signature cosine at least
 * CROSS_SAME_MIN; at most CROSS_SAME_MAX_GAP_MS apart; headlines that do
 * not each speak of a different kind of event (topicConflict); and, as in
 * any language, no signatureConflict.
 */
export const CROSS_SAME_MIN_SHARED = 3;
/**
 * On the cross-language fixture no merge is wrong from 0.5 to 0.7 (recall
 * 0.867 at 0.5, 0.827 at 0.6, 0.733 at 0.7): the fixture is ours, so the
 * threshold keeps a margin above what it needs rather than the most recall.
 */
export const CROSS_SAME_MIN = 0.6;
/** Joining a first report through a later one (resemblesRoot): a little lower, as JOIN_VIA_MIN is to SAME_STORY_MIN. */
export const CROSS_JOIN_VIA_MIN = 0.5;
/** Wires and local outlets report an event within hours of each other; the same names a day later are often the next development. */
export const CROSS_SAME_MAX_GAP_MS = 12 * 3600_000;

/** Whether a signature match is strong enough for a merge across languages (see above). */
export function crossSameStory(m: SignatureMatch, minCosine = CROSS_SAME_MIN): boolean {
  const named = (m.names >= 1 && m.names + m.numbers >= 2) || (m.countries >= 1 && m.numbers >= 1);
  return m.shared >= CROSS_SAME_MIN_SHARED && named && m.headStrong >= 1 && m.cosine >= minCosine;
}

/**
 * The lowest ranking score a same-story pair can have under an index with
 * time scale `windowMs`: similarity at least SAME_STORY_MIN, published at
 * most SAME_STORY_MAX_GAP_MS apart, perhaps by one outlet — with a fifth off
 * for the index's vector lengths lagging its IDF a little. Weaker candidates
 * are not worth isSameStory's four analyses.
 */
export function sameStoryCandidateFloor(windowMs: number): number {
  const words = SAME_STORY_MIN * timeFactor(0, SAME_STORY_MAX_GAP_MS, windowMs);
  const signatures = CROSS_SAME_MIN * CROSS_WEIGHT * timeFactor(0, CROSS_SAME_MAX_GAP_MS, windowMs);
  return 0.8 * Math.min(words, signatures) * SAME_SOURCE_FACTOR;
}

/** sameStoryCandidateFloor for the bot's index (DEFAULT_WINDOW_MS). */
export const SAME_STORY_CANDIDATE_FLOOR = sameStoryCandidateFloor(DEFAULT_WINDOW_MS);

/**
 * Ids of the stories in `index` that are the same story as `doc`
 * (isSameStory under the index's IDF), in no particular order, never `doc`
 * itself. Candidates are the index's scored matches that can be the same
 * story, plus copies with its URL or headline, which the ranking would
 * otherwise collapse. `docOf` gives a candidate's document, or undefined to
 * pass it over — unknown to the caller, or ruled out by it (seen later, out
 * of its window) before the costlier similarity check.
 */
export function sameStoryMatches(index: RelatedIndex, doc: RelatedDoc, docOf: (id: string) => RelatedDoc | undefined): string[] {
  const ids = new Set(index.copiesOf(doc));
  for (const hit of index.candidates(doc, sameStoryCandidateFloor(index.windowMs))) ids.add(hit.id);
  ids.delete(doc.id);
  const out: string[] = [];
  for (const id of ids) {
    const other = docOf(id);
    if (other && isSameStory(doc, other, index)) out.push(id);
  }
  return out;
}

/**
 * A headline this short ("Business Wire", "Breaking news") is a label many
 * stories share: the same one twice says nothing about the story.
 */
export const COPY_MIN_TERMS = 3;

/**
 * How like a story's first report a new one must be to join it through a
 * later report it is the same story as (see chooseRoot). Lower than
 * SAME_STORY_MIN because it is the second of two pieces of evidence: on the
 * dev set, such joins at 0.4 were right as often as direct ones (99% with
 * dates, 92% text only); at 0.3 the text-only share fell to 90%.
 */
export const JOIN_VIA_MIN = 0.4;

/** How a new report may join a story's first report through a later report of it. */
export interface JoinVia<T> {
  /** the first report a match joined; undefined if it went out on its own or is unknown */
  rootOf(match: T): T | undefined;
  /** whether the new report is like that first report (resemblesRoot) */
  likeRoot(root: T): boolean;
}

/**
 * Which earlier report a new one joins, given its same-story matches oldest
 * first: the oldest that went out as a message of its own; failing that,
 * through the oldest match that joined a first report the new one also
 * resembles (`via`). Never a first report by a chain alone: a report can be
 * like a second one without being like the first (A≈B, B≈C, A≉C), and
 * following such chains spread one wrong merge to a whole story (on the dev
 * set, half the wrong merges came that way).
 */
export function chooseRoot<T>(matchesOldestFirst: readonly T[], isRoot: (m: T) => boolean, via?: JoinVia<T>): T | undefined {
  const own = matchesOldestFirst.find(isRoot);
  if (own !== undefined || !via) return own;
  for (const m of matchesOldestFirst) {
    const root = via.rootOf(m);
    if (root !== undefined && via.likeRoot(root)) return root;
  }
  return undefined;
}

/**
 * Whether `doc` is like enough to a story's first report `root` to join it
 * through a later report of it: isSameStory, with JOIN_VIA_MIN for the
 * similarity it needs.
 */
export function resemblesRoot(doc: RelatedDoc, root: RelatedDoc, index?: RelatedIndex): boolean {
  return sameStoryAt(doc, root, JOIN_VIA_MIN, CROSS_JOIN_VIA_MIN, index);
}

/**
 * Same URL → same story. Otherwise: published at most SAME_STORY_MAX_GAP_MS
 * apart (a missing date does not count against it), and the same headline
 * (of at least COPY_MIN_TERMS terms) or similarity at least SAME_STORY_MIN —
 * under `index`'s IDF when given (better: common words count less), else
 * with every term weighted alike. In different languages, also when the
 * signatures agree as crossSameStory asks, at most CROSS_SAME_MAX_GAP_MS apart.
 * Never when the signatures conflict (signatureConflict: "Lavrov and Fidan
 * hold talks in Moscow" is not "Lavrov and Mirzoyan hold talks in Moscow",
 * however alike the words); on the dev set that veto costs 0.2 points of
 * merge recall (0.474 → 0.472) at the same precision (0.983).
 */
export function isSameStory(a: RelatedDoc, b: RelatedDoc, index?: RelatedIndex): boolean {
  return sameStoryAt(a, b, SAME_STORY_MIN, CROSS_SAME_MIN, index);
}

function sameStoryAt(a: RelatedDoc, b: RelatedDoc, minSimilarity: number, minCross: number, index?: RelatedIndex): boolean {
  const aa = analyze(a);
  const ab = analyze(b);
  if (aa.urlKey && aa.urlKey === ab.urlKey) return true;
  const gap = timeGap(aa, ab);
  if (gap > SAME_STORY_MAX_GAP_MS) return false;
  if (aa.copyKey && aa.copyKey === ab.copyKey && aa.copyKey.split(" ").length >= COPY_MIN_TERMS) return true;
  const sameLang = aa.lang === ab.lang;
  if (signatureConflict(aa.sig, ab.sig)) return false;
  if ((index ? index.cosine(aa.terms, ab.terms) : plainCosine(aa.terms, ab.terms)) >= minSimilarity) return true;
  if (sameLang || gap > CROSS_SAME_MAX_GAP_MS || topicConflict(aa.sig, ab.sig)) return false;
  return crossSameStory(index ? index.signatureMatch(aa, ab) : signatureMatch(aa.sig, ab.sig), minCross);
}

/** ms between two documents' dates; 0 when either is missing. */
function timeGap(a: Analyzed, b: Analyzed): number {
  return a.time === undefined || b.time === undefined ? 0 : Math.abs(a.time - b.time);
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
