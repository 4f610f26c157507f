import type { Redis } from "ioredis";
import { BOUNDS, type Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";
import type { DeliveryLog } from "./types.js";

export function createDeliveryLog(redis: Redis, k: Keys): DeliveryLog {
  return {
    async undelivered(itemKey, chatIds) {
      if (chatIds.length === 0) return [];
      const flags = await redis.smismember(k.delivered(itemKey), ...chatIds.map(String));
      return chatIds.filter((_, i) => flags[i] === 0);
    },
    async notDeliveredTo(chatId, itemKeys) {
      if (itemKeys.length === 0) return [];
      const res = throwIfFailed(await redis.pipeline(itemKeys.map((key) => ["sismember", k.delivered(key), String(chatId)])).exec());
      return itemKeys.filter((_, i) => res[i]?.[1] !== 1);
    },
    async markDelivered(itemKeys, chatId) {
      if (itemKeys.length === 0) return;
      const m = redis.multi();
      for (const key of itemKeys) m.sadd(k.delivered(key), String(chatId)).expire(k.delivered(key), BOUNDS.deliveredTtlS);
      await m.exec();
    },
  };
}
