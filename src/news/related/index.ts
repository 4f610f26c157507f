/**
 * Related stories: given a story, which recent stories are about the same
 * thing. Pure and in memory; persistence lives in the store.
 *
 *   text → words (Intl.Segmenter, folding) → terms (stop words, light stems)
 *        → IDF-weighted vectors → cosine × time factor × source factor
 *        → floor, relative cut, copy collapse → at most 3 links
 */

export { sameStoryUrl } from "../url.js";
export { DESCRIPTION_WEIGHT, type RelatedDoc, TITLE_WEIGHT, timeFactor } from "./doc.js";
export {
  DEFAULT_FLOOR,
  DEFAULT_WINDOW_MS,
  MIN_SHARED_TERMS,
  RELATIVE_CUT,
  type RelatedHit,
  RelatedIndex,
  type RelatedOptions,
  SAME_SOURCE_FACTOR,
} from "./ranker.js";
export {
  COPY_MIN_TERMS,
  chooseRoot,
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
export { tokenize } from "./tokenize.js";
