/**
 * Related stories: given a story, which recent stories are about the same
 * thing. Pure and in memory; persistence lives in the store.
 *
 *   text → words (Intl.Segmenter, folding) → terms (stop words, light stems)
 *        → IDF-weighted vectors → cosine × time factor × source factor
 *        → floor, relative cut, copy collapse → at most 3 links
 *   text → signature (names by sound and gazetteer, numbers, dates, places)
 *        → across languages, the same with the signatures' cosine
 */

export { sameStoryUrl } from "../url.js";
export { DESCRIPTION_WEIGHT, type RelatedDoc, TITLE_WEIGHT, timeFactor } from "./doc.js";
export {
  CROSS_FLOOR,
  CROSS_MIN_SHARED,
  CROSS_WEIGHT,
  crossEvidence,
  DEFAULT_FLOOR,
  DEFAULT_WINDOW_MS,
  LANGUAGE_FLOORS,
  MIN_SHARED_TERMS,
  RELATIVE_CUT,
  type RelatedHit,
  RelatedIndex,
  type RelatedOptions,
  SAME_SOURCE_FACTOR,
  type SignatureMatch,
  signatureMatch,
  THIN_FACTOR,
  THIN_MIN_TERMS,
  THIN_SHARED,
} from "./ranker.js";
export {
  COPY_MIN_TERMS,
  CROSS_JOIN_VIA_MIN,
  CROSS_SAME_MAX_GAP_MS,
  CROSS_SAME_MIN,
  CROSS_SAME_MIN_SHARED,
  chooseRoot,
  crossSameStory,
  isSameStory,
  JOIN_VIA_MIN,
  type JoinVia,
  resemblesRoot,
  SAME_STORY_CANDIDATE_FLOOR,
  SAME_STORY_MAX_GAP_MS,
  SAME_STORY_MIN,
  sameStoryCandidateFloor,
  sameStoryMatches,
} from "./same-story.js";
export { addSignature, keyClass, segments } from "./signature.js";
export { tokenize } from "./tokenize.js";
export { nameKeys, skeleton } from "./translit.js";
