import type { Redis } from "ioredis";
import { BOUNDS, type Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";

/**
 * What same-story merging remembers, for the merge window: which report of
 * a story went out first (the root) and which later ones were merged into
 * it, and for each chat the message that carried a story — so a later report
 * can be added to that message by editing it.
 *
 * Story records are global (one per item, written at fan-out); the
 * per-chat part is one hash field per (item, chat), written after Telegram
 * accepted the message. Everything expires with the window (+ a grace).
 */
export interface StoryRecord {
  /** a root: the related stories chosen for it at fan-out */
  related?: string[];
  /** merged: the root it was merged into */
  into?: string;
}

/**
 * Where a digest message stood in its digest, as stored: the store's own
 * type, so the renderer's can change without touching stored records (the
 * worker maps between the two).
 */
export interface StoredDigestHeader {
  /** stories in the whole digest */
  count: number;
  /** 1-based */
  part: number;
  parts: number;
}

/** One digest message, as every chat that got the same part got it. */
export interface DigestPartRecord {
  keys: string[];
  header: StoredDigestHeader;
}

/** The message a story went out in, to one chat. */
export interface SentIn {
  messageId: number;
  /** set when it was a part of a digest */
  partId?: string;
}

export interface StoryStore {
  records(keys: string[]): Promise<Map<string, StoryRecord>>;
  /** a story went out as a root, with these related stories */
  saveRoots(roots: { key: string; related: string[] }[]): Promise<void>;
  /** later reports merged into earlier ones (`seenAt` orders them) */
  saveMerges(merges: { key: string; into: string; seenAt: number }[]): Promise<void>;
  /** per root, the keys merged into it, oldest first */
  also(roots: string[]): Promise<Map<string, string[]>>;
  /** the message `chatId` got for each of these items (the same message for the items of one digest part) */
  saveSent(chatId: number, sent: { keys: string[]; messageId: number; part?: { id: string; record: DigestPartRecord } }[]): Promise<void>;
  sentIn(itemKey: string, chatId: number): Promise<SentIn | null>;
  digestPart(partId: string): Promise<DigestPartRecord | null>;
}

export function createStoryStore(redis: Redis, k: Keys, windowMs: number): StoryStore {
  const ttlS = Math.ceil(windowMs / 1000) + BOUNDS.storyGraceS;

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

    async saveSent(chatId, sent) {
      if (sent.length === 0) return;
      const m = redis.multi();
      const chat = String(chatId);
      for (const s of sent) {
        if (!s.part) {
          for (const key of s.keys) m.hset(k.sentIn(key), chat, String(s.messageId)).expire(k.sentIn(key), ttlS);
          continue;
        }
        // A digest part is one field per chat, not one per story in it: the
        // part (its stories, shared by every chat that got the same part) says
        // which stories it carries.
        const { id, record } = s.part;
        m.set(k.digestPart(id), JSON.stringify(record), "EX", ttlS);
        m.hset(k.digestSent(id), chat, String(s.messageId)).expire(k.digestSent(id), ttlS);
        for (const key of s.keys) m.sadd(k.storyParts(key), id).expire(k.storyParts(key), ttlS);
      }
      throwIfFailed(await m.exec());
    },

    async sentIn(itemKey, chatId) {
      const chat = String(chatId);
      const own = await redis.hget(k.sentIn(itemKey), chat);
      if (own && /^\d+$/.test(own)) return { messageId: Number(own) };
      const parts = await redis.smembers(k.storyParts(itemKey));
      if (parts.length === 0) return null;
      const ids = throwIfFailed(await redis.pipeline(parts.map((p) => ["hget", k.digestSent(p), chat])).exec());
      const at = ids.findIndex(([, v]) => typeof v === "string" && /^\d+$/.test(v));
      return at < 0 ? null : { messageId: Number(ids[at]![1]), partId: parts[at]! };
    },

    async digestPart(partId) {
      const raw = await redis.get(k.digestPart(partId));
      if (!raw) return null;
      try {
        const v = JSON.parse(raw) as Partial<DigestPartRecord>;
        const h = v.header;
        if (!Array.isArray(v.keys) || !h || ![h.count, h.part, h.parts].every((x) => typeof x === "number")) return null;
        return { keys: v.keys.filter((x): x is string => typeof x === "string"), header: { count: h.count, part: h.part, parts: h.parts } };
      } catch {
        return null;
      }
    },
  };
}
