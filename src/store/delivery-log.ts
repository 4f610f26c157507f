import type { Redis } from "ioredis";
import { BOUNDS, type Keys } from "./keys.js";
import type { DeliveryLog } from "./types.js";

export function createDeliveryLog(redis: Redis, k: Keys): DeliveryLog {
  return {
    async undelivered(itemKey, chatIds) {
      if (chatIds.length === 0) return [];
      const flags = await redis.smismember(k.delivered(itemKey), ...chatIds.map(String));
      return chatIds.filter((_, i) => flags[i] === 0);
    },
    async markDelivered(itemKeys, chatId) {
      if (itemKeys.length === 0) return;
      const m = redis.multi();
      for (const key of itemKeys) m.sadd(k.delivered(key), String(chatId)).expire(k.delivered(key), BOUNDS.deliveredTtlS);
      await m.exec();
    },
  };
}
