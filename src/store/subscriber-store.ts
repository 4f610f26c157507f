import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";
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
      const old = raw ? parse(raw) : null;
      const moved: Subscriber = { chatId: to, kind: "supergroup", since: old?.since ?? Date.now() };
      await redis.multi().hdel(key, String(from)).hset(key, String(to), JSON.stringify(moved)).exec();
    },
  };
}
