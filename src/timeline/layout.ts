/**
 * Pure: what one chat's delivery sends, from the planned stories after its
 * cursor that pass its preferences. Used at send time and again to re-render
 * a sent digest for a same-story edit, so both decide alike.
 */
import { itemTime } from "../news/item.js";
import type { SentMessage } from "../store/chat-state-store.js";
import type { TimelineStory } from "./timeline-cache.js";

/**
 * One source puts at most this many stories into one chat's delivery: a feed
 * that re-keys 3,000 items with today's dates shows 20 and "…and N more" in
 * one message, never 3,000 messages (48 per chat within a minute before
 * timelines). 20 is above what a busy wire gives a chat that waited its turn
 * (2 stories / 15 s for 100 s: 14), so ordinary news is never cut.
 */
export const PER_SOURCE_CAP = 20;
/** A digest shows at most this many stories (headlines only past 8, so they fit one message); the rest are counted in its "…and N more — /latest" line. */
export const DIGEST_MAX = 25;
/** A delivery reads at most this many stories after the cursor (the newest); older ones count as "more". */
export const MAX_READ = 2000;

export interface Classified {
  /** stories for new messages, in timeline order */
  news: TimelineStory[];
  /** later reports of stories the chat already has (their root is behind the cursor), by root key */
  reports: Map<string, TimelineStory[]>;
}

/**
 * Splits the passing stories of a delivery: a later report whose root is in
 * the same delivery folds into the root's message (the root's card lists it);
 * one whose root the chat's preferences did not pass is news to the chat; one
 * whose root is behind the cursor is a candidate for an edit.
 */
export function classify(batch: readonly TimelineStory[], passes: (s: TimelineStory) => boolean, merging: boolean): Classified {
  const inBatch = new Map(batch.map((s) => [s.item.key, s]));
  const passing = batch.filter(passes);
  const passingKeys = new Set(passing.map((s) => s.item.key));
  const news: TimelineStory[] = [];
  const reports = new Map<string, TimelineStory[]>();
  for (const s of passing) {
    const into = merging ? s.record.into : undefined;
    if (!into) news.push(s);
    else if (passingKeys.has(into)) continue;
    else if (inBatch.has(into)) news.push(s);
    else {
      const list = reports.get(into);
      if (list) list.push(s);
      else reports.set(into, [s]);
    }
  }
  return { news, reports };
}

/** The message of `sent` that carried the story numbered `seq`, if the chat's state still knows it. */
export function messageCarrying(sent: readonly SentMessage[], seq: number): SentMessage | undefined {
  return sent.find((m) => (m.digest ? m.from < seq && seq <= m.to : m.to === seq));
}

export type Layout =
  /** each story a message of its own, in timeline order */
  | { kind: "cards"; stories: TimelineStory[] }
  /** one message: `shown` (oldest first by their own dates; the digest is composed newest first, src/news/compose.ts) and a count of the rest */
  | { kind: "digest"; shown: TimelineStory[]; more: number };

export interface LayoutOptions {
  /** the chat chose digests (every N hours, daily) */
  digestMode: boolean;
  /** more new stories than this at once → one digest (DIGEST_THRESHOLD) */
  threshold: number;
  /** older stories the delivery did not read (MAX_READ) */
  skipped: number;
}

/** Null when there is nothing to send. */
export function layoutDelivery(news: readonly TimelineStory[], o: LayoutOptions): Layout | null {
  const perSource = new Map<string, number>();
  const kept: TimelineStory[] = [];
  // The newest of each source are kept.
  for (let i = news.length - 1; i >= 0; i--) {
    const s = news[i]!;
    const n = perSource.get(s.item.sourceId) ?? 0;
    perSource.set(s.item.sourceId, n + 1);
    if (n < PER_SOURCE_CAP) kept.push(s);
  }
  kept.reverse();
  const dropped = news.length - kept.length + o.skipped;
  if (kept.length === 0) return null;
  if (!o.digestMode && kept.length <= o.threshold && dropped === 0) return { kind: "cards", stories: kept };
  const shown = kept.slice(-DIGEST_MAX).sort((a, b) => itemTime(a.item) - itemTime(b.item) || a.seq - b.seq);
  return { kind: "digest", shown, more: dropped + kept.length - shown.length };
}
