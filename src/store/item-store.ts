import type { Redis } from "ioredis";
import { luaScript } from "../infra/lua.js";
import { type Item, itemTime } from "../news/item.js";
import { BOUNDS, type Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";
import type { HttpCacheState, IngestResult, ItemStore, TimelineEntry } from "./types.js";

/**
 * Marks a poll's items seen, stores new ones as recent and queues them for
 * delivery in one atomic step: a crash can neither lose a new item (seen but
 * not on the timeline) nor put it there twice. New stories get the next
 * number of the timeline (`timeline:seq`), in the order given — the poller's
 * items oldest first — which every chat's cursor points into.
 *
 * ZADD without NX returns 1 only for a new member and otherwise refreshes the
 * score, so "seen" holds the time an item was LAST seen: an item that stays in
 * its feed never ages out of the set and never comes back as new.
 *
 * A source's first poll is backlog: stored and marked seen, never queued.
 * ARGV[9] = 1 asks for the same treatment on a later poll (the poller's
 * guid-change guard).
 *
 * ARGV[11] counts the keys after ARGV[12] (the timeline cap) that the poller found already seen and
 * did not normalize again: only their "seen" time is refreshed, with XX, so
 * a key trimmed since the poller asked is not marked seen without a body —
 * it comes back as new at the next poll instead.
 *
 * Every newly stored item, backlog too, is also appended to the ingest log
 * (a stream), in the same step: the related index of every process catches
 * up from it, so a process that did not run this poll cannot miss an item.
 */
const INGEST = luaScript(`
local seen, recent, timeline, polled, ingested, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local now = tonumber(ARGV[1])
local itemPrefix, ttl, sourceId = ARGV[2], ARGV[3], ARGV[4]
local seenCutoff, seenCap = tonumber(ARGV[5]), tonumber(ARGV[6])
local recentCutoff, recentCap = tonumber(ARGV[7]), tonumber(ARGV[8])
local ingestedCap, timelineCap = ARGV[10], tonumber(ARGV[12])
local backlog = redis.call('SADD', polled, sourceId)
if ARGV[9] == '1' then backlog = 1 end
local refreshEnd = 12 + tonumber(ARGV[11])
for i = 13, refreshEnd do
  redis.call('ZADD', seen, 'XX', now, ARGV[i])
end
local fresh = {}
for i = refreshEnd + 1, #ARGV, 3 do
  local k = ARGV[i]
  if redis.call('ZADD', seen, now, k) == 1 then
    redis.call('SET', itemPrefix .. k, ARGV[i + 1], 'EX', ttl)
    redis.call('ZADD', recent, ARGV[i + 2], k)
    if backlog == 0 then redis.call('ZADD', timeline, redis.call('INCR', seq), k) end
    redis.call('XADD', ingested, 'MAXLEN', '~', ingestedCap, '*', 'k', k)
    fresh[#fresh + 1] = k
  end
end
redis.call('ZREMRANGEBYSCORE', seen, '-inf', seenCutoff)
local n = redis.call('ZCARD', seen)
if n > seenCap then redis.call('ZREMRANGEBYRANK', seen, 0, n - seenCap - 1) end
redis.call('ZREMRANGEBYSCORE', recent, '-inf', recentCutoff)
n = redis.call('ZCARD', recent)
if n > recentCap then redis.call('ZREMRANGEBYRANK', recent, 0, n - recentCap - 1) end
n = redis.call('ZCARD', timeline)
if n > timelineCap then redis.call('ZREMRANGEBYRANK', timeline, 0, n - timelineCap - 1) end
return {backlog, fresh}
`);

/**
 * An older version queued new stories in a `pending` zset (score = item
 * time) for its fan-out: they go on the timeline in that order, once (the
 * key is deleted in the same step), so an upgrade loses nothing.
 */
const ADOPT_PENDING = luaScript(`
local keys = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, k in ipairs(keys) do
  if not redis.call('ZSCORE', KEYS[2], k) then redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), k) end
end
redis.call('DEL', KEYS[1])
return #keys
`);

/** Which of the given keys a source has seen, and whether it was ever polled: one round trip. */
const KNOWN = luaScript(`
local known = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then known[#known + 1] = ARGV[i] end
end
return {redis.call('SISMEMBER', KEYS[2], ARGV[1]), known}
`);

/** A field's value in a stream entry's flat [field, value, …] list. */
function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

export function createItemStore(redis: Redis, k: Keys, clock: () => number = Date.now): ItemStore {
  const itemPrefix = k.item("");

  async function load(keys: string[]): Promise<(Item | null)[]> {
    if (keys.length === 0) return [];
    const raw = await redis.mget(keys.map((key) => k.item(key)));
    return raw.map((r) => {
      if (!r) return null;
      try {
        return JSON.parse(r) as Item;
      } catch {
        return null;
      }
    });
  }

  return {
    async getHttpCache(sourceId) {
      const h = await redis.hgetall(k.httpCache(sourceId));
      const out: HttpCacheState = {};
      if (h.etag) out.etag = h.etag;
      if (h.lastModified) out.lastModified = h.lastModified;
      return out;
    },

    async setHttpCache(sourceId, state) {
      const key = k.httpCache(sourceId);
      const fields: Record<string, string> = {};
      if (state.etag) fields.etag = state.etag;
      if (state.lastModified) fields.lastModified = state.lastModified;
      const multi = redis.multi().del(key);
      if (Object.keys(fields).length) multi.hset(key, fields);
      await multi.exec();
    },

    async knownKeys(sourceId, keys) {
      const [polled, known] = (await KNOWN(redis, [k.seen(sourceId), k.polledSources()], [sourceId, ...keys])) as [number, string[]];
      return { polled: polled === 1, known };
    },

    async ingest(sourceId, items, opts = {}): Promise<IngestResult> {
      const now = clock();
      const args: (string | number)[] = [
        now,
        itemPrefix,
        Math.ceil(BOUNDS.recentTtlMs / 1000),
        sourceId,
        now - BOUNDS.seenTtlMs,
        BOUNDS.seenCap,
        now - BOUNDS.recentTtlMs,
        BOUNDS.recentCap,
        opts.backlog ? 1 : 0,
        BOUNDS.ingestedCap,
      ];
      const refresh = opts.refresh ?? [];
      args.push(refresh.length, BOUNDS.timelineCap, ...refresh);
      const byKey = new Map<string, Item>();
      // Numbered oldest first: a chat reads its timeline in this order.
      for (const item of [...items].sort((a, b) => itemTime(a) - itemTime(b))) {
        if (byKey.has(item.key)) continue;
        byKey.set(item.key, item);
        args.push(item.key, JSON.stringify(item), itemTime(item));
      }
      const [asBacklog, freshKeys] = (await INGEST(
        redis,
        [k.seen(sourceId), k.recent(), k.timeline(), k.polledSources(), k.ingested(), k.timelineSeq()],
        args,
      )) as [number, string[]];
      const fresh = freshKeys.map((key) => byKey.get(key)!).sort((a, b) => itemTime(a) - itemTime(b));
      return asBacklog === 1 ? { fresh: [], backlog: fresh.length } : { fresh, backlog: 0 };
    },

    async latest(limit) {
      const keys = await redis.zrevrange(k.recent(), 0, Math.max(0, limit - 1));
      return (await load(keys)).filter((i): i is Item => i !== null);
    },

    async recent(sinceMs, limit) {
      const keys = await redis.zrevrangebyscore(k.recent(), "+inf", String(sinceMs), "LIMIT", 0, limit);
      return (await load(keys)).filter((i): i is Item => i !== null);
    },

    getItems: load,

    async ingestedSince(cursor, limit) {
      const from = cursor === "" ? "0-0" : cursor;
      // XREAD, unlike XRANGE, starts after the id given: no entry comes twice.
      // A cursor older than the trimmed log simply starts at its oldest entry.
      const res = (await redis.xread("COUNT", Math.max(1, limit), "STREAMS", k.ingested(), from)) as
        | [string, [string, string[]][]][]
        | null;
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) return { cursor: from, items: [] };
      const keys = entries.map(([, fields]) => fieldOf(fields, "k")).filter((key): key is string => key !== undefined);
      const items = (await load(keys)).filter((i): i is Item => i !== null);
      return { cursor: entries[entries.length - 1]![0], items };
    },

    async ingestCursor() {
      const [newest] = await redis.xrevrange(k.ingested(), "+", "-", "COUNT", 1);
      return newest?.[0] ?? "0-0";
    },

    async timelineSince(afterSeq, limit) {
      const flat = await redis.zrangebyscore(k.timeline(), `(${afterSeq}`, "+inf", "WITHSCORES", "LIMIT", 0, Math.max(1, limit));
      const out: TimelineEntry[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ key: flat[i]!, seq: Number(flat[i + 1]) });
      return out;
    },

    async timelineBetween(afterSeq, uptoSeq, limit) {
      const [[, count], [, flat]] = throwIfFailed(
        await redis
          .pipeline()
          .zcount(k.timeline(), `(${afterSeq}`, String(uptoSeq))
          .zrevrangebyscore(k.timeline(), String(uptoSeq), `(${afterSeq}`, "WITHSCORES", "LIMIT", 0, Math.max(1, limit))
          .exec(),
      ) as [[null, number], [null, string[]]];
      const entries: TimelineEntry[] = [];
      for (let i = flat.length - 2; i >= 0; i -= 2) entries.push({ key: flat[i]!, seq: Number(flat[i + 1]) });
      return { entries, total: count };
    },

    async timelineSeqs(keys) {
      if (keys.length === 0) return [];
      return (await redis.zmscore(k.timeline(), ...keys)).map((s) => (s === null ? null : Number(s)));
    },

    async adoptLegacyPending() {
      return (await ADOPT_PENDING(redis, [k.legacyPending(), k.timeline(), k.timelineSeq()], [])) as number;
    },

    async timelineHead() {
      return Number((await redis.get(k.timelineSeq())) ?? 0);
    },

    async forget(sourceId) {
      await redis.multi().del(k.seen(sourceId), k.httpCache(sourceId)).srem(k.polledSources(), sourceId).exec().then(throwIfFailed);
    },
  };
}
