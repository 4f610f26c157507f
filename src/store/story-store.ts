import type { Redis } from "ioredis";
import { BOUNDS, type Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";

/**
 * What the planner decided about each story on the timeline, once for every
 * chat: the related stories chosen for it, and — same-story merging — which
 * report of a story is its first (the root) and which later ones were merged
 * into it. Global, one record per story (never per chat); expires with the
 * items (storyTtlS). Which message carried a story to a chat is the chat's
 * own state (chat-state-store.ts).
 */
export interface StoryRecord {
  /** the related stories chosen for it when it was planned (a root, or a story when merging is off) */
  related?: string[];
  /** merged: the root it was merged into */
  into?: string;
}

export interface StoryStore {
  records(keys: string[]): Promise<Map<string, StoryRecord>>;
  /** a story went out as a root, with these related stories */
  saveRoots(roots: { key: string; related: string[] }[]): Promise<void>;
  /** later reports merged into earlier ones (`seenAt` orders them) */
  saveMerges(merges: { key: string; into: string; seenAt: number }[]): Promise<void>;
  /** per root, the keys merged into it, oldest first */
  also(roots: string[]): Promise<Map<string, string[]>>;
}

export function createStoryStore(redis: Redis, k: Keys): StoryStore {
  const ttlS = BOUNDS.storyTtlS;

  function parseKeys(raw: string | null | undefined): string[] | undefined {
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as unknown;
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    async records(keys) {
      const out = new Map<string, StoryRecord>();
      if (keys.length === 0) return out;
      const res = throwIfFailed(await redis.pipeline(keys.map((key) => ["hmget", k.story(key), "related", "into"])).exec());
      keys.forEach((key, i) => {
        const [related, into] = (res[i]?.[1] ?? []) as (string | null)[];
        const rec: StoryRecord = {};
        const rel = parseKeys(related);
        if (rel) rec.related = rel;
        if (into) rec.into = into;
        if (rec.related || rec.into) out.set(key, rec);
      });
      return out;
    },

    async saveRoots(roots) {
      if (roots.length === 0) return;
      const m = redis.multi();
      // HSETNX: a re-run fan-out keeps the first choice, so every chat's message is rendered alike.
      for (const r of roots) m.hsetnx(k.story(r.key), "related", JSON.stringify(r.related)).expire(k.story(r.key), ttlS);
      throwIfFailed(await m.exec());
    },

    async saveMerges(merges) {
      if (merges.length === 0) return;
      const m = redis.multi();
      for (const x of merges) {
        m.hsetnx(k.story(x.key), "into", x.into).expire(k.story(x.key), ttlS);
        m.zadd(k.storyAlso(x.into), x.seenAt, x.key).expire(k.storyAlso(x.into), ttlS);
      }
      throwIfFailed(await m.exec());
    },

    async also(roots) {
      const out = new Map<string, string[]>();
      if (roots.length === 0) return out;
      const res = throwIfFailed(await redis.pipeline(roots.map((key) => ["zrange", k.storyAlso(key), "0", "-1"])).exec());
      roots.forEach((key, i) => {
        const keys = (res[i]?.[1] ?? []) as string[];
        if (keys.length) out.set(key, keys);
      });
      return out;
    },
  };
}
