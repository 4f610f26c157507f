import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";
import type { Subscriber, SubscriberStore } from "./types.js";

export function createSubscriberStore(redis: Redis, k: Keys): SubscriberStore {
  const key = k.subscribers();
  const parse = (raw: string): Subscriber | null => {
    try {
      return JSON.parse(raw) as Subscriber;
    } catch {
      return null;
    }
  };
  return {
    async add(sub) {
      // HSETNX keeps the original "since" when /start arrives twice.
      return (await redis.hsetnx(key, String(sub.chatId), JSON.stringify(sub))) === 1;
    },
    async remove(chatId) {
      return (await redis.hdel(key, String(chatId))) === 1;
    },
    async has(chatId) {
      return (await redis.hexists(key, String(chatId))) === 1;
    },
    async all() {
      const h = await redis.hgetall(key);
      return Object.values(h)
        .map(parse)
        .filter((s): s is Subscriber => s !== null);
    },
    count: () => redis.hlen(key),
    async migrate(from, to) {
      const raw = await redis.hget(key, String(from));
      if (raw === null) {
        // Moved already (another job of the same chat got there first), or never here: keep what `to` has.
        await redis.hsetnx(key, String(to), JSON.stringify({ chatId: to, kind: "supergroup", since: Date.now() }));
        return;
      }
      // Copied whole, not rebuilt: fields this code does not know of (added later) survive.
      // Parsed in JS, never in Lua: cjson would round large chat ids.
      let old: Record<string, unknown> = {};
      try {
        const v = JSON.parse(raw) as unknown;
        if (v && typeof v === "object" && !Array.isArray(v)) old = v as Record<string, unknown>;
      } catch {
        // an unreadable record: moved as a fresh one
      }
      const moved = { since: Date.now(), ...old, chatId: to, kind: "supergroup" };
      await redis.multi().hdel(key, String(from)).hset(key, String(to), JSON.stringify(moved)).exec().then(throwIfFailed);
    },
  };
}
